// The rw-report-pdf module: the report renderer behind a C interface, for a
// process (the CLI) that must not link Qt Gui to start.
#include "app/pdf/reportpdfplugin.h"

#include "app/pdf/reportpdf.h"

#include <QtGlobal>

#include <string>

extern "C" {

Q_DECL_EXPORT int rw_report_pdf_abi()
{
    return rw::kReportPdfAbi;
}

Q_DECL_EXPORT void rw_report_pdf_init()
{
    rw::ensureGuiApplication();
}

Q_DECL_EXPORT void rw_report_pdf_render(const char* html, std::size_t size, void* context, RwReportPdfSink sink)
{
    // nothing may unwind into the caller's C frame: a failure is an empty PDF
    std::string pdf;
    try {
        pdf = rw::renderReportPdf(std::string(html, size));
    } catch (...) {
        pdf.clear();
    }
    sink(context, pdf.data(), pdf.size());
}
}
