#!/usr/bin/env bash
# Marks the sticky plan comment of a pull request outdated while a newer commit is planned, so an
# old comment never passes for the current one. No comment yet: nothing to do.
# Usage: mark-stale.sh   (GH_TOKEN, REPO, PR, HEAD_SHA in the environment)
set -euo pipefail
: "${GH_TOKEN:?}" "${REPO:?}" "${PR:?}" "${HEAD_SHA:?}"
id="$(gh api --paginate "repos/$REPO/issues/$PR/comments" --jq '.[] | select(.user.type == "Bot" and (.body | startswith("<!-- plan-comment"))) | .id' | head -n 1)"
[ -n "$id" ] || exit 0
gh api "repos/$REPO/issues/comments/$id" --jq .body > current.md
node dist/scripts/plan-comment.js --mark-stale "$HEAD_SHA" --from current.md --out stale.md
gh api --method PATCH "repos/$REPO/issues/comments/$id" -F "body=@stale.md" >/dev/null
