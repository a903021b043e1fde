#!/usr/bin/env bash
# Applies the reviewed plans of one environment (or "shared": state-backend), stack by stack in
# dependency order, and applies nothing that was not reviewed:
# - plan-guard first: a protected resource destroyed or replaced stops everything;
# - a stack whose reviewed plan changes nothing is skipped;
# - a saved plan Terraform reports stale is re-planned, and applied only if its semantic digest
#   equals the reviewed one;
# - a stack downstream of one whose outputs this run changed is always re-planned (its saved plan
#   holds the old values) and applied only on a digest match; otherwise it stops and asks for a
#   new review, naming the stack and why;
# - a stack that could not be planned before its upstream was applied (a new environment) is
#   planned now, for review, and not applied: the script leaves those plans and a comment in
#   $NEW_PLANS_DIR and exits 3. Applying them is a new, reviewed run.
# Run from the project root after `npm run synth`.
# With a scope, only the stacks of that scope: "aws" (hosted runners) or "cluster" (the in-VPC
# runner); CHANGED_STACKS names stacks whose outputs an earlier job of the same apply changed.
# Usage: apply-env.sh <env|shared> <dir with the reviewed <stack>.{tfplan,json}.enc and <stack>.status.json> [aws|cluster]
set -euo pipefail
env_name="$1"
reviewed="$2"
scope="${3:-}"
: "${PLAN_ARTIFACT_KEY:?}"
root="$(pwd)"
new_plans="${NEW_PLANS_DIR:-$root/newly-plannable}"
shopt -s nullglob
for f in "$reviewed"/*.enc; do
  openssl enc -d -aes-256-cbc -pbkdf2 -pass env:PLAN_ARTIFACT_KEY -in "$f" -out "${f%.enc}"
done

# "<status> <changes>" of a status file (changes: true, false, or empty). jq, not node: it runs
# once per stack (jq is on GitHub's and CodeBuild's runner images).
fields() { jq -r '"\(.status // "") \(if .changes == null then "" else .changes end)"' "$1"; }
digest() { (cd "$root" && node dist/scripts/plan-digest.js "$1=$2"); }
# Re-plans the stack in the current folder; applies the fresh plan only if it makes the same
# changes as the reviewed one (equal semantic digests), else stops with the given reason.
apply_fresh_if_same() { # <stack> <error message>
  terraform plan -input=false -no-color -lock-timeout=5m -out=fresh.tfplan
  terraform show -json fresh.tfplan > fresh.json
  if [ "$(digest "$1" "$reviewed/$1.json")" != "$(digest "$1" "$PWD/fresh.json")" ]; then
    echo "::error::$2"
    exit 1
  fi
  terraform apply -input=false -no-color fresh.tfplan
}

plans=()
for f in "$reviewed"/*.json; do [[ "$f" == *.status.json ]] || plans+=("$f"); done
# Refuse before touching anything if a protected resource would be destroyed or replaced.
if [ "${#plans[@]}" -gt 0 ]; then
  node dist/scripts/plan-guard.js "${plans[@]}" --allow "${ALLOW_DESTROY:-}"
fi

changed=" ${CHANGED_STACKS:-} "   # stacks whose outputs this run changed
waiting=()         # stacks planned now, for review
plan_failed=0      # a stack that waited could not be planned now
# The AWS job carries the cluster stacks' reviewed statuses into this run's artifact, so that a
# follow-up run (apply with this run's id) finds a status for every stack of the environment.
if [ "$scope" = "aws" ]; then
  mkdir -p "$new_plans"
  for other in $(node dist/scripts/stacks.js --env "$env_name" --scope cluster --lines); do
    [ -f "$reviewed/$other.status.json" ] && cp "$reviewed/$other.status.json" "$new_plans/$other.status.json"
  done
fi
# Read whole first: nothing in the loop may consume the list from its stdin (terraform, node).
mapfile -t lines < <(node dist/scripts/stacks.js --env "$env_name" ${scope:+--scope "$scope"} --with-upstream --lines)
for line in "${lines[@]}"; do
  [ -n "$line" ] || continue   # an empty scope prints one empty line
  read -r stack upstream <<< "$line"
  status_file="$reviewed/$stack.status.json"
  [ -f "$status_file" ] || { echo "::error::no reviewed status for $stack: the plan run did not plan it; re-run the plan"; exit 1; }
  read -r status reviewed_changes <<< "$(fields "$status_file")"
  stale_upstream=""
  for u in $upstream; do [[ "$changed" == *" $u "* ]] && stale_upstream+="$u "; done
  for w in "${waiting[@]}"; do [[ " $upstream " == *" $w "* ]] && status="awaiting-upstream"; done
  echo "::group::$stack ($status)"
  dir="$root/cdktf.out/stacks/$stack"
  cd "$dir"
  terraform init -input=false -no-color -backend-config="$root/backend.config" >/dev/null
  case "$status" in
    awaiting-upstream)
      # Its upstream is applied now (or waits itself): plan it for a review of its own.
      mkdir -p "$new_plans"
      if terraform plan -input=false -no-color -lock-timeout=5m -out=review.tfplan 2> plan.err; then
        terraform show -json review.tfplan > "$new_plans/$stack.json"
        cp review.tfplan "$new_plans/$stack.tfplan"
        echo '{"status":"planned"}' > "$new_plans/$stack.status.json"
      elif grep -qE "Unable to find remote state|No stored state was found" plan.err; then
        # Its own upstream waits too (a new environment, wave by wave): the next run plans it.
        echo '{"status":"awaiting-upstream","detail":"upstream not applied yet"}' > "$new_plans/$stack.status.json"
      else
        cat plan.err >&2
        echo "::error::$stack could not be planned for review; fix it and re-run the plan"
        echo '{"status":"failed","detail":"could not be planned after its upstream was applied"}' > "$new_plans/$stack.status.json"
        plan_failed=1
      fi
      waiting+=("$stack")
      cd "$root"; echo "::endgroup::"; continue ;;
    planned) ;;
    *) echo "::error::$stack was not planned ($status): nothing reviewed to apply"; exit 1 ;;
  esac
  before="$(terraform output -json 2>/dev/null || echo '{}')"
  if [ -n "$stale_upstream" ]; then
    # The reviewed plan read the outputs of $stale_upstream before this run changed them.
    apply_fresh_if_same "$stack" "$stack needs a new review: the outputs of ${stale_upstream% } changed in this apply, and its plan differs from the reviewed one. Re-run the plan on a pull request."
  elif [ "$reviewed_changes" = "false" ]; then
    echo "$stack: the reviewed plan changes nothing; skipped."
  elif ! terraform apply -input=false -no-color "$reviewed/$stack.tfplan" 2> apply.err; then
    cat apply.err >&2
    grep -q "Saved plan is stale" apply.err || exit 1
    echo "The reviewed plan of $stack is stale: re-planning and comparing."
    apply_fresh_if_same "$stack" "$stack: the fresh plan differs from the reviewed one. Re-run the plan on a pull request and review it."
  fi
  after="$(terraform output -json 2>/dev/null || echo '{}')"
  [ "$before" = "$after" ] || changed+="$stack "
  # For a follow-up run that applies the layers planned below: this stack has nothing left to apply.
  mkdir -p "$new_plans" && echo '{"status":"planned","changes":false}' > "$new_plans/$stack.status.json"
  cd "$root"
  echo "::endgroup::"
done

# For the job that applies the rest of the environment (the cluster stacks, on its runner).
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "changed=$(echo "$changed" | xargs)" >> "$GITHUB_OUTPUT"; fi
[ "$plan_failed" -eq 0 ] || exit 1
if [ "${#waiting[@]}" -gt 0 ]; then
  echo "::warning::planned for review, not applied: ${waiting[*]} (they could not be planned before their upstream was applied)"
  pending=("$new_plans"/*.json)
  jsons=()
  for f in "${pending[@]}"; do [[ "$f" == *.status.json ]] || jsons+=("$f"); done
  if [ "${#jsons[@]}" -gt 0 ]; then
    node dist/scripts/plan-comment.js "${jsons[@]}" --out "$new_plans/comment.md"
    for f in "${jsons[@]}" "$new_plans"/*.tfplan; do
      openssl enc -aes-256-cbc -pbkdf2 -salt -pass env:PLAN_ARTIFACT_KEY -in "$f" -out "$f.enc"
    done
  fi
  exit 3
fi
