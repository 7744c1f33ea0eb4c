#pragma once

#include "model/outputfile.h"

#include <string>

namespace rw {

// Why an output was refused or not written, as one sentence naming the path
// (CLI "Error: ..." lines and the GUI's export messages say the same).
std::string outputFailureText(const std::string& path, const OutputFailure& failure);

} // namespace rw
