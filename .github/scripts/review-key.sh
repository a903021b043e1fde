#!/usr/bin/env bash
# Sourced by the trusted scripts: PLAN_DIGEST_KEY, the key of the plans' semantic digest and of the
# comment binding's MAC, derived from the review private key, so that only the holders of that key
# (the plan-review and apply GitHub Environments) can sign or check a binding.
# shellcheck shell=bash
: "${PLAN_PRIVATE_KEY:?PLAN_PRIVATE_KEY is not set: this runs only in the plan-review and apply environments}"
PLAN_DIGEST_KEY="$(printf 'plan-digest\n%s' "$PLAN_PRIVATE_KEY" | sha256sum | cut -d' ' -f1)"
export PLAN_DIGEST_KEY
