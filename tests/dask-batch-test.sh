#!/usr/bin/env bash
# The batch on a Dask cluster of one scheduler and two workers on 127.0.0.1
# gives the report (and index) a single machine's --batch gives, byte for byte,
# on the seeded 342-file folder. Usage: dask-batch-test.sh CLI SOURCE_DIR
set -euo pipefail
cli=$1
src=$2
py=/usr/bin/python3
if ! "$py" -c 'import distributed' 2>/dev/null; then
  echo "SKIP: python3-distributed is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"$py" "$src/bench/gen_batch.py" --out "$tmp/fleet" >/dev/null
(cd "$tmp" && "$cli" --analyze --batch fleet --output single.json --index single-index.jsonl > single.txt)
grep -qx 'Critical anomalies: 3' "$tmp/single.txt"
grep -qx 'Warnings: 47' "$tmp/single.txt"
grep -qx 'Clean runs: 292' "$tmp/single.txt"

port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$tmp"
dask-scheduler --host 127.0.0.1 --port "$port" --dashboard-address 127.0.0.1:0 >scheduler.log 2>&1 &
pids+=($!)
for w in 1 2; do
  dask-worker "tcp://127.0.0.1:$port" --nworkers 1 --nthreads 1 --host 127.0.0.1 --dashboard-address 127.0.0.1:0 \
    --local-directory "$tmp/w$w" >"worker$w.log" 2>&1 &
  pids+=($!)
done
# both workers up before the map (else one worker may take every task)
"$py" - "$port" <<'PY'
import sys
from distributed import Client
with Client("tcp://127.0.0.1:%s" % sys.argv[1], timeout=60) as c:
    c.wait_for_workers(2, timeout=60)
PY
"$py" "$src/scripts/cluster/dask-batch.py" --scheduler "tcp://127.0.0.1:$port" --cli "$cli" --files-per-task 20 \
  --output dask.json --index dask-index.jsonl fleet > dask.txt
cmp single.json dask.json
cmp single-index.jsonl dask-index.jsonl
grep -qx 'Critical anomalies: 3' dask.txt
# both workers did some of the map
"$py" - "$port" <<'PY'
import sys
from distributed import Client
with Client("tcp://127.0.0.1:%s" % sys.argv[1]) as c:
    counts = c.run(lambda dask_worker: dask_worker.state.executed_count if hasattr(dask_worker, "state") else dask_worker.executed_count)
    assert len(counts) == 2 and all(n > 0 for n in counts.values()), counts
PY
echo "PASS: the Dask map and the local merge give single-machine --batch's report byte for byte"
