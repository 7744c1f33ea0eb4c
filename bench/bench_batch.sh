#!/usr/bin/env bash
# The batch benchmark's folder: 10,000 run-trace files of about 100 KiB (1 GiB
# in all, from gen_runs.py, seeded), then bench_batch on it; deleted after.
# MIX is gen_runs.py's: `fleet` (the default) has the seed's share of clean
# runs; `stress` makes nearly every run anomalous (about 11 anomalies a run,
# a report larger than its inputs).
#   bench/bench_batch.sh BUILD_DIR [FILES] [SIZE] [MIX]
set -euo pipefail
build=${1:-build/release}
files=${2:-10000}
size=${3:-1G}
mix=${4:-fleet}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_runs.py" --size "$size" --mix "$mix" --out "$work/runs.jsonl"
python3 - "$work/runs.jsonl" "$work/fleet" "$files" <<'PY'
import os, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src, "rb").read().splitlines(keepends=True)
n = min(n, len(lines))
for k in range(n):  # n files, the runs shared out evenly, in order
    folder = os.path.join(out, "%02d" % (k % 100))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "runs-%05d.jsonl" % k), "wb") as f:
        f.writelines(lines[k * len(lines) // n:(k + 1) * len(lines) // n])
PY
rm "$work/runs.jsonl"
"$build/bench/bench_batch" "$work/fleet"
