#pragma once

#include <functional>
#include <string>
#include <vector>

namespace rw {

// The evidence report's PDF renderer for the CLI: the rw-report-pdf module
// (app/pdf), loaded only when a bundle is exported, so that aisecops-replay
// starts without Qt Gui and its libraries. Looked for at $RW_REPORT_PDF when
// set, else next to the executable (a build tree), else in the install tree's
// lib/replay-workbench/ (RW_REPORT_PDF_RELDIR from the executable's folder).
struct PdfRenderer
{
    enum class Error { None, NotFound, NotLoaded, WrongModule };
    Error error = Error::None;
    std::vector<std::string> tried; // the paths looked at, in order; the last is the one loaded
    std::string detail;             // the loader's reason (NotLoaded, WrongModule)
    std::function<std::string(const std::string& html)> render; // set when loaded

    bool ok() const { return error == Error::None; }
};

// Loads the module and readies it (an offscreen QGuiApplication); call on the
// main thread. Loaded once per process; later calls return the same.
PdfRenderer loadPdfRenderer();

} // namespace rw
