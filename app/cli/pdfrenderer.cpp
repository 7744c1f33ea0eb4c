#include "app/cli/pdfrenderer.h"

#include "app/pdf/reportpdfplugin.h"

#include <QFileInfo>
#include <QLibrary>

#include <cstdlib>

namespace rw {

namespace {

std::vector<std::string> candidates()
{
    if (const char* env = std::getenv("RW_REPORT_PDF"); env && *env)
        return {env}; // a test's or a packager's choice, and nothing else
    // the CLI has no QCoreApplication: its folder from /proc
    const QString self = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath().section(QLatin1Char('/'), 0, -2);
    const QString name = QLatin1String(kReportPdfModule);
    return {QString(self + QLatin1Char('/') + name).toStdString(),
            QFileInfo(self + QStringLiteral("/" RW_REPORT_PDF_RELDIR "/") + name).absoluteFilePath().toStdString()};
}

PdfRenderer load()
{
    PdfRenderer r;
    for (const std::string& path : candidates()) {
        r.tried.push_back(path);
        if (QFileInfo::exists(QString::fromStdString(path)))
            break;
    }
    const QString path = QString::fromStdString(r.tried.back());
    if (!QFileInfo::exists(path)) {
        r.error = PdfRenderer::Error::NotFound;
        return r;
    }
    // never unloaded: the QGuiApplication it makes lives until the process ends
    QLibrary library(path);
    if (!library.load()) {
        r.error = PdfRenderer::Error::NotLoaded;
        r.detail = library.errorString().toStdString();
        return r;
    }
    using Abi = int (*)();
    using Init = void (*)();
    using Render = void (*)(const char*, std::size_t, void*, RwReportPdfSink);
    const auto abi = reinterpret_cast<Abi>(library.resolve(kReportPdfAbiSymbol));
    const auto init = reinterpret_cast<Init>(library.resolve(kReportPdfInitSymbol));
    const auto render = reinterpret_cast<Render>(library.resolve(kReportPdfRenderSymbol));
    if (!abi || !init || !render || abi() != kReportPdfAbi) {
        r.error = PdfRenderer::Error::WrongModule;
        r.detail = !abi || !init || !render ? "missing " + std::string(!abi ? kReportPdfAbiSymbol : !init ? kReportPdfInitSymbol : kReportPdfRenderSymbol)
                                            : "interface " + std::to_string(abi()) + ", expected " + std::to_string(kReportPdfAbi);
        return r;
    }
    init();
    r.render = [render](const std::string& html) {
        std::string pdf;
        render(html.data(), html.size(), &pdf, [](void* context, const char* bytes, std::size_t size) {
            static_cast<std::string*>(context)->assign(bytes, size);
        });
        return pdf;
    };
    return r;
}

} // namespace

PdfRenderer loadPdfRenderer()
{
    static const PdfRenderer renderer = load();
    return renderer;
}

} // namespace rw
