#pragma once

#include <cstdint>

namespace rw {

// Who reads a message: each is told what it can do. The CLI's reader can set
// an environment variable or give a flag; the window's can only choose in a
// dialog or reinstall.
enum class Reader : std::uint8_t { CommandLine, Window };

} // namespace rw
