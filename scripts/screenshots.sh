#!/usr/bin/env bash
# Renders the documentation screenshots of the workbench on the sample audits
# into docs/screenshots/ (offscreen, fixed 1600x1000 window).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target replay-workbench aisecops-replay rw-graph-layout -j "$(nproc)"
app=build/dev/app/replay-workbench
out=docs/screenshots
mkdir -p "$out"
export QT_QPA_PLATFORM=offscreen
"$app" --screenshot "$out/main.png" --select-trace fin-2026-03-05-invoice-7781 --drawer --event 8 sample-audits/*.jsonl sample-audits/*.json
"$app" --screenshot "$out/untrusted-skill.png" --select-trace skill-restart-prod-payments --drawer --event 2 sample-audits/untrusted-skill-restart.jsonl
"$app" --screenshot "$out/approval.png" --select-trace ops-restart-orders sample-audits/ops-restart-approval.jsonl
"$app" --screenshot "$out/filter.png" --filter 'decision:blocked OR governance:violation' sample-audits/*.jsonl sample-audits/*.json
"$app" --screenshot "$out/damaged.png" --findings --drawer --event 4 sample-audits/damaged.jsonl
"$app" --screenshot "$out/graph.png" --graph --select-trace fin-2026-03-05-invoice-7781 sample-audits/finance-email-blocked.jsonl
"$app" --screenshot "$out/graph-approval.png" --graph --select-trace ops-restart-orders --drawer --event 9 sample-audits/ops-restart-approval.jsonl
"$app" --screenshot "$out/compare.png" --select-trace ops-restart-orders --compare-with skill-restart-prod-payments \
  sample-audits/ops-restart-approval.jsonl sample-audits/untrusted-skill-restart.jsonl
"$app" --screenshot "$out/compare-graph.png" --select-trace ops-restart-orders --compare-with skill-restart-prod-payments \
  --compare-graph sample-audits/ops-restart-approval.jsonl sample-audits/untrusted-skill-restart.jsonl
"$app" --screenshot "$out/reevaluation.png" --policy sample-audits/policies/permissive.yaml --reevaluate all \
  --show-behind 'flips:blocked->allowed' --select-trace fin-2026-03-05-invoice-7781 --compare-reevaluation sample-audits/*.jsonl
"$app" --screenshot "$out/reevaluation-graph.png" --policy sample-audits/policies/permissive.yaml \
  --select-trace fin-2026-03-05-invoice-7781 --compare-reevaluation --compare-graph sample-audits/finance-email-blocked.jsonl
"$app" --screenshot "$out/anomalies.png" --filter 'anomalies>0' --anomalies --open-anomaly 6 \
  sample-audits/run-incidents.jsonl sample-audits/run-12345.json sample-audits/run-c891f-stream.jsonl \
  sample-audits/ops-restart-approval.jsonl
# a run trace's timeline: duration bars by action type, a stall, decision points, a step gone back to
"$app" --screenshot "$out/run-timeline.png" --select-trace run-disk-0907 --drawer --event 5 sample-audits/run-branching.json
# its decision tree: alternatives not taken, the step explored and abandoned, the path taken
"$app" --screenshot "$out/decision-tree.png" --select-trace run-disk-0907 --decision-tree sample-audits/run-branching.json
# the Governance Metrics window on three days of generated runs and the finance sample
runs=$(mktemp)
python3 bench/gen_runs.py --size 20M --out "$runs" >/dev/null
"$app" --screenshot "$out/governance.png" --governance tool:decision_points "$runs" sample-audits/finance-email-blocked.jsonl
"$app" --screenshot "$out/heatmap.png" --heatmap "$runs" sample-audits/run-incidents.jsonl
rm -f "$runs"
# an evidence bundle, verified, then the same bundle with one member changed
cli=build/dev/app/aisecops-replay
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cli" --generate-key "$tmp/case17" >/dev/null
"$cli" --audit-file sample-audits/finance-email-blocked.jsonl --trace-id fin-2026-03-05-invoice-7781 \
  --evidence "$tmp/case17.zip" --sign-key "$tmp/case17.key" --examiner "A. Auditor" --case CASE-17 >/dev/null
"$app" --screenshot "$out/verify-pass.png" --verify-bundle "$tmp/case17.zip" --public-key "$tmp/case17.pub" \
  sample-audits/finance-email-blocked.jsonl
python3 - "$tmp/case17.zip" "$tmp/tampered.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename == "audit/lines.jsonl":
            data = data.replace(b"vendor-quick-pay.biz", b"vendor-quick-pay.com", 1)
        dst.writestr(info.filename, data)
PY
"$app" --screenshot "$out/verify-fail.png" --verify-bundle "$tmp/tampered.zip" --public-key "$tmp/case17.pub" \
  sample-audits/finance-email-blocked.jsonl || true
echo "Screenshots written to $out/"
