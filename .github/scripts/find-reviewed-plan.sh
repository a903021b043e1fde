#!/usr/bin/env bash
# Finds the reviewed plans to apply, with the base branch's code (docs/review-workflow.md, "Apply"):
# reviewed-plan.js picks the pull request merged as SHA, its newest plan comment signed by the
# trusted review job, the plan run that comment binds (plan.yml, pull_request, this pull request,
# its head, a success; or, dispatched by hand with INPUT_RUN, that run: the same checks, or an
# apply run of the default branch whose newly plannable layers await review), and the allows of
# approving reviews. Then it checks that those plans include every change merged to main
# (check-coverage.sh) and marks commits whose own applies never ran as superseded.
# Writes run-id, pr, head, base, binding and allow to $GITHUB_OUTPUT, and who allowed what to the
# job summary. Environment: GH_TOKEN, REPO, SHA, INPUT_RUN, INPUT_PR, DEFAULT_BRANCH,
# PLAN_PRIVATE_KEY, APPROVERS (the base branch's .github/approvers.yaml), TRUSTED (the base
# branch's built tools), BASE_MANIFEST and MERGED_MANIFEST (the two synths' manifests).
set -euo pipefail
: "${GH_TOKEN:?}" "${REPO:?}" "${SHA:?}" "${GITHUB_OUTPUT:?}" "${APPROVERS:?}"
here="$(cd "$(dirname "$0")" && pwd)"
trusted="${TRUSTED:-.}"
# shellcheck disable=SC1091 # sourced from this script's own folder
. "$here/review-key.sh"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
decision="$(mktemp)"
node "$trusted/dist/scripts/reviewed-plan.js" --repo "$REPO" --sha "$SHA" ${INPUT_RUN:+--run "$INPUT_RUN"} ${INPUT_PR:+--pr "$INPUT_PR"} \
  --default-branch "${DEFAULT_BRANCH:-main}" --approvers "$APPROVERS" --summary "$decision.md" > "$decision"
cat "$decision.md" >> "$summary"
head="$(sed -n 's/^head=//p' "$decision")"
pr="$(sed -n 's/^pr=//p' "$decision")"
allow="$(sed -n 's/^allow=//p' "$decision")"
# A stack the merged code no longer has (by main^1's synth against the merge's): its state stays,
# unmanaged, unless an approver allowed exactly that; the review's status alone is not the gate.
if [ -n "${BASE_MANIFEST:-}" ]; then
  removed="$(node "$trusted/dist/scripts/orphans.js" --removed "$BASE_MANIFEST" --manifest "${MERGED_MANIFEST:?}")"
  refused=()
  removed_stacks="$(jq -r '.[].stack' <<< "$removed")"
  for stack in $removed_stacks; do
    [[ ",$allow," == *",$stack:orphaned-state,"* ]] || refused+=("$stack")
  done
  if [ "${#refused[@]}" -gt 0 ]; then
    echo "::error::the merge removes ${refused[*]} from the code, and no approver allowed their states to be orphaned (/allow <stack> orphaned-state …): nothing is applied. Decommission them first (docs/review-workflow.md, \"Orphaned states and decommissioning\"), or allow them in an approving review." >&2
    exit 1
  fi
fi
if [ -z "${INPUT_RUN:-}" ]; then
  # The pull request's head, for the coverage check: a squash merge with its branch deleted
  # leaves it reachable only as refs/pull/<n>/head (the checkout keeps no credentials).
  if ! git cat-file -e "$head^{commit}" 2>/dev/null; then
    git -c "http.extraheader=AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)" fetch --quiet origin "+refs/pull/$pr/head:refs/remotes/origin/pr-$pr"
  fi
  # The last commit an environment applied: the newest deployment of an apply environment (not
  # plan-review's, nor a pull request's plan-<env>), and only one main has.
  last=""
  deployed="$(gh api "repos/$REPO/deployments?per_page=100" --jq '.[] | select(.environment != "plan-review" and (.environment | startswith("plan-") | not)) | .sha')"
  for candidate in $deployed; do
    if git merge-base --is-ancestor "$candidate" "$SHA" 2>/dev/null; then last="$candidate"; break; fi
  done
  superseded="$("$here/check-coverage.sh" "$SHA" "$head" "$last")"
  for commit in $superseded; do
    gh api --method POST "repos/$REPO/statuses/$commit" -f state=success -f context=apply -f "description=superseded by $SHA, whose reviewed plans include it" >/dev/null
  done
fi
cat "$decision" >> "$GITHUB_OUTPUT"
