#!/usr/bin/env bash
# Finds the reviewed plans to apply, with the base branch's code (docs/review-workflow.md, "Apply"):
# reviewed-plan.js picks the pull request merged as SHA, its newest plan comment signed by the
# trusted review job, the plan run that comment binds (plan.yml, pull_request, this pull request,
# its head, a success; or, dispatched by hand with INPUT_RUN, that run: the same checks, or an
# apply run of the default branch whose newly plannable layers await review), and the allows of
# approving reviews. Then it checks that those plans include every change merged to main
# (check-coverage.sh) and marks commits whose own applies never ran as superseded.
# Writes run-id, pr, head, base, binding and allow to $GITHUB_OUTPUT, and who allowed what to the
# job summary. Environment: GH_TOKEN, REPO, SHA, INPUT_RUN, DEFAULT_BRANCH, PLAN_PRIVATE_KEY,
# APPROVERS (the base branch's .github/approvers.yaml), TRUSTED (the base branch's built checkout).
set -euo pipefail
: "${GH_TOKEN:?}" "${REPO:?}" "${SHA:?}" "${GITHUB_OUTPUT:?}" "${APPROVERS:?}"
here="$(cd "$(dirname "$0")" && pwd)"
trusted="${TRUSTED:-.}"
# shellcheck disable=SC1091 # sourced from this script's own folder
. "$here/review-key.sh"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
decision="$(mktemp)"
node "$trusted/dist/scripts/reviewed-plan.js" --repo "$REPO" --sha "$SHA" ${INPUT_RUN:+--run "$INPUT_RUN"} \
  --default-branch "${DEFAULT_BRANCH:-main}" --approvers "$APPROVERS" --summary "$decision.md" > "$decision"
cat "$decision.md" >> "$summary"
head="$(sed -n 's/^head=//p' "$decision")"
if [ -z "${INPUT_RUN:-}" ]; then
  # The last commit any environment applied: its deployments record it.
  last="$(gh api "repos/$REPO/deployments?per_page=1" --jq '.[0].sha // empty')"
  superseded="$("$here/check-coverage.sh" "$SHA" "$head" "$last")"
  for commit in $superseded; do
    gh api --method POST "repos/$REPO/statuses/$commit" -f state=success -f context=apply -f "description=superseded by $SHA, whose reviewed plans include it" >/dev/null
  done
fi
cat "$decision" >> "$GITHUB_OUTPUT"
