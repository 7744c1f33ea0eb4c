#!/usr/bin/env bash
# scripts/check-layers.sh must pass on the tree and catch each kind of breach:
# run on copies of the sources (the checked-out tree is never changed).
set -euo pipefail
src="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
check="$src/scripts/check-layers.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# sources and CMakeLists only, without build or autogen directories
(cd "$src" && find model replay views app tests bench \
   -type d \( -name build -o -name 'build-*' -o -name '*_autogen' \) -prune -o \
   \( -name '*.h' -o -name '*.cpp' -o -name CMakeLists.txt \) -print0 \
   | xargs -0 cp --parents -t "$tmp/")
pristine="$tmp/pristine"; mkdir "$pristine"
(cd "$tmp" && mv model replay views app tests bench "$pristine/")

out=$(bash "$check" "$pristine") || fail "clean tree rejected: $out"
echo "$out"

# expect CASE SUBSTRING: the mutated copy must fail and name the edge
expect() {
  local out rc=0
  out=$(bash "$check" "$tmp/$1" 2>&1) || rc=$?
  [ "$rc" -eq 1 ] || fail "$1: exit $rc, expected 1: $out"
  grep -qF -- "$2" <<<"$out" || fail "$1: missing '$2' in: $out"
  echo "$1: rejected as expected"
}
fresh() { cp -r "$pristine" "$tmp/$1"; }

fresh view-in-model
echo '#include "views/mainwindow.h"' >> "$tmp/view-in-model/model/workspace.cpp"
n=$(wc -l < "$tmp/view-in-model/model/workspace.cpp")
expect view-in-model "model/workspace.cpp:$n: model -> views (#include \"views/mainwindow.h\")"

fresh qualified
echo '#include "app/cli/textreport.h"' >> "$tmp/qualified/replay/policy/policyengine.cpp"
expect qualified 'replay/policy -> app/cli (#include "app/cli/textreport.h")'

fresh sideways
echo '#include "replay/compare/tracecompare.h"' >> "$tmp/sideways/replay/policy/policyengine.cpp"
expect sideways 'replay/policy -> replay/compare'

fresh bare
echo '#include "workspace.h"' >> "$tmp/bare/views/filterbar.cpp"
expect bare 'not qualified from the root (#include "workspace.h", write "model/workspace.h")'

fresh ambiguous
cp "$tmp/ambiguous/model/workspace.h" "$tmp/ambiguous/views/workspace.h"
expect ambiguous 'ambiguous header name workspace.h'

fresh widgets
echo 'target_link_libraries(rw_model PRIVATE Qt6::Widgets)' >> "$tmp/widgets/model/CMakeLists.txt"
expect widgets 'model -> Qt6::Widgets (target_link_libraries rw_model Qt6::Widgets)'

fresh link
echo 'target_link_libraries(rw_cli PRIVATE rw_views)' >> "$tmp/link/app/CMakeLists.txt"
expect link 'app/cli -> views (target_link_libraries rw_cli rw_views)'

fresh gui
echo 'target_link_libraries(rw_itemmodels PRIVATE Qt6::Gui)' >> "$tmp/gui/views/models/CMakeLists.txt"
expect gui 'views/models -> Qt6::Gui'
fresh pdf-linked
echo 'target_link_libraries(rw_cli PRIVATE rw_pdf)' >> "$tmp/pdf-linked/app/CMakeLists.txt"
expect pdf-linked 'app/cli -> app/pdf is loaded at run time, never linked (target_link_libraries rw_cli rw_pdf)'

fresh pdf-gui-cli
echo 'target_link_libraries(rw_cli PRIVATE Qt6::Gui)' >> "$tmp/pdf-gui-cli/app/CMakeLists.txt"
expect pdf-gui-cli 'app/cli -> Qt6::Gui'
echo "check-layers: all cases passed"
