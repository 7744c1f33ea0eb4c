// libFuzzer harness for the trace filter language (clang,
// -fsanitize=fuzzer,address,undefined): any text parses or is refused with a
// positioned error, and a parsed filter evaluates consistently.
#include "tests/fuzz/filterfuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string problem = rwfuzz::checkFilterInput(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
