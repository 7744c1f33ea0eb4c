// libFuzzer harness for the line loader (clang, -fsanitize=fuzzer,address,undefined).
// Built by the `fuzz` preset; scripts/fuzz.sh runs it. Crashers go to
// tests/fuzz/crashers/ and are replayed by tst_fuzzcorpus in every build.
#include "tests/fuzz/fuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string problem = rwfuzz::checkInput(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
