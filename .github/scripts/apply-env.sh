#!/usr/bin/env bash
# Applies the reviewed plans of one environment (or "shared": state-backend), stack by stack in
# dependency order, and applies nothing that was not reviewed (docs/review-workflow.md, "Apply"):
# - every .tfplan must be one the approved comment's binding lists, with that exact sha256
#   (BINDING_FILE); a stack of the binding with no file, a file the binding does not list, or a
#   stack with neither a reviewed plan nor a reviewed wait is refused before anything is applied;
# - the JSON is derived here from the .tfplan (`terraform show -json`), never taken from an
#   artifact, and judged by the base branch's guard (GUARD, with every GUARD_CONFIG_DIRS protect
#   list and the reviewers' allows, ALLOW): a protected or data-destroying change stops everything;
# - a stack whose reviewed plan changes nothing is skipped;
# - a stack whose upstream's outputs are not what its plan saw (recorded at plan time: an apply
#   earlier in this run, a hand apply or a refresh) is re-planned, and applied only if the fresh
#   plan's semantic digest equals the reviewed one's; so is a saved plan Terraform reports stale;
#   otherwise it stops and asks for a new review, naming the stack and why;
# - a stack that could not be planned before its upstream was applied (a new environment) is
#   planned now, for review, and not applied: its plans (sealed), a signed comment and the
#   statuses go to $NEW_PLANS_DIR, and the script exits 3. Applying them is a new, reviewed run.
# Everything it prints reaches the log through mask-log.
# Run from the project root after `npm run synth`.
# Usage: apply-env.sh <env|shared> <dir with the reviewed, sealed artifacts> [aws|cluster]
# Environment: PLAN_PRIVATE_KEY, PLAN_PUBLIC_KEY, BINDING_FILE, ALLOW, GUARD, TRUSTED_DIST, FOLLOW_UP,
# GUARD_CONFIG_DIRS, NEW_PLANS_DIR (orphaned states are refused once per apply, before any
# environment, by find-reviewed-plan.sh); for a follow-up comment RUN_ID, PR and HEAD_SHA.
set -euo pipefail
env_name="$1"
reviewed="$2"
scope="${3:-}"
: "${BINDING_FILE:?BINDING_FILE: the verified binding of the approved plan comment (find-reviewed-plan.sh)}"
root="$(pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC1091 # sourced from this script's own folder
. "$here/review-key.sh"
# The judge's tools (the base branch's bundle in CI; this checkout's dist/ elsewhere). The stack list
# is the merged code's own (dist/scripts/stacks.js): it reads the synth being applied.
tools="$(cd "${TRUSTED_DIST:-$root/dist/scripts}" && pwd)"
guard_js="${GUARD:-$tools/plan-guard.js}"
read -r -a config_dirs <<< "${GUARD_CONFIG_DIRS:-config}"
new_plans="${NEW_PLANS_DIR:-$root/newly-plannable}"
mkdir -p "$new_plans"
# Everything this script and Terraform print goes through one masker (policy/secrets.ts's shapes):
# apply's output and errors can hold values. The trap lets it finish writing before the exit.
exec > >(node "$tools/mask-log.js") 2>&1
masker=$!
trap 'exec >&- 2>&-; wait "$masker"' EXIT
fail() { echo "::error::$*"; exit 1; }
# Terraform, its providers and provisioners never see the review key: a plan made from code that
# runs anything at apply (a local-exec) could otherwise sign bindings and open every artifact.
terraform() { env -u PLAN_PRIVATE_KEY -u PLAN_DIGEST_KEY terraform "$@"; }  # env runs the binary, not this function
"$here/unseal.sh" "$reviewed"

# Read whole first: nothing in the loops may consume the list from its stdin (terraform, node).
# A variable first: a failing command substitution stops the script (set -e), a process
# substitution would not.
listing="$(node dist/scripts/stacks.js --env "$env_name" ${scope:+--scope "$scope"} --with-upstream --lines)"
mapfile -t lines <<< "$listing"
stacks=()
for line in "${lines[@]}"; do [ -n "$line" ] && stacks+=("${line%% *}"); done
# The binding's sha256 of each stack's plan, read once (jq once, not once per question).
declare -A bound_sha=()
bindings="$(jq -r '.plans // {} | to_entries[] | "\(.key) \(.value)"' "$BINDING_FILE")"
while read -r s h; do [ -n "$s" ] && bound_sha[$s]="$h"; done <<< "$bindings"
# A bound plan of this environment whose stack the merged code no longer has would be dropped in
# silence: it left the code after the review (its state is orphaned). Stop.
everything=""
for s in "${!bound_sha[@]}"; do
  # An environment's stacks are <env>-<layer>: environment names have no hyphen. The whole list
  # only when one is outside this scope's (a node process fewer in the usual case).
  [ "${s%%-*}" = "$env_name" ] || continue
  grep -qx "$s" <<< "$(printf '%s\n' "${lines[@]%% *}")" && continue
  [ -n "$everything" ] || everything="$(node dist/scripts/stacks.js --env "$env_name" --lines)"
  grep -qx "$s" <<< "$everything" || fail "$s: the approved comment binds a plan of it, but the merged code has no such stack: re-run the plan"
done
bound() { printf '%s' "${bound_sha[$1]:-}"; }
in_scope() { local s; for s in "${stacks[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

# A saved plan applies the configuration stored in it, not the checkout's: each must be exactly
# the merged code's synth of its stack (a plan file is a zip; tfconfig/m-/ is the root module).
same_config() { # <stack> <tfplan>
  local dir="$root/cdktf.out/stacks/$1" stored expected f
  stored="$(unzip -Z1 "$2" 'tfconfig/*' 2>/dev/null | grep -vx 'tfconfig/modules.json' | sort)" || fail "$1: its plan file is not a Terraform plan (no tfconfig/)"
  expected="$(cd "$dir" && find . -maxdepth 1 -type f \( -name '*.tf.json' -o -name '*.tf' \) | sed 's#^\./#tfconfig/m-/#' | sort)"
  [ "$stored" = "$expected" ] || fail "$1: the reviewed plan was made from other files than the merged code's synth ($(echo "$stored" | tr '\n' ' ')): re-run the plan"
  for f in $stored; do
    unzip -p "$2" "$f" | cmp -s - "$dir/${f#tfconfig/m-/}" || fail "$1: the reviewed plan was made from another configuration than the merged code's (${f#tfconfig/m-/} differs): re-run the plan"
  done
}

# 1. Bind: each plan file is exactly the one reviewed, made from the merged code, and each stack
# has a reviewed plan or wait.
shopt -s nullglob
for f in "$reviewed"/*.tfplan; do
  stack="$(basename "$f" .tfplan)"
  in_scope "$stack" || continue
  [ -n "$(bound "$stack")" ] || fail "$stack: its plan file is in the artifacts, but the approved comment binds no plan of it; nothing of it was reviewed"
done
for stack in "${stacks[@]}"; do
  sha="$(bound "$stack")"
  if [ -n "$sha" ]; then
    [ -f "$reviewed/$stack.tfplan" ] || fail "$stack: the approved comment binds a plan of it (sha256 ${sha:0:12}…), but the artifacts hold none; re-run the plan"
    actual="$(sha256sum "$reviewed/$stack.tfplan" | cut -d' ' -f1)"
    [ "$actual" = "$sha" ] || fail "$stack: its plan file's sha256 is ${actual:0:12}…, the approved comment's ${sha:0:12}…: this is not the plan that was reviewed"
    same_config "$stack" "$reviewed/$stack.tfplan"
  else
    status="$(jq -r '.status // ""' "$reviewed/$stack.status.json" 2>/dev/null || true)"
    [ "$status" = "awaiting-upstream" ] || { [ "$status" = "applied" ] && [ "${FOLLOW_UP:-}" = "1" ]; } || fail "$stack: the approved comment binds no plan of it, and the plan run reports it ${status:-as nothing}: nothing reviewed to apply; re-run the plan"
  fi
done

# 2. Derive each reviewed plan's JSON from the .tfplan, and judge it with the base branch's guard.
jsons=()
for stack in "${stacks[@]}"; do
  [ -n "$(bound "$stack")" ] || continue
  (cd "$root/cdktf.out/stacks/$stack" && terraform init -input=false -no-color -backend-config="$root/backend.config" >/dev/null && terraform show -json "$reviewed/$stack.tfplan") > "$reviewed/$stack.json"
  jsons+=("$reviewed/$stack.json")
done
if [ "${#jsons[@]}" -gt 0 ]; then
  guard_args=()
  for d in "${config_dirs[@]}"; do guard_args+=(--config-dir "$d"); done
  node "$guard_js" "${jsons[@]}" --allow "${ALLOW:-}" "${guard_args[@]}"
fi

digest() { node "$tools/plan-digest.js" "$1=$2"; }
# Whether a bound plan changes anything: the binding says (plan-binding.ts computed it from this
# very .tfplan, whose sha256 it binds), so there is one test of it, not two.
changed_stacks=" $(jq -r '.changed // [] | join(" ")' "$BINDING_FILE") "
outputs_now() { (cd "$root/cdktf.out/stacks/$1" && terraform init -input=false -no-color -backend-config="$root/backend.config" >/dev/null && terraform output -json 2>/dev/null || echo '{}') | sha256sum | cut -d' ' -f1; }
# Re-plans the stack in the current folder; applies the fresh plan only if it makes the same
# changes as the reviewed one (equal semantic digests), else stops with the given reason.
apply_fresh_if_same() { # <stack> <error message>
  terraform plan -input=false -no-color -lock-timeout=5m -out=fresh.tfplan > /dev/null 2> plan.err || { cat plan.err; exit 1; }
  terraform show -json fresh.tfplan > fresh.json
  [ "$(digest "$1" "$reviewed/$1.json")" = "$(digest "$1" "$PWD/fresh.json")" ] || fail "$2"
  terraform apply -input=false -no-color fresh.tfplan
}

# The AWS job carries the cluster stacks' waits into this run's artifact, so that a follow-up run
# (apply with this run's id) finds a status for every stack of the environment.
if [ "$scope" = "aws" ]; then
  others="$(node dist/scripts/stacks.js --env "$env_name" --scope cluster --lines)"
  for other in $others; do
    if [ "$(jq -r '.status // ""' "$reviewed/$other.status.json" 2>/dev/null || true)" = "awaiting-upstream" ]; then cp "$reviewed/$other.status.json" "$new_plans/$other.status.json"; fi
  done
fi

# 3. Apply, in dependency order.
waiting=()         # stacks planned now, for review
plan_failed=0      # a stack that waited could not be planned now
for line in "${lines[@]}"; do
  [ -n "$line" ] || continue   # an empty scope prints one empty line
  read -r stack upstream <<< "$line"
  echo "::group::$stack"
  if [ -z "$(bound "$stack")" ] && [ "${FOLLOW_UP:-}" = "1" ] && [ "$(jq -r '.status // ""' "$reviewed/$stack.status.json")" = "applied" ]; then
    # A follow-up run: the run whose new plans it applies applied this stack already.
    echo "$stack: applied by the run that planned the rest; nothing to apply."
    echo '{"status":"applied"}' > "$new_plans/$stack.status.json"
    echo "::endgroup::"; continue
  fi
  cd "$root/cdktf.out/stacks/$stack"
  terraform init -input=false -no-color -backend-config="$root/backend.config" >/dev/null
  waits=""
  [ -n "$(bound "$stack")" ] || waits="its plan run reported it waiting"
  for w in "${waiting[@]}"; do [[ " $upstream " == *" $w "* ]] && waits="its upstream $w waits"; done
  if [ -n "$waits" ]; then
    # Its upstream is applied now (or waits itself): plan it for a review of its own.
    if terraform plan -input=false -no-color -lock-timeout=5m -out=review.tfplan > /dev/null 2> plan.err; then
      terraform show -json review.tfplan > "$new_plans/$stack.json"
      cp review.tfplan "$new_plans/$stack.tfplan"
      echo '{"status":"planned"}' > "$new_plans/$stack.status.json"
    elif grep -qE "Unable to find remote state|No stored state was found" plan.err; then
      # Its own upstream waits too (a new environment, wave by wave): the next run plans it.
      echo '{"status":"awaiting-upstream","detail":"upstream not applied yet"}' > "$new_plans/$stack.status.json"
    else
      cat plan.err
      echo "::error::$stack could not be planned for review; fix it and re-run the plan"
      echo '{"status":"failed","detail":"could not be planned after its upstream was applied"}' > "$new_plans/$stack.status.json"
      plan_failed=1
    fi
    waiting+=("$stack")
    cd "$root"; echo "::endgroup::"; continue
  fi
  # The upstreams whose outputs are not what this stack's plan saw when it was made.
  moved=""
  for u in $upstream; do
    [ -f "$reviewed/$u.outputs" ] || continue   # in another environment's artifact: not recorded here
    [ "$(outputs_now "$u")" = "$(cat "$reviewed/$u.outputs")" ] || moved+="$u "
  done
  if [ -n "$moved" ]; then
    echo "The outputs of ${moved% } changed since $stack was planned: re-planning and comparing."
    apply_fresh_if_same "$stack" "$stack needs a new review: the outputs of ${moved% } changed since it was planned (an apply, a hand apply or a refresh), and its plan differs from the reviewed one. Re-run the plan on a pull request."
  elif [[ "$changed_stacks" != *" $stack "* ]]; then
    echo "$stack: the reviewed plan changes nothing; skipped."
  elif ! terraform apply -input=false -no-color "$reviewed/$stack.tfplan" 2> apply.err; then
    cat apply.err
    grep -q "Saved plan is stale" apply.err || exit 1
    echo "The reviewed plan of $stack is stale: re-planning and comparing."
    apply_fresh_if_same "$stack" "$stack: the fresh plan differs from the reviewed one. Re-run the plan on a pull request and review it."
  fi
  # For a follow-up run that applies the layers planned below: this stack has nothing left to apply.
  echo '{"status":"applied"}' > "$new_plans/$stack.status.json"
  outputs_now "$stack" > "$new_plans/$stack.outputs"
  cd "$root"
  echo "::endgroup::"
done

[ "$plan_failed" -eq 0 ] || exit 1
if [ "${#waiting[@]}" -gt 0 ]; then
  echo "::warning::planned for review, not applied: ${waiting[*]} (they could not be planned before their upstream was applied)"
  pending=()
  for f in "$new_plans"/*.json; do [[ "$f" == *.status.json ]] || pending+=("$f"); done
  if [ "${#pending[@]}" -gt 0 ]; then
    # A comment bound to this run's new plans and signed, for review on the merged pull request.
    node "$tools/plan-binding.js" --run "${RUN_ID:?}" --pr "${PR:?}" --base "$(jq -r .base "$BINDING_FILE")" --head "${HEAD_SHA:?HEAD_SHA: the merge commit this run applies}" --plans "$new_plans" > "$new_plans/binding.json"
    node "$tools/plan-comment.js" "${pending[@]}" --binding "$new_plans/binding.json" --out "$new_plans/comment.md"
    node "$tools/plan-binding.js" --sign "$new_plans/comment.md"
    "$here/seal.sh" "$new_plans"/*.tfplan "$new_plans"/*.outputs
    rm -f "${pending[@]}"
  fi
  exit 3
fi
if [ -n "$(ls "$new_plans"/*.outputs 2>/dev/null)" ]; then "$here/seal.sh" "$new_plans"/*.outputs; fi
