#!/usr/bin/env bash
# Writes the status of each cluster stack of a tenant whose host's runner is not there yet (a
# "waiting" target of runner-targets.sh) into <dir>, as plan-cluster would have left its plans:
# awaiting-upstream, naming the host's access stack, which makes the runner. The review counts
# them as waiting, not missing, and apply's download finds every stack's status.
# Usage: await-runner.sh '<target JSON: {env, host, stacks}>' <dir>
set -euo pipefail
target="$1"
dir="$2"
mkdir -p "$dir"
host="$(jq -r '.host' <<< "$target")"
env_name="$(jq -r '.env' <<< "$target")"
for stack in $(jq -r '.stacks[]' <<< "$target"); do
  # A stack id, never a path: the target comes from a plan leg, which runs the change's code.
  [[ "$stack" =~ ^[a-z][a-z0-9-]*$ ]] || { echo "::error::await-runner: $stack is not a stack id" >&2; exit 1; }
  jq -n --arg detail "CI's runner of $host's cluster ($host-access), which $env_name's cluster stacks run on, is not applied yet (or $host's plan did not say); this stack is planned on it once it is" \
    '{status: "awaiting-upstream", detail: $detail}' > "$dir/$stack.status.json"
done
echo "::notice::$env_name: its cluster stacks wait for $host's runner ($host-access)"
