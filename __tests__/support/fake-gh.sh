#!/usr/bin/env bash
echo "gh $*" >> "$FAKE_GH_DIR/calls.log"
S="$FAKE_GH_DIR"
file_of() { printf '%s/api/%s.json' "$S" "$(printf '%s' "$1" | sed 's#[/?&=]#_#g')"; }
case "$1" in
  api)
    shift
    method=GET; jq_filter=""; path=""; fields=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --method) method="$2"; shift 2 ;;
        --paginate) shift ;;
        --jq) jq_filter="$2"; shift 2 ;;
        -f|-F) fields+=("$2"); shift 2 ;;
        *) path="$1"; shift ;;
      esac
    done
    if [ "$method" != GET ]; then printf '%s %s %s\n' "$method" "$path" "${fields[*]}" >> "$S/writes.log"; echo '{}'; exit 0; fi
    f="$(file_of "$path")"
    [ -f "$f" ] || { echo "gh: Not Found (HTTP 404): $path" >&2; exit 1; }
    if [ -n "$jq_filter" ]; then jq -r "$jq_filter" "$f"; else cat "$f"; fi ;;
  run)
    # gh run download <run> --name <artifact> --dir <dir>
    run="$3"; name=""; dir="."
    shift 3
    while [ $# -gt 0 ]; do case "$1" in --name) name="$2"; shift 2 ;; --dir|-D) dir="$2"; shift 2 ;; *) shift ;; esac; done
    src="$S/artifacts/$run/$name"
    [ -d "$src" ] || { echo "no artifact matches \"$name\"" >&2; exit 1; }
    mkdir -p "$dir" && cp -R "$src"/. "$dir"/ ;;
  issue)
    printf '%s\n' "$*" >> "$S/writes.log"
    if [ "$2" = list ]; then cat "$S/issues.txt" 2>/dev/null; fi ;;
  *) echo "fake gh: unsupported: $*" >&2; exit 3 ;;
esac
