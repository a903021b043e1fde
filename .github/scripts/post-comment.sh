#!/usr/bin/env bash
# Creates or updates the one sticky plan comment of a pull request (found by its marker).
# Usage: post-comment.sh <comment.md>   (GH_TOKEN, REPO, PR in the environment)
set -euo pipefail
: "${GH_TOKEN:?}" "${REPO:?}" "${PR:?}"
id="$(gh api --paginate "repos/$REPO/issues/$PR/comments" --jq '.[] | select(.user.type == "Bot" and (.body | startswith("<!-- plan-comment"))) | .id' | head -n 1)"
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$REPO/issues/comments/$id" -F "body=@$1" >/dev/null
else
  gh api --method POST "repos/$REPO/issues/$PR/comments" -F "body=@$1" >/dev/null
fi
