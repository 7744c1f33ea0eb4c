// libFuzzer harness for the CLI text writer (clang,
// -fsanitize=fuzzer,address,undefined): no control byte, bidi, zero-width or
// tag character survives escaping, the escaping can be reversed, and cells
// never exceed their width nor split a character or an escape.
#include "tests/fuzz/textfuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string problem = rwfuzz::checkTextInput(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!problem.empty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
