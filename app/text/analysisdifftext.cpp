#include "app/text/analysisdifftext.h"

#include "app/text/analysistext.h"
#include "app/text/anomalytext.h"
#include "model/visibletext.h"

#include <QStringList>

namespace rw {

using analysis::AnomalyChange;

namespace {

const QString kArrow = QStringLiteral(" \u2192 ");

QString where(const analysis::Anomaly& a)
{
    QString s = visibleUtf8(a.runId);
    if (a.stepIndex >= 0)
        s += QStringLiteral(" step ") + QString::number(a.stepIndex);
    if (!a.agentId.empty())
        s += QStringLiteral(" (") + visibleUtf8(a.agentId) + QLatin1Char(')');
    return s;
}

QString counted(std::int64_t n, const char* one, const char* many)
{
    return QString::number(n) + QLatin1Char(' ') + QLatin1String(n == 1 ? one : many);
}

QString result(const std::optional<analysis::CheckResult>& r)
{
    return r ? checkResultLabel(*r) : QStringLiteral("not applied");
}

} // namespace

QString anomalyChangeLine(const AnomalyChange& c)
{
    const analysis::Anomaly& a = c.either();
    QString mark, severity;
    switch (c.kind) {
    case AnomalyChange::Kind::Appeared:
        mark = QStringLiteral("+ ");
        severity = severityLabel(a.severity);
        break;
    case AnomalyChange::Kind::Vanished:
        mark = QStringLiteral("- ");
        severity = severityLabel(a.severity);
        break;
    case AnomalyChange::Kind::SeverityChanged:
        mark = QStringLiteral("~ ");
        severity = severityLabel(c.before->severity) + kArrow + severityLabel(c.after->severity);
        break;
    }
    return mark + QLatin1Char('[') + severity + QStringLiteral("] ") + where(a) + QStringLiteral(": ") +
           anomalyMessage(a);
}

QString checkChangeLine(const analysis::CheckChange& c)
{
    QString s = QStringLiteral("~ ") + visibleUtf8(c.runId);
    if (!c.agentId.empty())
        s += QStringLiteral(" (") + visibleUtf8(c.agentId) + QLatin1Char(')');
    s += QLatin1Char(' ') + visibleUtf8(c.policy) + QLatin1Char(' ') + visibleUtf8(c.check);
    if (!c.title.empty())
        s += QStringLiteral(" \u201c") + visibleUtf8(c.title) + QStringLiteral("\u201d");
    return s + QStringLiteral(": ") + result(c.before) + kArrow + result(c.after);
}

QString analysisDiffSummary(const analysis::AnalysisDiff& d)
{
    std::int64_t appeared = 0, vanished = 0, changed = 0;
    for (const AnomalyChange& c : d.changes)
        (c.kind == AnomalyChange::Kind::Appeared ? appeared : c.kind == AnomalyChange::Kind::Vanished ? vanished : changed)++;
    const QString tail = QStringLiteral(" (") + counted(d.runs, "run", "runs") + QStringLiteral(", ") +
                         counted(d.unchanged, "anomaly", "anomalies") + QStringLiteral(" unchanged)");
    if (d.empty())
        return QStringLiteral("No change under B") + tail;
    QStringList parts;
    if (appeared)
        parts << counted(appeared, "anomaly appears", "anomalies appear");
    if (vanished)
        parts << counted(vanished, "anomaly vanishes", "anomalies vanish");
    if (changed)
        parts << counted(changed, "anomaly changes severity", "anomalies change severity");
    if (!d.checkChanges.empty())
        parts << counted(static_cast<std::int64_t>(d.checkChanges.size()), "policy check changes its result",
                         "policy checks change their result");
    return QStringLiteral("Under B: ") + parts.join(QStringLiteral(", ")) + tail;
}

} // namespace rw
