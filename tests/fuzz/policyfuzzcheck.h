#pragma once

#include <string>
#include <string_view>

namespace rwfuzz {

// Loads `bytes` as a policy bundle and as a capability bundle, and evaluates a
// few requests under whatever loaded. Returns "" when every invariant holds.
// Shared by fuzz_policy and tst_fuzzcorpus.
std::string checkPolicyInput(std::string_view bytes);

} // namespace rwfuzz
