#!/usr/bin/env bash
# Prints, as JSON, the state keys no stack of the synth owns any more that still hold resources
# (docs/review-workflow.md, "Orphaned states"): a layer removed from an environment's config, say,
# leaves its state and its resources behind, unmanaged, never planned or drift-checked again.
# - <env>: every key under <env>/ (its plan role lists and reads its own prefix only); a key that
#   holds no managed resource (already destroyed) is not an orphan;
# - shared: the keys under a prefix that is no environment of the synth (an environment renamed or
#   removed, an account stack gone); the state account's plan role lists keys but reads no
#   environment's state, so their resources are not counted ("resources": null);
# - account-<id>: nothing (account stacks are applied by an operator).
# Output: [{"stack", "key", "resources"}], from review/orphans.ts. Needs the AWS CLI (on GitHub's
# runners), jq and cdktf.out. Any listing or reading error fails the script: "no orphans" is said
# only when the listing succeeded.
# Usage: find-orphans.sh <env|shared|account-<id>>
set -euo pipefail
env_name="$1"
setting() { sed -nE "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"?([^\"#[:space:]]+)\"?.*/\1/p" backend.config | head -n 1; }
bucket="$(setting bucket)"
region="$(setting region)"
if [ -z "$bucket" ] || [ -z "$region" ]; then echo "find-orphans: backend.config names no bucket or region" >&2; exit 1; fi
keys="$(mktemp)"
trap 'rm -f "$keys"' EXIT
case "$env_name" in
  account-*) echo "[]"; exit 0 ;;
  shared)
    aws s3api list-objects-v2 --region "$region" --bucket "$bucket" --output json \
      | jq '[.Contents // [] | .[].Key | {key: ., resources: null}]' > "$keys" ;;
  *)
    aws s3api list-objects-v2 --region "$region" --bucket "$bucket" --prefix "$env_name/" --output json \
      | jq '[.Contents // [] | .[].Key | select(endswith(".tfstate")) | {key: ., resources: null}]' > "$keys"
    # Only the keys no stack owns are read, to count what they still hold.
    counted="[]"
    unowned="$(node dist/scripts/orphans.js --env "$env_name" --keys "$keys" --lines)"
    for key in $unowned; do
      count="$(aws s3 cp --region "$region" "s3://$bucket/$key" - | jq '[.resources // [] | .[] | select(.mode == "managed") | (.instances // []) | length] | add // 0')"
      counted="$(jq -c --arg key "$key" --argjson n "$count" '. + [{key: $key, resources: $n}]' <<< "$counted")"
    done
    echo "$counted" > "$keys" ;;
esac
node dist/scripts/orphans.js --env "$env_name" --keys "$keys"
