#!/usr/bin/env bash
# The README's run command: installs what it needs (Debian 12, root or sudo),
# builds, and opens the bundled sample audits. Until the workbench window
# lands, "opening" them means the CLI listing of every sample audit.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target aisecops-replay

cli=build/dev/app/aisecops-replay
for f in sample-audits/*.jsonl sample-audits/*.json; do
  echo "== $f"
  "$cli" --audit-file "$f" --list || true
  echo
done
