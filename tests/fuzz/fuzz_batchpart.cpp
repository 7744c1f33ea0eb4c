// libFuzzer harness for a batch part file read and merged (clang,
// -fsanitize=fuzzer,address,undefined), built by the `fuzz` preset;
// scripts/fuzz.sh runs it. Crashers go to tests/fuzz/batchpart-crashers/, replayed by tst_fuzzcorpus.
#include "tests/fuzz/batchpartfuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string problem = rwfuzz::checkBatchPartInput(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
