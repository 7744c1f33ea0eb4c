#!/usr/bin/env bash
# Builds the libFuzzer harness (clang, ASan + UBSan) and fuzzes the line loader
# for N seconds (default 60), starting from tests/fuzz/corpus. A crash leaves
# its input in tests/fuzz/crashers/; commit it and tst_fuzzcorpus replays it in
# every build from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_loader -j "$(nproc)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp tests/fuzz/corpus/* "$work"/ 2>/dev/null || true
mkdir -p tests/fuzz/crashers
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build/fuzz/tests/fuzz/fuzz_loader "$work" tests/fuzz/corpus sample-audits \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/crashers/ -print_final_stats=1
