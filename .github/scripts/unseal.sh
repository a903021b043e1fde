#!/usr/bin/env bash
# Opens what seal.sh sealed: every <file>.enc with its <file>.key in the given folders, with the
# review private key (PLAN_PRIVATE_KEY: a secret of the plan-review and apply GitHub Environments
# only). A .enc without its .key, or one that does not open, is an error: nothing is skipped.
# Usage: unseal.sh <dir>...
set -euo pipefail
: "${PLAN_PRIVATE_KEY:?PLAN_PRIVATE_KEY is not set: unsealing runs only in the plan-review and apply environments}"
priv="$(mktemp)"
trap 'rm -f "$priv"' EXIT
printf '%s\n' "$PLAN_PRIVATE_KEY" > "$priv"
shopt -s nullglob
for dir in "$@"; do
  for f in "$dir"/*.enc; do
    [ -f "${f%.enc}.key" ] || { echo "::error::$f has no ${f%.enc}.key: it was not sealed by seal.sh" >&2; exit 1; }
    if ! key="$(openssl pkeyutl -decrypt -inkey "$priv" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in "${f%.enc}.key" 2>/dev/null)"; then
      echo "::error::$f was sealed to another key than PLAN_PUBLIC_KEY's pair" >&2; exit 1
    fi
    printf '%s' "$key" | openssl enc -d -aes-256-cbc -pbkdf2 -pass stdin -in "$f" -out "${f%.enc}"
    rm -f "$f" "${f%.enc}.key"
  done
done
