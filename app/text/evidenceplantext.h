#pragma once

#include "app/text/reader.h"
#include "replay/evidence/evidencebundle.h"

#include <string>

namespace rw {

// Why an evidence request could not be assembled, as one clause without
// "Error: " (the CLI prefixes it, the window puts it after "The evidence bundle
// was not written: "). The CLI names its flags; the window names what was
// chosen in the dialog.
std::string evidencePlanText(const EvidencePlanFailure& failure, Reader reader);

} // namespace rw
