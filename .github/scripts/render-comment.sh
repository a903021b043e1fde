#!/usr/bin/env bash
# Decrypts the plans of a plan run and renders the sticky comment (comment.md) and the full plan
# for the job summary. Stacks without a plan are listed from their status files, or as missing.
# Usage: render-comment.sh <plans dir> <head sha>
set -euo pipefail
dir="$1"
sha="$2"
: "${PLAN_ARTIFACT_KEY:?}"
shopt -s nullglob
mkdir -p "$dir"
for f in "$dir"/*.json.enc; do
  openssl enc -d -aes-256-cbc -pbkdf2 -pass env:PLAN_ARTIFACT_KEY -in "$f" -out "${f%.enc}"
done
plans=()
for f in "$dir"/*.json; do [[ "$f" == *.status.json ]] || plans+=("$f"); done
# With no plan at all, the comment still lists every stack as missing or failed.
node dist/scripts/plan-comment.js "${plans[@]}" --statuses "$dir" --sha "$sha" --out comment.md --full-out full.md
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat full.md cdktf.out/policy-report.md >> "$GITHUB_STEP_SUMMARY"; fi
rm -f "${plans[@]}"
