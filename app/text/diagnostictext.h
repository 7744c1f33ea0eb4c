#pragma once

#include "model/diagnostic.h"
#include "model/sourcefile.h"

#include <string>

namespace rw {

// User-facing wording for load findings and open errors (CLI and GUI). Details
// and paths are quoted through the terminal writer (terminaltext.h).
std::string describeDiagnostic(const Diagnostic& d);
// "Warning: line N: ..." as the CLI prints it on stderr.
std::string diagnosticWarningLine(const Diagnostic& d);
// the same, naming the file it is in ("Warning: FILE: line N: ...": the live watch, whose source changes)
std::string diagnosticWarningLine(const Diagnostic& d, std::string_view file);
std::string describeOpenError(OpenError error, int errnoValue, const std::string& path);

} // namespace rw
