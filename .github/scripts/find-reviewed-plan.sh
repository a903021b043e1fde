#!/usr/bin/env bash
# Finds the reviewed plans to apply: the successful plan run of the merged pull request's head
# (or, dispatched by hand, the given run), the allow-destroy labels on that pull request, and
# checks that those plans include every change merged to main (check-coverage.sh); commits
# whose own applies never ran are marked superseded. Writes run-id and allow-destroy to
# $GITHUB_OUTPUT. Environment: GH_TOKEN, REPO, SHA, INPUT_RUN, INPUT_ALLOW.
set -euo pipefail
: "${GH_TOKEN:?}" "${REPO:?}" "${SHA:?}" "${GITHUB_OUTPUT:?}"
pr="$(gh api "repos/$REPO/commits/$SHA/pulls" --jq '.[0].number // empty')"
[ -n "$pr" ] || { echo "::error::$SHA belongs to no pull request: only reviewed plans are applied"; exit 1; }
head="$(gh api "repos/$REPO/pulls/$pr" --jq '.head.sha')"
run_id="${INPUT_RUN:-}"
if [ -z "$run_id" ]; then
  run_id="$(gh api "repos/$REPO/actions/workflows/plan.yml/runs?head_sha=$head&status=success" --jq '.workflow_runs[0].id // empty')"
  [ -n "$run_id" ] || { echo "::error::no successful plan run for PR #$pr at $head: see docs/review-workflow.md, 'Recovery'"; exit 1; }
  # The last commit any environment applied: its deployments record it.
  last="$(gh api "repos/$REPO/deployments?per_page=1" --jq '.[0].sha // empty')"
  superseded="$(.github/scripts/check-coverage.sh "$SHA" "$head" "$last")"
  for commit in $superseded; do
    gh api --method POST "repos/$REPO/statuses/$commit" -f state=success -f context=apply -f "description=superseded by $SHA, whose reviewed plans include it" >/dev/null
  done
fi
# A maintainer allows a protected destroy with its short label: allow-destroy:<12 hex digits>.
labels="$(gh api "repos/$REPO/issues/$pr/labels" --jq '[.[].name | select(test("^allow-destroy:[0-9a-f]{12}$"))] | join(",")')"
{
  echo "run-id=$run_id"
  echo "allow-destroy=${INPUT_ALLOW:+$INPUT_ALLOW,}$labels"
} >> "$GITHUB_OUTPUT"
