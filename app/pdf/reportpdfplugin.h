#pragma once

// The C interface of the rw-report-pdf module (app/pdf/reportpdfplugin.cpp),
// which the CLI loads at run time when it exports an evidence bundle, so that
// aisecops-replay itself links no Qt Gui (app/cli/pdfrenderer.cpp finds and
// loads it). Plain C types: the module and the CLI share no C++ object.

#include <cstddef>

extern "C" {

// Receives the rendered PDF once; size 0 means nothing was rendered.
using RwReportPdfSink = void (*)(void* context, const char* bytes, std::size_t size);

// The interface version the module was built with: the loader refuses another.
int rw_report_pdf_abi();
// Makes an offscreen QGuiApplication when the process has no application yet.
// Called once, on the main thread, before the first render.
void rw_report_pdf_init();
// Renders the evidence report's HTML to PDF (renderReportPdf) and hands it to `sink`.
void rw_report_pdf_render(const char* html, std::size_t size, void* context, RwReportPdfSink sink);
}

namespace rw {

inline constexpr int kReportPdfAbi = 1;
inline constexpr char kReportPdfModule[] = "rw-report-pdf.so";
inline constexpr char kReportPdfAbiSymbol[] = "rw_report_pdf_abi";
inline constexpr char kReportPdfInitSymbol[] = "rw_report_pdf_init";
inline constexpr char kReportPdfRenderSymbol[] = "rw_report_pdf_render";

} // namespace rw
