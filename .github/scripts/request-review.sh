#!/usr/bin/env bash
# Posts the plans of layers that became plannable during an apply on the merged pull request, with
# how to apply them once reviewed. Usage: request-review.sh (GH_TOKEN, REPO, SHA, RUN_ID, COMMENT)
set -euo pipefail
: "${GH_TOKEN:?}" "${REPO:?}" "${SHA:?}" "${RUN_ID:?}" "${COMMENT:?}"
pr="$(gh api "repos/$REPO/commits/$SHA/pulls" --jq '.[0].number')"
{
  echo "**Review needed:** these stacks could be planned only after their upstream was applied (run $RUN_ID)."
  echo "After review, apply them: Actions → apply → Run workflow, with \`plan-run-id\` = \`$RUN_ID\`."
  echo
  cat "$COMMENT"
} > review.md
gh api --method POST "repos/$REPO/issues/$pr/comments" -F "body=@review.md" >/dev/null
