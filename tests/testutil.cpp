#include "tests/testutil.h"

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

std::string manyPlansTrace(std::size_t plans, std::size_t tools, std::size_t trusts)
{
    std::string out;
    out.reserve(plans * 260);
    auto event = [&](std::size_t plan, const char* type, const char* decision) {
        const std::string p = std::to_string(plan);
        out += R"({"timestamp": "2026-03-05T14:00:00Z", "event_type": ")";
        out += type;
        out += R"(", "decision": ")";
        out += decision;
        out += R"(", "trace_id": "big", "agent_name": "bulk_agent", "execution_plan_id": "p)" + p +
               R"(", "tool_name": "tool)" + std::to_string(plan % tools) +
               R"(", "provenance": [{"source_type": "skill", "source_name": "s)" + p + R"(", "trust_level": "t)" +
               std::to_string(plan % trusts) + "\"}]}\n";
    };
    for (std::size_t i = 0; i < plans; ++i)
        event(i, "decision", i % 3 == 0 ? "blocked" : "allowed");
    event(0, "tool_executed", "allowed");
    return out;
}

std::string planLine(const std::string& trace, const std::string& id, const std::string& extra)
{
    return R"({"timestamp": "2026-05-17T00:00:0)" + std::to_string(id.size() % 10) +
           R"(Z", "event_type": "plan", "decision": "pending", "trace_id": ")" + trace + R"(", "event_id": ")" + id +
           "\"" + extra + "}";
}

} // namespace rwtest
