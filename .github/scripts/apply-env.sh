#!/usr/bin/env bash
# Applies the reviewed plans of one environment, stack by stack in dependency order.
# A saved plan that Terraform reports stale is re-planned; the new plan is applied only when its
# semantic digest (address + actions + masked after-values) equals the reviewed one.
# Run from the project root after `npm run synth`.
# Usage: apply-env.sh <env> <dir with the reviewed <stack>.tfplan.enc and <stack>.json.enc>
set -euo pipefail
env_name="$1"
reviewed="$2"
: "${PLAN_ARTIFACT_KEY:?}"
root="$(pwd)"
for f in "$reviewed"/*.enc; do
  openssl enc -d -aes-256-cbc -pbkdf2 -pass env:PLAN_ARTIFACT_KEY -in "$f" -out "${f%.enc}"
done

# Refuse before touching anything if a protected resource would be destroyed or replaced.
node dist/scripts/plan-guard.js "$reviewed"/*.json --allow "${ALLOW_DESTROY:-}"

for stack in $(node dist/scripts/stacks.js --env "$env_name" --lines); do
  [ -f "$reviewed/$stack.tfplan" ] || { echo "::error::no reviewed plan for $stack"; exit 1; }
  echo "::group::apply $stack"
  cd "$root/cdktf.out/stacks/$stack"
  terraform init -input=false -no-color -backend-config="$root/backend.config"
  if ! terraform apply -input=false -no-color "$reviewed/$stack.tfplan" 2> apply.err; then
    cat apply.err >&2
    grep -q "Saved plan is stale" apply.err || exit 1
    echo "The reviewed plan of $stack is stale: re-planning and comparing."
    terraform plan -input=false -no-color -lock-timeout=5m -out=fresh.tfplan
    terraform show -json fresh.tfplan > fresh.json
    want="$(cd "$root" && node dist/scripts/plan-digest.js "$stack=$reviewed/$stack.json")"
    got="$(cd "$root" && node dist/scripts/plan-digest.js "$stack=cdktf.out/stacks/$stack/fresh.json")"
    if [ "$want" != "$got" ]; then
      echo "::error::$stack: the fresh plan differs from the reviewed one ($got != $want). Re-run the plan on a PR and review it."
      exit 1
    fi
    terraform apply -input=false -no-color fresh.tfplan
  fi
  cd "$root"
  echo "::endgroup::"
done
