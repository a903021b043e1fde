#!/usr/bin/env bash
# Plans every stack of one environment (or "shared": state-backend; or "account-<id>": one account
# stack) in dependency order. Per stack it leaves in $PLAN_DIR:
# - <stack>.tfplan, sealed to PLAN_PUBLIC_KEY (seal.sh): the saved plan holds values in clear;
# - <stack>.outputs, sealed: the sha256 of the stack's outputs when it was planned, which apply
#   compares with the outputs its readers' plans saw (an upstream changed outside the run);
# - <stack>.status.json: planned (with whether it changes anything), failed (with Terraform's first
#   error lines, secrets masked), or awaiting-upstream (it reads a stack not applied yet);
# - <stack>.json, in clear and NOT for upload: for this job's own steps (runner-status.sh). The
#   trusted review job derives the JSON from the .tfplan itself and trusts no JSON of this job.
#   With SEAL_JSON=1 (drift, which runs the default branch's code) the JSON is sealed too.
# Every stack is attempted; the script fails at the end if any stack failed. Plans take no state
# lock (-lock=false): a read-only plan needs none, a reader must not be able to break a writer's
# lock, and a plan made stale by a concurrent apply is caught at apply. Terraform's plan text never
# reaches the log; its errors do, through mask-log.
# With "plan" mode and the aws scope (or none), the environment's state keys that no stack of the
# synth owns are listed in $PLAN_DIR/orphans-<env>.json (find-orphans.sh).
# Run from the project root after `npm run build` (or synth).
# Usage: plan-env.sh <env|shared|account-<id>> [plan|refresh-only] [aws|cluster]
set -euo pipefail
env_name="$1"
mode="${2:-plan}"
scope="${3:-}"
: "${PLAN_DIR:?}" "${PLAN_PUBLIC_KEY:?set the PLAN_PUBLIC_KEY repository variable: plan artifacts are sealed to it}"
root="$(pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$PLAN_DIR"
failed=0
mask() { node "$root/dist/scripts/mask-log.js"; }

status() { # status <stack> <status> [changes] [detail file]
  # jq, not node: it runs once per stack. The detail is Terraform's error from its first "Error"
  # line, six lines at most, without the box-drawing frame.
  local detail=""
  if [ -n "${4:-}" ] && [ -f "$4" ]; then detail="$(sed -E 's/^[│╷╵] ?//; s/[[:space:]]+$//' "$4" | grep -v '^$' || true)"; fi
  jq -cn --arg status "$2" --arg changes "${3:-}" --arg detail "$detail" '
    ($detail | split("\n") | map(select(. != ""))) as $lines
    | ([$lines | to_entries[] | select(.value | startswith("Error")) | .key] | first // 0) as $start
    | {status: $status}
    + (if $changes == "" then {} else {changes: ($changes == "true")} end)
    + (if ($lines | length) == 0 then {} else {detail: ($lines[$start:$start + 6] | join("\n"))} end)' > "$PLAN_DIR/$1.status.json"
}

stacks="$(node dist/scripts/stacks.js --env "$env_name" ${scope:+--scope "$scope"} --lines)"
for stack in $stacks; do
  echo "::group::plan $stack"
  dir="$root/cdktf.out/stacks/$stack"
  err="$PLAN_DIR/$stack.err"
  code=0
  (
    cd "$dir"
    terraform init -input=false -no-color -backend-config="$root/backend.config" >/dev/null 2>"$err"
    extra=()
    [ "$mode" = "refresh-only" ] && extra=(-refresh-only)
    terraform plan -input=false -no-color -lock=false "${extra[@]}" -detailed-exitcode -out=plan.tfplan >/dev/null 2>"$err"
  ) || code=$?
  if [ "$code" -eq 0 ] || [ "$code" -eq 2 ]; then
    (cd "$dir" && terraform show -json plan.tfplan) > "$PLAN_DIR/$stack.json"
    cp "$dir/plan.tfplan" "$PLAN_DIR/$stack.tfplan"
    (cd "$dir" && terraform output -json 2>/dev/null || echo '{}') | sha256sum | cut -d' ' -f1 > "$PLAN_DIR/$stack.outputs"
    status "$stack" planned "$([ "$code" -eq 2 ] && echo true || echo false)"
    echo "$stack: planned ($([ "$code" -eq 2 ] && echo "changes" || echo "no changes"))"
  elif grep -qE "Unable to find remote state|No stored state was found" "$err"; then
    # A new environment: this stack reads outputs of one that has not been applied yet.
    echo "upstream not applied yet: $(node dist/scripts/stacks.js --upstream-of "$stack" --env "$env_name" --lines | tr '\n' ' ')" > "$err.detail"
    status "$stack" awaiting-upstream "" "$err.detail"
    echo "$stack: awaits its upstream"
  else
    # Secrets never reach the log or the status file: the error text is masked first.
    mask < "$err" > "$err.masked"
    cat "$err.masked" >&2
    status "$stack" failed "" "$err.masked"
    failed=1
  fi
  rm -f "$err" "$err.masked" "$err.detail"
  echo "::endgroup::"
done
if [ "$mode" = "plan" ] && [ "$scope" != "cluster" ]; then
  "$here/find-orphans.sh" "$env_name" > "$PLAN_DIR/orphans-$env_name.json" || { echo "::error::$env_name: could not list its state keys, so orphaned states cannot be ruled out" >&2; failed=1; rm -f "$PLAN_DIR/orphans-$env_name.json"; }
fi
shopt -s nullglob
to_seal=("$PLAN_DIR"/*.tfplan "$PLAN_DIR"/*.outputs)
if [ "${SEAL_JSON:-}" = "1" ]; then
  for f in "$PLAN_DIR"/*.json; do [[ "$f" == *.status.json || "$f" == */orphans-*.json ]] || to_seal+=("$f"); done
fi
[ "${#to_seal[@]}" -eq 0 ] || "$here/seal.sh" "${to_seal[@]}"
exit "$failed"
