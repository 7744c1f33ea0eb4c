#!/usr/bin/env bash
# Builds the release preset, generates a peer-shaped audit file (1 GiB by
# default) and runs the loader benchmark with its Python baseline, then the
# one-big-trace benchmark (its own generated file).
#   scripts/bench.sh [SIZE]      e.g. scripts/bench.sh 100M
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-1G}"
bash scripts/install-deps.sh
cmake --preset release -DRW_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target bench_load bench_reevaluate bench_evidence bench_graph bench_bigtrace rw-graph-layout
mkdir -p bench/data
data="bench/data/audit-${size}.jsonl"
[ -f "$data" ] || python3 bench/gen_audit.py --size "$size" --out "$data"
cat "$data" >/dev/null # warm page cache, as the targets assume
build/release/bench/bench_load "$data" --runs 3
build/release/bench/bench_reevaluate "$data"
RW_GRAPH_LAYOUT=build/release/app/rw-graph-layout build/release/bench/bench_evidence "$data" 1000
# one trace of 2,000,000 events and 500,000 plans (generated in a temporary
# directory): every per-trace command as a ratio to its load time, target <= 2x
build/release/bench/bench_bigtrace
# compressed logs (gzip as logrotate writes them, zstd): load time as a ratio to the plain file
cmake --build --preset release --target aisecops-replay
bash bench/bench_compressed.sh "$data"
