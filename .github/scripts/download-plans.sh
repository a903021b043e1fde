#!/usr/bin/env bash
# Downloads the reviewed artifacts of one environment from the bound run, and fails, naming what
# is missing, unless every plan the approved comment binds for that environment is there: an
# expired, rate-limited or failed download never turns into "nothing to apply".
# Usage: download-plans.sh <run id> <env|shared> <dir>   (GH_TOKEN, BINDING_FILE)
set -euo pipefail
run="$1"
env_name="$2"
dir="$3"
: "${GH_TOKEN:?}" "${BINDING_FILE:?}"
mkdir -p "$dir"
gh run download "$run" --name "plans-$env_name" --dir "$dir" || { echo "::error::run $run: the artifact plans-$env_name could not be downloaded (expired, or the API failed): nothing of $env_name is applied; re-run the plan" >&2; exit 1; }
# The cluster stacks' artifact exists when the run planned them on the environment's runner.
# A variable first: an API error stops the script instead of reading as "no such artifact".
cluster_count="$(gh api "repos/${REPO:?}/actions/runs/$run/artifacts?name=plans-$env_name-cluster" --jq '.total_count')"
if [ "$cluster_count" != "0" ]; then
  gh run download "$run" --name "plans-$env_name-cluster" --dir "$dir" || { echo "::error::run $run: the artifact plans-$env_name-cluster exists but could not be downloaded" >&2; exit 1; }
fi
missing=()
stacks="$(node dist/scripts/stacks.js --env "$env_name" --lines)"
for stack in $stacks; do
  if [ -n "$(jq -r --arg s "$stack" '.plans[$s] // empty' "$BINDING_FILE")" ] && [ ! -f "$dir/$stack.tfplan.enc" ]; then missing+=("$stack"); fi
  [ -f "$dir/$stack.status.json" ] || missing+=("$stack (status)")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "::error::run $run: the reviewed artifacts of $env_name lack ${missing[*]}: nothing of $env_name is applied; re-run the plan" >&2
  exit 1
fi
