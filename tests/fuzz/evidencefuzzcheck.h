#pragma once

#include <string>
#include <string_view>

namespace rwfuzz {

// Reads bytes as an evidence bundle and verifies it; returns a description of
// a broken invariant, or an empty string. Shared by the fuzz harness and the
// corpus replay test.
std::string checkBundleInput(std::string_view bytes);

} // namespace rwfuzz
