#!/usr/bin/env bash
# Before anything is applied to a production environment: its GitHub Environment must have
# required reviewers and a deployment branch policy. A new GitHub Environment starts with
# neither, and the apply role's trust (environment:<env>) would then admit any branch's job,
# unreviewed. Reads GET /repos/{repo}/environments/{name} (docs: "Get an environment").
# Usage: check-environment.sh <environment>   (GH_TOKEN, REPO)
set -euo pipefail
name="$1"
: "${GH_TOKEN:?}" "${REPO:?}"
if ! json="$(gh api "repos/$REPO/environments/$name")"; then
  echo "::error::the GitHub Environment $name could not be read: it must exist, with required reviewers and a deployment branch policy" >&2
  exit 1
fi
problems=()
reviewers="$(jq '[.protection_rules // [] | .[] | select(.type == "required_reviewers") | (.reviewers // []) | length] | add // 0' <<< "$json")"
[ "$reviewers" -gt 0 ] || problems+=("no required reviewers")
[ "$(jq '.deployment_branch_policy != null' <<< "$json")" = "true" ] || problems+=("no deployment branch policy (any branch may deploy)")
if [ "${#problems[@]}" -gt 0 ]; then
  echo "::error::the GitHub Environment $name is not protected: ${problems[*]}. Set it up as docs/review-workflow.md, \"GitHub settings\", says (npm run -s stacks -- --github-settings --gh prints the commands); nothing is applied to $name until then." >&2
  exit 1
fi
echo "$name: $reviewers required reviewer(s), deployment branch policy set."
