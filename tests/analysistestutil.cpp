#include "tests/analysistestutil.h"

#include "replay/analysis/configloader.h"

#include <QStringList>

namespace rwtest {

bool parseAnalysisInput(int loader, const QByteArray& bytes, std::vector<rw::BundleDiagnostic>& d)
{
    using namespace rw::analysis;
    const std::string_view text(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    switch (loader) {
    case ProfileLoader:
        return parseAnalysisProfile(text, "t.yaml", d).has_value();
    case BehaviourLoader:
        return parseBehaviourPolicy(text, "t.yaml", d).has_value();
    case ExfilLoader:
        return parseExfilRules(text, "t.yaml", d).has_value();
    default:
        return parseSequenceProfile(text, "t.json", d).has_value();
    }
}

QString describe(const std::vector<rw::BundleDiagnostic>& d)
{
    QStringList lines;
    for (const rw::BundleDiagnostic& x : d)
        lines << QStringLiteral("%1:%2 %3 %4")
                     .arg(x.line)
                     .arg(x.column)
                     .arg(x.level == rw::BundleDiagnostic::Level::Error ? QStringLiteral("error")
                                                                        : QStringLiteral("warning"),
                          QString::fromStdString(x.message));
    return d.empty() ? QStringLiteral("no diagnostic") : lines.join(QLatin1Char('\n'));
}

bool hasErrorContaining(const std::vector<rw::BundleDiagnostic>& d, const QByteArray& part)
{
    for (const rw::BundleDiagnostic& x : d)
        if (x.level == rw::BundleDiagnostic::Level::Error &&
            QByteArray::fromStdString(x.message).contains(part))
            return true;
    return false;
}

} // namespace rwtest
