#!/usr/bin/env bash
# The cluster-stack targets of a plan or drift run, from the <env>.runner files its AWS legs wrote
# (runner-status.sh), as JSON {"ready": [...], "waiting": [...]}:
# - ready: the environments whose cluster stacks can be planned now, each {env, label, ...}: a
#   label, and for a tenant (its "host" is another environment) a host whose own leg found the
#   runner there (its label is not "");
# - waiting: the tenants whose host's runner is not there yet, or whose host's leg did not say
#   (it failed before, or did not run): a job on the label would wait for a runner that never
#   comes, so their cluster stacks are reported as waiting for it instead (await-runner.sh).
# Usage: runner-targets.sh <dir with *.runner files>
set -euo pipefail
dir="$1"
shopt -s nullglob
files=("$dir"/*.runner)
jq -cs '
  (map({key: .env, value: .label}) | from_entries) as $labels
  | map(select(.label != "")) as $labelled
  | def hosted: (.host // .env) == .env or (($labels[.host] // "") != "");
  {ready: [$labelled[] | select(hosted)], waiting: [$labelled[] | select(hosted | not)]}' "${files[@]}" /dev/null
