#!/usr/bin/env bash
# Opens, updates or closes the drift issue of one environment from its refresh-only plans
# (drift.yml). "No drift" is said only when every stack of the environment was checked: a stack
# that could not be planned (a failed credentials step, an expired token, a provider error, a job
# that died) keeps the issue open, says which, and fails the job. Nothing is closed on a broken check.
# Usage: drift-report.sh <env>   (GH_TOKEN, PLAN_DIR with the environment's drift artifacts, PLAN_PRIVATE_KEY, GITHUB_SHA)
set -euo pipefail
env_name="$1"
: "${GH_TOKEN:?}" "${PLAN_DIR:?}" "${GITHUB_SHA:?}"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC1091 # sourced from this script's own folder
. "$here/review-key.sh"
mkdir -p "$PLAN_DIR"
"$here/unseal.sh" "$PLAN_DIR"
shopt -s nullglob
plans=()
for f in "$PLAN_DIR"/*.json; do [[ "$f" == *.status.json || "$f" == */orphans-*.json ]] || plans+=("$f"); done
node dist/scripts/plan-comment.js "${plans[@]}" --statuses "$PLAN_DIR" --all-drift --sha "$GITHUB_SHA" --out drift.md
# Every stack of the environment must have been checked.
unchecked="$(node dist/scripts/plan-status.js --env "$env_name" --statuses "$PLAN_DIR" --plans "$PLAN_DIR" --plan-suffix .json)"
drifted="$(jq -s 'map(.resource_drift // [] | length) | add // 0' "${plans[@]}" /dev/null)"
title="Drift in $env_name"
issue="$(gh issue list --state open --label drift --search "in:title \"$title\"" --json number --jq '.[0].number // empty')"
upsert() { if [ -n "$issue" ]; then gh issue edit "$issue" --body-file "$1"; else gh issue create --title "$title" --label drift --body-file "$1"; fi; }
if [ -n "$unchecked" ]; then
  { echo "> [!WARNING]"; echo "> **The drift check of $GITHUB_SHA is incomplete**: no refresh-only plan of $unchecked. Drift there is unknown; this issue stays open until a run checks every stack."; echo; cat drift.md; } > drift-incomplete.md
  upsert drift-incomplete.md
  echo "::error::$env_name: the drift check could not plan $unchecked" >&2
  rm -f "${plans[@]}"
  exit 1
fi
if [ "$drifted" -gt 0 ]; then upsert drift.md
elif [ -n "$issue" ]; then gh issue close "$issue" --comment "No drift as of $GITHUB_SHA: every stack of $env_name was checked."; fi
rm -f "${plans[@]}"
