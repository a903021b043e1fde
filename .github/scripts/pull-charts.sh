#!/usr/bin/env bash
# Pulls every upstream chart the synthesized stacks pin, at its exact version, into
# DIR/<chart>-<version>/ (values.yaml, values.schema.json where there is one), for
# `npm run chart-values -- --check DIR`. Needs helm (on GitHub's Ubuntu runners) and cdktf.out.
set -euo pipefail
dir=${1:?usage: pull-charts.sh DIR}
mkdir -p "$dir"
list=$(node dist/scripts/chart-values.js --list)
[ -n "$list" ] || { echo "pull-charts: no charts in cdktf.out; run npm run synth first" >&2; exit 1; }
while read -r chart repository version; do
  work=$(mktemp -d)
  if [[ "$repository" == oci://* ]]; then
    helm pull "$repository/$chart" --version "$version" --untar --untardir "$work"
  else
    helm pull "$chart" --repo "$repository" --version "$version" --untar --untardir "$work"
  fi
  mkdir -p "$dir/$chart-$version"
  cp "$work/$chart/values.yaml" "$dir/$chart-$version/"
  if [ -f "$work/$chart/values.schema.json" ]; then cp "$work/$chart/values.schema.json" "$dir/$chart-$version/"; fi
  echo "pulled $chart $version"
  rm -rf "$work"
done <<< "$list"
