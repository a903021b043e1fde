#!/usr/bin/env bash
# After plan-env.sh planned an environment's AWS stacks: says where its cluster stacks (platform,
# app) are planned, in $PLAN_DIR/<env>.runner (JSON: {"env", "label"}; not *.json, which the plan scripts read as plans), for the plan-cluster matrix.
# - no cluster stacks: label "" (nothing to plan there);
# - ci.runner: hosted: label "ubuntu-latest";
# - ci.runner: codebuild: label "codebuild-<project>" once the runner exists, i.e. the
#   <env>-access stack's state holds its webhook. Before that (a new environment), a job on its
#   label would wait for a runner that never comes: the cluster stacks are reported as waiting
#   for it instead, and the label is "".
# Usage: runner-status.sh <env>
set -euo pipefail
env_name="$1"
: "${PLAN_DIR:?}"
label="$(node dist/scripts/stacks.js --env "$env_name" --runner)"
if [[ "$label" == codebuild-* ]]; then
  access="$PLAN_DIR/$env_name-access.json"
  ready=0
  if [ -f "$access" ]; then
    ready="$(jq '[.prior_state.values.root_module.resources // [] | .[] | select(.type == "aws_codebuild_webhook")] | length' "$access")"
  fi
  if [ "$ready" = "0" ]; then
    cluster_stacks="$(node dist/scripts/stacks.js --env "$env_name" --scope cluster --lines)"
    for stack in $cluster_stacks; do
      jq -n --arg detail "CI's runner ($env_name-access) is not applied yet; this stack is planned on it once it is" '{status: "awaiting-upstream", detail: $detail}' > "$PLAN_DIR/$stack.status.json"
    done
    echo "::notice::$env_name: its cluster stacks wait for CI's runner ($env_name-access), which is not applied yet"
    label=""
  fi
fi
jq -n --arg env "$env_name" --arg runner "$label" '{"env": $env, "label": $runner}' > "$PLAN_DIR/$env_name.runner"
