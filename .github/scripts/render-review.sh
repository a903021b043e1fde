#!/usr/bin/env bash
# The trusted review (plan-review.yml): renders and posts the plan comment of a pull request's
# plan run with the base branch's code, and sets the pull request's `plan-review` commit status.
# Only the plans come from the pull request (docs/review-workflow.md, "Trust model"):
# - the run's sealed .tfplan files are opened with the review key and their JSON derived here
#   (`terraform show -json`, providers from HashiCorp's namespace only: .github/terraformrc-review);
#   no JSON the pull request's jobs wrote is read;
# - the guard is the base branch's, with the base's protect lists and the change's together: a
#   `protect` entry the change removes still protects until the change has merged;
# - the comment's marker binds the run, the pull request, base and head, and each .tfplan's sha256,
#   signed with the review key: apply takes exactly these plans, and nothing else;
# - allows count from approving reviews of the head by approvers (review-run.js allows).
# The status is success only when every stack has a plan (or waits for its upstream, or is an
# operator's) and everything the guard refuses is allowed.
# Run from the base branch's checkout after `npm run synth`.
# Usage: render-review.sh <plan run id> <pr> <head sha>   (GH_TOKEN, REPO, PLAN_PRIVATE_KEY, BASE_SHA, CONCLUSION, WORK)
set -euo pipefail
run="$1"
pr="$2"
head="$3"
: "${GH_TOKEN:?}" "${REPO:?}"
root="$(pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck disable=SC1091 # sourced from this script's own folder
. "$here/review-key.sh"
work="${WORK:-$root/review-work}"
# The base branch's commit this checkout is: the judge the binding names.
base="${BASE_SHA:-$(git rev-parse HEAD)}"
rm -rf "$work" && mkdir -p "$work/plans" "$work/change"
status() { gh api --method POST "repos/$REPO/statuses/$head" -f "state=$1" -f context=plan-review -f "description=$2" >/dev/null; }
trap 'status failure "the review could not be rendered: see the plan-review run"' ERR

shopt -s nullglob
gh run download "$run" --dir "$work/artifacts"
[ -f "$work/artifacts/cdktf-out/manifest.json" ] || { echo "::error::run $run has no cdktf-out artifact: its synth failed" >&2; exit 1; }
# The run's synth as data: the manifest and each stack's *.tf.json only, in fresh folders, so that
# no provider, lock file or .terraform folder the pull request's job left there is ever used.
out="$work/synth"
mkdir -p "$out/stacks"
cp "$work/artifacts/cdktf-out/manifest.json" "$out/"
for d in "$work/artifacts/cdktf-out/stacks"/*/; do
  mkdir -p "$out/stacks/$(basename "$d")"
  for f in "$d"*.tf.json; do cp "$f" "$out/stacks/$(basename "$d")/"; done
done
for d in "$work/artifacts"/plans-*/; do cp -R "$d". "$work/plans/"; done
"$here/unseal.sh" "$work/plans"

# Terraform and its providers never see the review key.
terraform() { env -u PLAN_PRIVATE_KEY -u PLAN_DIGEST_KEY terraform "$@"; }  # env runs the binary, not this function
# Each plan's JSON, derived from the .tfplan itself.
export TF_CLI_CONFIG_FILE="$root/.github/terraformrc-review"
jsons=()
for f in "$work/plans"/*.tfplan; do
  stack="$(basename "$f" .tfplan)"
  dir="$out/stacks/$stack"
  [ -d "$dir" ] || { echo "::error::run $run holds a plan of $stack, which its synth does not have" >&2; exit 1; }
  (cd "$dir" && terraform init -backend=false -get=false -input=false -no-color >/dev/null && terraform show -json "$f") > "$work/plans/$stack.json"
  jsons+=("$work/plans/$stack.json")
done
# The change's protect lists: its config files, read as data (never run), through the API (the
# checkout keeps no credentials).
gh api "repos/$REPO/tarball/$head" | tar -xz -C "$work/change" --strip-components=1 --wildcards '*/config/*'
[ -d "$work/change/config" ] || { echo "::error::the head $head has no config folder" >&2; exit 1; }
# Orphaned states: what each leg found in the bucket, and what the base branch's own synth (this
# checkout's cdktf.out) says leaves the code (a stack it has and the change's synth has not),
# whatever the legs report.
orphan_files=("$work/plans"/orphans-*.json)
counted_by="$(for f in "${orphan_files[@]}"; do n="$(basename "$f" .json)"; n="${n#orphans-}"; [ "$n" = shared ] || printf '%s,' "$n"; done)"
node dist/scripts/orphans.js --merge "${orphan_files[@]}" --counted-by "$counted_by" --removed cdktf.out/manifest.json --manifest "$out/manifest.json" > "$work/orphans.json"
orphan_args=()
[ "$(jq length "$work/orphans.json")" = "0" ] || orphan_args=(--orphans "$work/orphans.json")

node dist/scripts/plan-binding.js --run "$run" --pr "$pr" --base "$base" --head "$head" --plans "$work/plans" "${orphan_args[@]}" > "$work/binding.json"
allow="$(node dist/scripts/review-run.js allows --repo "$REPO" --pr "$pr" --binding "$work/binding.json")"
# The account stacks: an operator applies them; planned here when their state is in the bucket.
operators="$(node dist/scripts/stacks.js --manifest "$out/manifest.json" --env bootstrap --lines 2>/dev/null | paste -sd, - || true)"
# The comment first, whatever the verdict: a plan the guard cannot judge is shown with its warning.
node dist/scripts/plan-comment.js "${jsons[@]}" --statuses "$work/plans" --manifest "$out/manifest.json" --config-dir config --config-dir "$work/change/config" \
  --allow "$allow" --binding "$work/binding.json" "${orphan_args[@]}" --operator-stacks "$operators" \
  --out "$work/comment.md" --full-out "$work/full.md" --summary-out "$work/summary.md" \
  --verdict-out "$work/verdict" --unplanned-out "$work/unplanned"
# Signed as a whole: the binding, the digest and every character a reviewer reads.
node dist/scripts/plan-binding.js --sign "$work/comment.md"
# The guard's verdict (0 nothing refused, 1 something refused until allowed, 2 a plan it cannot
# judge), and the stacks with no plan and no reason not to.
verdict="$(cat "$work/verdict")"
unplanned="$(cat "$work/unplanned")"
[ -z "${GITHUB_STEP_SUMMARY:-}" ] || cat "$work/summary.md" >> "$GITHUB_STEP_SUMMARY"
PR="$pr" "$here/post-comment.sh" "$work/comment.md"
trap - ERR
if [ -n "${CONCLUSION:-}" ] && [ "$CONCLUSION" != "success" ]; then status failure "the plan run ended ${CONCLUSION}: apply takes only a successful one; fix it and push"
elif [ -n "$unplanned" ]; then status failure "no plan of: $unplanned"
elif [ "$verdict" -eq 2 ]; then status failure "a plan cannot be judged (errored, incomplete or unknown actions): see the comment"
elif [ "$verdict" -ne 0 ]; then status failure "refused by the guard unless allowed: see the comment's /allow lines"
else status success "every stack planned and judged by ${base:0:7}"; fi
