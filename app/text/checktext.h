#pragma once

#include "replay/evidence/evidenceverify.h"

#include <string>

namespace rw {

// Who reads a verification item: its hint is worded as what that reader can do.
enum class Reader : std::uint8_t { CommandLine, Window };

// An item's detail with its hint, for the CLI ("…: give --public-key to check
// it") or the window ("…: choose its public key when verifying to check it").
std::string checkDetailText(const CheckItem& item, Reader reader);

} // namespace rw
