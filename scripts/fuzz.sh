#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan) and runs each for N
# seconds (default 60): the line loader from tests/fuzz/corpus, the policy
# bundle loader from tests/fuzz/policy-corpus, the evidence reader and
# verifier from tests/fuzz/evidence-corpus, the CLI text writer from
# tests/fuzz/text-corpus, the filter language from tests/fuzz/filter-corpus and
# the analysis configuration loaders from tests/fuzz/analysisconfig-corpus and
# the streaming run-trace importer with the analysis from tests/fuzz/runstream-corpus,
# and a batch part read and merged from tests/fuzz/batchpart-corpus.
# A crash leaves its input in tests/fuzz/<harness>-crashers/ (the loader's in
# tests/fuzz/crashers/); commit it and
# tst_fuzzcorpus replays it in every build from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_loader fuzz_policy fuzz_evidence fuzz_text fuzz_filter fuzz_analysisconfig fuzz_runstream \
  fuzz_batchpart -j "$(nproc)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/loader" "$work/policy" "$work/evidence" "$work/text" "$work/filter" "$work/analysisconfig" "$work/runstream" \
  "$work/batchpart" tests/fuzz/batchpart-crashers \
  tests/fuzz/crashers tests/fuzz/policy-crashers tests/fuzz/evidence-crashers tests/fuzz/text-crashers \
  tests/fuzz/filter-crashers tests/fuzz/analysisconfig-crashers tests/fuzz/runstream-crashers
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
build/fuzz/tests/fuzz/fuzz_loader "$work/loader" tests/fuzz/corpus sample-audits \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/crashers/ -print_final_stats=1
build/fuzz/tests/fuzz/fuzz_policy "$work/policy" tests/fuzz/policy-corpus sample-audits/policies \
  -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/policy-crashers/ -print_final_stats=1
build/fuzz/tests/fuzz/fuzz_evidence "$work/evidence" tests/fuzz/evidence-corpus \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/evidence-crashers/ -print_final_stats=1
build/fuzz/tests/fuzz/fuzz_text "$work/text" tests/fuzz/text-corpus \
  -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/text-crashers/ -print_final_stats=1
build/fuzz/tests/fuzz/fuzz_filter "$work/filter" tests/fuzz/filter-corpus \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/filter-crashers/ -print_final_stats=1
build/fuzz/tests/fuzz/fuzz_analysisconfig "$work/analysisconfig" tests/fuzz/analysisconfig-corpus sample-audits/analysis \
  -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/analysisconfig-crashers/ -print_final_stats=1
build/fuzz/tests/fuzz/fuzz_runstream "$work/runstream" tests/fuzz/runstream-corpus \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/runstream-crashers/ -print_final_stats=1
build/fuzz/tests/fuzz/fuzz_batchpart "$work/batchpart" tests/fuzz/batchpart-corpus \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=tests/fuzz/batchpart-crashers/ -print_final_stats=1
