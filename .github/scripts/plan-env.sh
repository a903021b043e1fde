#!/usr/bin/env bash
# Plans every stack of one environment in dependency order and leaves, per stack, the saved
# plan and its JSON in $PLAN_DIR, encrypted: both hold sensitive values in clear.
# Run from the project root after `npm run build` (or synth).
# Usage: plan-env.sh <env> [refresh-only]
set -euo pipefail
env_name="$1"
mode="${2:-}"
: "${PLAN_DIR:?}" "${PLAN_ARTIFACT_KEY:?set the PLAN_ARTIFACT_KEY secret: plan artifacts are encrypted with it}"
root="$(pwd)"
mkdir -p "$PLAN_DIR"
for stack in $(node dist/scripts/stacks.js --env "$env_name" --lines); do
  echo "::group::plan $stack"
  (
    cd "cdktf.out/stacks/$stack"
    terraform init -input=false -no-color -backend-config="$root/backend.config"
    if [ "$mode" = "refresh-only" ]; then
      terraform plan -input=false -no-color -lock=false -refresh-only -out=plan.tfplan
    else
      terraform plan -input=false -no-color -lock-timeout=5m -out=plan.tfplan
    fi
    terraform show -json plan.tfplan > "$PLAN_DIR/$stack.json"
    cp plan.tfplan "$PLAN_DIR/$stack.tfplan"
  )
  echo "::endgroup::"
done
node dist/scripts/plan-digest.js "$PLAN_DIR"/*.json > "$PLAN_DIR/digest.txt"
for f in "$PLAN_DIR"/*.json "$PLAN_DIR"/*.tfplan; do
  openssl enc -aes-256-cbc -pbkdf2 -salt -pass env:PLAN_ARTIFACT_KEY -in "$f" -out "$f.enc"
done
