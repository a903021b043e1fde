#!/usr/bin/env bash
# Posts the signed comments of layers that became plannable during an apply (apply-env.sh left one
# per job, in this run's plans-<env> artifacts) on the merged pull request, with how to apply them
# once reviewed. An apply that failed for another reason has none: its own log says why.
# Usage: request-review.sh <dir holding the run's artifacts of the environment>   (GH_TOKEN, REPO, PR, RUN_ID)
set -euo pipefail
dir="$1"
: "${GH_TOKEN:?}" "${REPO:?}" "${PR:?}" "${RUN_ID:?}"
shopt -s nullglob
comments=("$dir"/comment.md "$dir"/*/comment.md)
if [ "${#comments[@]}" -eq 0 ]; then
  echo "::notice::no newly plannable layers to review: the apply failed for another reason (see its log)"
  exit 0
fi
for c in "${comments[@]}"; do
  {
    # The marker stays the first line: apply finds this comment by it, and checks its signature.
    head -n 1 "$c"
    echo "**Review needed:** these stacks could be planned only after their upstream was applied (run $RUN_ID)."
    echo "After review, apply them: Actions → apply → Run workflow, with \`plan-run-id\` = \`$RUN_ID\`."
    echo
    tail -n +2 "$c"
  } > review.md
  gh api --method POST "repos/$REPO/issues/$PR/comments" -F "body=@review.md" >/dev/null
done
