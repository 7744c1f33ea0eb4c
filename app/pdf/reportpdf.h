#pragma once

#include <string>

namespace rw {

// The evidence report's HTML as PDF, through Qt's own text document and PDF
// writer. Needs a QGuiApplication; ensureGuiApplication() makes an offscreen
// one for the CLI when none exists.
std::string renderReportPdf(const std::string& html);
void ensureGuiApplication();

} // namespace rw
