// libFuzzer harness for the policy and capability bundle loaders (clang,
// -fsanitize=fuzzer,address,undefined). Every input must load or be refused
// with diagnostics; a loaded bundle must evaluate a request without trouble.
#include "tests/fuzz/policyfuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string problem = rwfuzz::checkPolicyInput(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
