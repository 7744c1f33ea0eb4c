// libFuzzer harness for the analysis configuration loaders (clang,
// -fsanitize=fuzzer,address,undefined): every input is read as an analysis
// profile, a behavioural policy, exfiltration rules and a sequence profile;
// each must load or be refused with diagnostics, and what loads must be sane.
#include "tests/fuzz/analysisfuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string problem =
        rwfuzz::checkAnalysisConfigInput(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
