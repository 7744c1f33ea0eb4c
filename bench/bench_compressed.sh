#!/usr/bin/env bash
# Load time of a compressed audit log (gzip -6 as logrotate writes it, and
# zstd -3) as a ratio to the same log uncompressed, all three timed in this
# one script with the release CLI (`--stats`: load, index, summaries and the
# SHA-256 of the file as stored), best of RUNS.
#   bench/bench_compressed.sh AUDIT.jsonl [RUNS]
set -euo pipefail
plain="$1" runs="${2:-3}"
cli="${RW_CLI:-build/release/app/aisecops-replay}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gzip -6 -c "$plain" > "$work/audit.jsonl.gz"
zstd -3 -q -c "$plain" > "$work/audit.jsonl.zst"
best() {
  local file="$1" t best=""
  for _ in $(seq "$runs"); do
    cat "$file" > /dev/null
    t=$( { /usr/bin/time -f "%e" "$cli" --audit-file "$file" --stats --quiet > /dev/null; } 2>&1 | tail -1)
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; fi
  done
  echo "$best"
}
p=$(best "$plain"); g=$(best "$work/audit.jsonl.gz"); z=$(best "$work/audit.jsonl.zst")
size() { stat -c %s "$1"; }
printf "plain %s bytes: %s s\n" "$(size "$plain")" "$p"
printf "gzip  %s bytes: %s s (%.2fx the plain load)\n" "$(size "$work/audit.jsonl.gz")" "$g" "$(awk "BEGIN{print $g/$p}")"
printf "zstd  %s bytes: %s s (%.2fx the plain load)\n" "$(size "$work/audit.jsonl.zst")" "$z" "$(awk "BEGIN{print $z/$p}")"
