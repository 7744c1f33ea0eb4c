#include "app/pdf/reportpdf.h"

#include <QBuffer>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

#include <memory>

namespace rw {

void ensureGuiApplication()
{
    if (QCoreApplication::instance())
        return;
    // the CLI has no display: render fonts and pages offscreen
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "aisecops-replay";
    static char* argv[] = {name, nullptr};
    static std::unique_ptr<QGuiApplication> app = std::make_unique<QGuiApplication>(argc, argv);
}

std::string renderReportPdf(const std::string& html)
{
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return {};
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setTitle(QStringLiteral("Evidence report"));
        writer.setCreator(QStringLiteral("Replay Workbench"));
        QTextDocument doc;
        doc.setHtml(QString::fromStdString(html));
        doc.print(&writer);
    }
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

} // namespace rw
