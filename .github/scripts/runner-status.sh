#!/usr/bin/env bash
# After plan-env.sh planned an environment's AWS stacks: says where its cluster stacks (platform,
# app) are planned, in $PLAN_DIR/<env>.runner (JSON: {"env", "label", "host", "stacks"}; not *.json,
# which the plan scripts read as plans), for the plan-cluster matrix (runner-targets.sh):
# - no cluster stacks: label "" (nothing to plan there);
# - ci.runner: hosted: label "ubuntu-latest";
# - ci.runner: codebuild: label "codebuild-<project>" once the runner exists, i.e. the
#   <env>-access stack's state holds its webhook. Before that (a new environment), a job on its
#   label would wait for a runner that never comes: the cluster stacks are reported as waiting
#   for it instead, and the label is "".
# A tenant of another environment's cluster (config cluster.environment) uses its host's runner,
# in the cluster's VPC: its label is the host's, "host" names the host, and whether that runner
# exists is the host's leg's to say (its <host>.runner): runner-targets.sh holds the tenant's
# cluster stacks (listed in "stacks") back until it does.
# Usage: runner-status.sh <env>
set -euo pipefail
env_name="$1"
: "${PLAN_DIR:?}"
info="$(node dist/scripts/stacks.js --env "$env_name" --runner-info)"
label="$(jq -r .label <<<"$info")"
host="$(jq -r .host <<<"$info")"
cluster_stacks="$(jq -r '.stacks[]' <<<"$info")"
if [[ "$label" == codebuild-* ]] && [ "$host" = "$env_name" ]; then
  access="$PLAN_DIR/$env_name-access.json"
  ready=0
  if [ -f "$access" ]; then
    ready="$(jq '[.prior_state.values.root_module.resources // [] | .[] | select(.type == "aws_codebuild_webhook")] | length' "$access")"
  fi
  if [ "$ready" = "0" ]; then
    for stack in $cluster_stacks; do
      jq -n --arg detail "CI's runner ($env_name-access) is not applied yet; this stack is planned on it once it is" '{status: "awaiting-upstream", detail: $detail}' > "$PLAN_DIR/$stack.status.json"
    done
    echo "::notice::$env_name: its cluster stacks wait for CI's runner ($env_name-access), which is not applied yet"
    label=""
  fi
fi
jq -n --arg env "$env_name" --arg runner "$label" --arg host "$host" --arg stacks "$cluster_stacks" \
  '{"env": $env, "label": $runner, "host": $host, "stacks": ($stacks | split("\n") | map(select(. != "")))}' > "$PLAN_DIR/$env_name.runner"
