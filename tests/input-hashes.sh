#!/usr/bin/env bash
# Audit files are evidence: no test may change an input. Run as `record OUT`
# before the suite and `check OUT` after it (ctest fixtures); every file under
# sample-audits/, tests/data/, tests/golden/, tests/fuzz/*corpus/ and the
# peer-compat corpus (when ../shared is present) is hashed both times.
set -euo pipefail
mode="$1" out="$2" src="$3" shared="${4:-}"
list() {
  local dirs=("$src/sample-audits" "$src/tests/data" "$src/tests/golden")
  for d in "$src"/tests/fuzz/*corpus; do dirs+=("$d"); done
  if [ -n "$shared" ] && [ -d "$shared/peer-compat" ]; then dirs+=("$shared/peer-compat"); fi
  find "${dirs[@]}" -type f -not -name '*.actual' -print0 2>/dev/null | sort -z | xargs -0 sha256sum
}
case "$mode" in
  record) list > "$out" ;;
  check)
    now=$(mktemp); trap 'rm -f "$now"' EXIT
    list > "$now"
    if ! diff -u "$out" "$now"; then
      echo "FAIL: a test changed, added or removed an input file (lines above)" >&2
      exit 1
    fi
    echo "all $(wc -l < "$now") input files unchanged" ;;
  *) echo "usage: $0 record|check OUT SOURCE_DIR [SHARED_DIR]" >&2; exit 2 ;;
esac
