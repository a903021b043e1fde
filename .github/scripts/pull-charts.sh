#!/usr/bin/env bash
# Pulls every upstream chart the synthesized stacks pin, at its exact version, into
# DIR/<chart>-<version>/: Chart.yaml, values.yaml, values.schema.json where there is one, each
# subchart's values.yaml under charts/<name>/, and the chart's CRDs as Helm renders them
# (crds.yaml, from `helm template --include-crds`), for `npm run chart-values -- --check DIR` and
# `npm run kube-check -- --crds DIR`. Needs helm (on GitHub's Ubuntu runners) and cdktf.out.
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
  out="$dir/$chart-$version"
  mkdir -p "$out"
  cp "$work/$chart/Chart.yaml" "$work/$chart/values.yaml" "$out/"
  if [ -f "$work/$chart/values.schema.json" ]; then cp "$work/$chart/values.schema.json" "$out/"; fi
  for sub in "$work/$chart/charts"/*/; do
    [ -f "$sub/values.yaml" ] || continue
    mkdir -p "$out/charts/$(basename "$sub")"
    cp "$sub/values.yaml" "$out/charts/$(basename "$sub")/"
  done
  # The CRDs the cluster will serve: the crds/ folders and the CRD templates (External Secrets,
  # karpenter-crd). A chart that cannot render without values of its own brings no CRD we use.
  if ! helm template crds "$work/$chart" --include-crds --namespace crds > "$out/crds.yaml" 2> "$out/template-errors.txt"; then
    helm show crds "$work/$chart" > "$out/crds.yaml"
    echo "pulled $chart $version: helm template needs values ($(head -c 200 "$out/template-errors.txt")); took its crds/ folder only"
  fi
  echo "pulled $chart $version"
  rm -rf "$work"
done <<< "$list"
