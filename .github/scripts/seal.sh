#!/usr/bin/env bash
# Seals files to the review public key (PLAN_PUBLIC_KEY, a PEM RSA public key: the repository
# variable of that name), so that only the holders of its private key (the plan-review and apply
# GitHub Environments) can read them: plan artifacts hold state values and secrets in clear, and
# any reader of the repository can download them. Jobs that run pull-request code hold no secret:
# a public key seals, and opens nothing.
# Per file: a fresh random 256-bit key encrypts it (AES-256-CBC), and RSA-OAEP (SHA-256) wraps that
# key; <file>.enc and <file>.key replace <file>, which is removed.
# Usage: seal.sh <file>...
set -euo pipefail
: "${PLAN_PUBLIC_KEY:?set the PLAN_PUBLIC_KEY repository variable: plan artifacts are sealed to it (docs/review-workflow.md)}"
pub="$(mktemp)"
trap 'rm -f "$pub"' EXIT
printf '%s\n' "$PLAN_PUBLIC_KEY" > "$pub"
openssl pkey -pubin -in "$pub" -noout 2>/dev/null || { echo "::error::PLAN_PUBLIC_KEY is not a PEM public key" >&2; exit 1; }
for f in "$@"; do
  key="$(openssl rand -hex 32)"
  printf '%s' "$key" | openssl pkeyutl -encrypt -pubin -inkey "$pub" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -out "$f.key"
  printf '%s' "$key" | openssl enc -aes-256-cbc -pbkdf2 -salt -pass stdin -in "$f" -out "$f.enc"
  rm -f "$f"
done
