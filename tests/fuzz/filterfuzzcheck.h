#pragma once

#include <string>
#include <string_view>

namespace rwfuzz {

// Parses `bytes` as a trace filter and evaluates it against a small loaded
// workspace. Invariants: no crash or overflow whatever the nesting or size,
// an error names a known code, has words and a position inside the input,
// and a filter that parses selects rows in order, the same as matches().
// Shared by fuzz_filter and tst_fuzzcorpus.
std::string checkFilterInput(std::string_view bytes);

} // namespace rwfuzz
