#!/usr/bin/env bash
# Installs the Debian 12 packages Replay Workbench needs to build and test.
# Idempotent: when everything is present it only runs dpkg-query and returns
# in well under a second (no apt-get update, no network).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev           # libFuzzer harness with ASan/UBSan
  # libraries
  qt6-base-dev qt6-base-dev-tools    # Qt6::Core, Widgets, Test, Network (the alerts' HTTP module)
  qt6-svg-dev                        # QSvgGenerator: the heatmap exported as SVG by its own painting code
  libgl-dev                          # Qt6Gui's CMake config wants OpenGL headers
  libsimdjson-dev                    # hot indexing path
  nlohmann-json3-dev                 # on-demand full-event parsing
  libyaml-cpp-dev                    # policy bundles
  libgraphviz-dev                    # execution graph layout
  libquazip1-qt6-dev                 # evidence bundles
  libssl-dev                         # SHA-256 / Ed25519 (libcrypto)
  libsodium-dev                      # BLAKE2b for minisign's signature and key formats
  zlib1g-dev libzstd-dev             # compressed audit logs (.gz, .zst) opened directly
  libisal-dev                        # ISA-L igzip: evidence bundles deflated at several times zlib's speed
  libre2-dev                         # reasoning~"re" in the filter language: linear-time regexes, no backtracking
  # running and testing
  python3 python3-jsonschema         # benchmark baseline; replay-diff.json schema test
  python3-distributed                # the batch's map on a Dask cluster (scripts/cluster, dask_batch test)
  xvfb xauth                         # headless GUI tests and screenshots
  minisign                           # checks that stock minisign accepts our evidence signatures
  gzip zstd                          # compressed audit logs in tests and benchmarks
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
