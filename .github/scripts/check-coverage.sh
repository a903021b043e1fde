#!/usr/bin/env bash
# Checks that the reviewed plans cover everything merged to main, so that no merged change is
# ever dropped: the plans were made on the pull request's head, which must contain every commit
# of main before the merge (the branch was up to date when it merged; require that in the branch
# protection). Prints, one per line, the commits of main since the last apply (exclusive) and
# before this merge: their own applies were cancelled or never ran, and this apply, whose
# reviewed plans include them, supersedes them.
# Usage: check-coverage.sh <merged-sha> <reviewed-head-sha> [<last-applied-sha>]
set -euo pipefail
merged="$1"
head="$2"
last="${3:-}"
before="$(git rev-parse "$merged^1")"
if ! git merge-base --is-ancestor "$before" "$head"; then
  echo "::error::the reviewed plans were made on $head, which does not contain $before (main before this merge): they do not include every merged change. Update the branch, let the plan run again, review, and merge." >&2
  exit 1
fi
if [ -n "$last" ] && [ "$last" != "$before" ]; then
  git rev-list --first-parent "$last..$before"
fi
