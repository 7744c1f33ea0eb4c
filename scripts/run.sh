#!/usr/bin/env bash
# The README's run command: installs what it needs (Debian 12, root or sudo),
# builds, and opens the workbench on the bundled sample audits. Without a
# display (no X11 or Wayland session) it prints the CLI listing instead.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)" --target replay-workbench aisecops-replay

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec build/dev/app/replay-workbench sample-audits/*.jsonl sample-audits/*.json
fi

echo "No display found (DISPLAY / WAYLAND_DISPLAY unset): showing the CLI listing of the sample audits."
echo "In a desktop session this command opens the workbench window; 'bash scripts/screenshots.sh' renders it offscreen."
echo
for f in sample-audits/*.jsonl sample-audits/*.json; do
  echo "== $f"
  build/dev/app/aisecops-replay --audit-file "$f" --list || true
  echo
done
