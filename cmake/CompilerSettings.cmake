# Project-wide compile settings, applied through the rw_settings interface target
# so that every library, executable and test shares them.
add_library(rw_settings INTERFACE)
# One include root for every target: includes name their layer
# ("model/workspace.h", "replay/policy/policyengine.h"), so an edge between
# layers is visible where it is made and scripts/check-layers.sh can check it.
target_include_directories(rw_settings INTERFACE ${PROJECT_SOURCE_DIR})

target_compile_definitions(rw_settings INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_USE_QSTRINGBUILDER
  QT_NO_KEYWORDS
  RW_VERSION="${PROJECT_VERSION}")

target_compile_options(rw_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wformat=2)

if(RW_WERROR)
  target_compile_options(rw_settings INTERFACE -Werror)
endif()

# The hot loader is tuned for x86-64-v2 plus carry-less multiply (see docs/performance.md);
# simdjson dispatches its stage-1 kernel at run time anyway, so nothing needs -march=native.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  target_compile_options(rw_settings INTERFACE -march=x86-64-v2 -mpclmul)
endif()

if(RW_SANITIZE)
  target_compile_definitions(rw_settings INTERFACE RW_ASAN)
  target_compile_options(rw_settings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(rw_settings INTERFACE -fsanitize=address,undefined)
endif()

if(RW_FUZZ)
  # coverage instrumentation for libFuzzer in every library the harness links
  target_compile_options(rw_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
