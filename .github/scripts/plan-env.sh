#!/usr/bin/env bash
# Plans every stack of one environment (or "shared": state-backend) in dependency order. Per
# stack it leaves in $PLAN_DIR the saved plan and its JSON, encrypted (both hold sensitive values
# in clear), and <stack>.status.json: planned (with whether it changes anything), failed (with
# Terraform's first error lines), or awaiting-upstream (it reads a stack not applied yet). Every
# stack is attempted; the script fails at the end if any stack failed.
# Run from the project root after `npm run build` (or synth).
# With a scope, only the stacks of that scope: "aws" (the AWS API only: hosted runners) or
# "cluster" (their providers talk to the cluster API: the environment's in-VPC runner).
# Usage: plan-env.sh <env|shared> [plan|refresh-only] [aws|cluster]
set -euo pipefail
env_name="$1"
mode="${2:-plan}"
scope="${3:-}"
: "${PLAN_DIR:?}" "${PLAN_ARTIFACT_KEY:?set the PLAN_ARTIFACT_KEY secret: plan artifacts are encrypted with it}"
root="$(pwd)"
mkdir -p "$PLAN_DIR"
failed=0

status() { # status <stack> <status> [changes] [detail file]
  node -e '
    const [stack, status, changes, detailFile] = process.argv.slice(1);
    const fs = require("fs");
    const detail = detailFile && fs.existsSync(detailFile) ? fs.readFileSync(detailFile, "utf8").split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd()).filter(Boolean) : [];
    const start = Math.max(0, detail.findIndex((l) => l.startsWith("Error")));
    const out = { status, ...(changes ? { changes: changes === "true" } : {}), ...(detail.length ? { detail: detail.slice(start, start + 6).join("\n") } : {}) };
    fs.writeFileSync(process.env.PLAN_DIR + "/" + stack + ".status.json", JSON.stringify(out) + "\n");
  ' "$@"
}

for stack in $(node dist/scripts/stacks.js --env "$env_name" ${scope:+--scope "$scope"} --lines); do
  echo "::group::plan $stack"
  dir="$root/cdktf.out/stacks/$stack"
  err="$PLAN_DIR/$stack.err"
  code=0
  (
    cd "$dir"
    terraform init -input=false -no-color -backend-config="$root/backend.config" >/dev/null 2>"$err"
    if [ "$mode" = "refresh-only" ]; then
      terraform plan -input=false -no-color -lock=false -refresh-only -detailed-exitcode -out=plan.tfplan 2>"$err"
    else
      terraform plan -input=false -no-color -lock-timeout=5m -detailed-exitcode -out=plan.tfplan 2>"$err"
    fi
  ) || code=$?
  if [ "$code" -eq 0 ] || [ "$code" -eq 2 ]; then
    (cd "$dir" && terraform show -json plan.tfplan) > "$PLAN_DIR/$stack.json"
    cp "$dir/plan.tfplan" "$PLAN_DIR/$stack.tfplan"
    status "$stack" planned "$([ "$code" -eq 2 ] && echo true || echo false)"
  elif grep -qE "Unable to find remote state|No stored state was found" "$err"; then
    # A new environment: this stack reads outputs of one that has not been applied yet.
    echo "upstream not applied yet: $(node dist/scripts/stacks.js --upstream-of "$stack" --env "$env_name" --lines | tr '\n' ' ')" > "$err.detail"
    status "$stack" awaiting-upstream "" "$err.detail"
  else
    cat "$err" >&2
    status "$stack" failed "" "$err"
    failed=1
  fi
  rm -f "$err" "$err.detail"
  echo "::endgroup::"
done
shopt -s nullglob
plans=("$PLAN_DIR"/*.json)
jsons=()
for f in "${plans[@]}"; do [[ "$f" == *.status.json ]] || jsons+=("$f"); done
if [ "${#jsons[@]}" -gt 0 ]; then
  node dist/scripts/plan-digest.js "${jsons[@]}" > "$PLAN_DIR/digest${scope:+-$scope}.txt"
fi
for f in "${jsons[@]}" "$PLAN_DIR"/*.tfplan; do
  openssl enc -aes-256-cbc -pbkdf2 -salt -pass env:PLAN_ARTIFACT_KEY -in "$f" -out "$f.enc"
done
exit "$failed"
