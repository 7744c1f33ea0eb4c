#!/usr/bin/env bash
# The README's test command: installs what it needs (Debian 12, root or sudo),
# checks the layering (scripts/check-layers.sh), builds with AddressSanitizer +
# UndefinedBehaviorSanitizer and -Werror, runs every test, then runs each fuzz
# harness (scripts/fuzz.sh: loader, policy and evidence bundles, CLI text,
# filter language, analysis configuration, run streams, batch parts) for RW_FUZZ_SECONDS
# (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# layering before the build: a wrong include fails in a second, not after it
bash scripts/check-layers.sh

jobs=$(nproc)
cmake --preset asan
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

seconds="${RW_FUZZ_SECONDS:-60}"
if [ "$seconds" -gt 0 ]; then
  bash scripts/fuzz.sh "$seconds"
fi
echo "All tests passed."
