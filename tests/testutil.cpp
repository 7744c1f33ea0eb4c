#include "testutil.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QtTest>

namespace rwtest {

std::unique_ptr<rw::ReplayModel> load(std::string_view bytes, unsigned threads)
{
    rw::LoadOptions options;
    options.limits.threads = threads;
    return rw::AuditLoader::loadBytes(bytes, "<test>", options);
}

std::string readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = f.readAll();
    return std::string(data.constData(), static_cast<std::size_t>(data.size()));
}

std::vector<rw::DiagnosticCode> codes(const rw::ReplayModel& model)
{
    std::vector<rw::DiagnosticCode> out;
    for (const auto& d : model.diagnostics())
        out.push_back(d.code);
    return out;
}

bool matchesGolden(const std::string& actual, const QString& goldenPath, const QString& actualDir)
{
    if (qEnvironmentVariableIsSet("RW_UPDATE_GOLDEN")) {
        QFile out(goldenPath);
        if (!out.open(QIODevice::WriteOnly))
            return false;
        out.write(actual.data(), static_cast<qint64>(actual.size()));
        return true;
    }
    const std::string expected = readFile(goldenPath);
    if (expected == actual)
        return true;
    const QString actualPath = (actualDir.isEmpty() ? goldenPath : actualDir + QLatin1Char('/') + QFileInfo(goldenPath).fileName()) +
                               QStringLiteral(".actual");
    QFile out(actualPath);
    if (out.open(QIODevice::WriteOnly))
        out.write(actual.data(), static_cast<qint64>(actual.size()));
    out.close();
    QProcess diff;
    diff.start(QStringLiteral("diff"), {QStringLiteral("-u"), goldenPath, actualPath});
    diff.waitForFinished();
    qWarning().noquote() << "golden mismatch:" << goldenPath << "\n"
                         << QString::fromUtf8(diff.readAllStandardOutput()).left(4000);
    return false;
}

} // namespace rwtest
