#pragma once

#include "app/text/reader.h"
#include "replay/evidence/evidenceverify.h"

#include <string>

namespace rw {

// A verification item's detail with its hint, worded as what its reader can
// do: for the CLI ("…: give --public-key to check it") or the window ("…:
// choose its public key when verifying to check it").
std::string checkDetailText(const CheckItem& item, Reader reader);

} // namespace rw
