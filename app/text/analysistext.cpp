#include "app/text/analysistext.h"

#include "app/text/plural.h"
#include "model/visibletext.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>

namespace rw {

using analysis::AnalysisNote;
using analysis::Anomaly;
using analysis::BaselineSource;
using analysis::CheckResult;
using analysis::RunAnalysis;
using analysis::Severity;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("AnalysisText", text);
}

const QString kDash = QStringLiteral(" \u2014 ");

QString steps(std::int64_t n)
{
    return counted(static_cast<std::uint64_t>(std::max<std::int64_t>(n, 0)), "step", "steps");
}

} // namespace

QString checkResultLabel(CheckResult r)
{
    switch (r) {
    case CheckResult::Pass:
        return QStringLiteral("PASS");
    case CheckResult::Warn:
        return QStringLiteral("WARN");
    case CheckResult::Fail:
        return QStringLiteral("FAIL");
    }
    return QStringLiteral("PASS");
}

QString noteText(const AnalysisNote& n)
{
    switch (n.code) {
    case AnalysisNote::Code::NoBaseline:
        return tr("%1 not judged: no analysis profile matches this agent and the trace records no grant")
            .arg(anomalyCategory(n.detector));
    case AnalysisNote::Code::InsufficientBaseline:
        return tr("%1 not judged: insufficient baseline (%2, at least %3 needed)")
            .arg(anomalyCategory(n.detector),
                 counted(static_cast<std::uint64_t>(std::max<std::int64_t>(n.runs, 0)), "run", "runs"))
            .arg(n.needed);
    case AnalysisNote::Code::StepsNotKept:
        return tr("%1: an order rule looked back only %2; a matching step further back was not seen")
            .arg(anomalyCategory(n.detector), steps(n.needed));
    }
    return anomalyCategory(n.detector);
}

QString baselineSourceText(BaselineSource s)
{
    switch (s) {
    case BaselineSource::Profile:
        return tr("the analysis profile's baseline grant");
    case BaselineSource::Inferred:
        return tr("baseline inferred from the trace (no profile)");
    case BaselineSource::Granted:
        return tr("the trace's granted capabilities (no profile)");
    case BaselineSource::None:
        return tr("no profile and no grant recorded");
    }
    return {};
}

namespace {

QString orUnknown(const std::string& value)
{
    return value.empty() ? tr("unknown") : visibleUtf8(value);
}

QString permissionList(const std::vector<std::string>& permissions)
{
    if (permissions.empty())
        return tr("none");
    QStringList out;
    for (const std::string& p : permissions)
        out << visibleUtf8(p);
    return out.join(QStringLiteral(", "));
}

// "36.67s": rounded half up on whole milliseconds, so that no binary
// fraction decides the last digit
QString seconds(std::int64_t ms)
{
    const std::uint64_t magnitude =
        ms < 0 ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
    const std::uint64_t centis = (magnitude + 5) / 10;
    return QStringLiteral("%1%2.%3s")
        .arg(ms < 0 && centis > 0 ? QStringLiteral("-") : QString())
        .arg(centis / 100)
        .arg(centis % 100, 2, 10, QLatin1Char('0'));
}

QString baselineLine(const RunAnalysis& r)
{
    if (r.baselineSource == BaselineSource::None)
        return tr("Baseline: none") + kDash + baselineSourceText(r.baselineSource);
    const QString line = tr("Baseline: %1").arg(permissionList(r.baseline));
    // a profile's grant is the seed's plain line; a guess says it is one
    return r.baselineSource == BaselineSource::Profile ? line
                                                       : line + kDash + baselineSourceText(r.baselineSource);
}

QString anomalyLine(const Anomaly& a)
{
    const QString where = a.stepIndex < 0 ? tr("Run:") : tr("Step %1:").arg(a.stepIndex);
    return QLatin1Char('[') + severityLabel(a.severity) + QStringLiteral("] ") + where + QLatin1Char(' ') +
           anomalyMessage(a);
}

// "SOP-114 (triage-standard)": the run names its policy; a check of another
// policy (several applied) shows that policy's id
QString policyLabel(const RunAnalysis& r, const std::string& policy, bool onlyOne)
{
    const std::string& id = policy.empty() && onlyOne ? r.policyId : policy;
    const bool named = !r.policyName.empty() && (onlyOne || id == r.policyId);
    const QString label = id.empty() ? tr("unnamed") : visibleUtf8(id);
    return named ? label + QStringLiteral(" (") + visibleUtf8(r.policyName) + QLatin1Char(')') : label;
}

void appendPolicySections(const RunAnalysis& r, QStringList& lines)
{
    std::vector<std::string> policies; // in the order of their first check
    for (const analysis::PolicyCheckResult& c : r.checks)
        if (std::find(policies.begin(), policies.end(), c.policy) == policies.end())
            policies.push_back(c.policy);
    for (const std::string& policy : policies) {
        lines << tr("Behavioural Policy: %1").arg(policyLabel(r, policy, policies.size() == 1));
        for (const analysis::PolicyCheckResult& c : r.checks)
            if (c.policy == policy)
                lines << QLatin1Char('[') + checkResultLabel(c.result) + QStringLiteral("] ") +
                             visibleUtf8(c.title.empty() ? c.check : c.title);
    }
}

QString summaryLine(const RunAnalysis& r)
{
    const std::size_t warnings = r.count(Severity::Warn);
    const std::size_t critical = r.count(Severity::Critical);
    QString advice;
    // a critical finding comes first, whatever a policy check advises
    if (critical > 0 && !r.advice.empty())
        advice = tr("investigate the critical anomalies; %1").arg(visibleUtf8(r.advice));
    else if (!r.advice.empty())
        advice = visibleUtf8(r.advice);
    else if (critical > 0)
        advice = tr("investigate the critical anomalies");
    else if (warnings > 0)
        advice = tr("review the warnings");
    else
        advice = tr("no action needed");
    return tr("Summary: %1, %2 critical").arg(counted(warnings, "warning", "warnings")).arg(critical) +
           kDash + advice;
}

} // namespace

QString analysisReportText(const RunAnalysis& r)
{
    QStringList lines;
    lines << tr("Run Trace Analysis: %1").arg(orUnknown(r.runId));
    lines << tr("Agent: %1").arg(orUnknown(r.agentId));
    lines << tr("Duration: %1 (%2)").arg(seconds(r.durationMs), steps(r.steps));
    lines << tr("Status: %1").arg(orUnknown(r.status));
    lines << tr("Permissions:");
    lines << baselineLine(r);
    lines << tr("Used: %1").arg(permissionList(r.used));
    lines << tr("Escalated: %1").arg(permissionList(r.escalated));
    lines << tr("Anomalies:");
    if (r.anomalies.empty())
        lines << tr("None");
    for (const Anomaly& a : r.anomalies)
        lines << anomalyLine(a);
    appendPolicySections(r, lines);
    lines << summaryLine(r);
    for (const AnalysisNote& n : r.notes)
        lines << tr("Note: %1").arg(noteText(n));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString anomalyCardText(const Anomaly& a, const RunAnalysis& run)
{
    const auto v = [](const std::string& text) { return QString::fromStdString(visibleText(text)); };
    QStringList lines;
    lines << QStringLiteral("%1 · %2 · score %3").arg(severityLabel(a.severity), anomalyCategory(a.detector)).arg(a.score);
    lines << anomalyMessage(a);
    lines << QString();
    lines << tr("Rule: %1").arg(v(a.ruleId));
    QString where = tr("Run: %1").arg(v(a.runId));
    if (!a.agentId.empty())
        where += tr(" · agent %1").arg(v(a.agentId));
    where += a.stepIndex >= 0 ? tr(" · step %1").arg(a.stepIndex) : tr(" · the whole run");
    if (!a.time.empty())
        where += QStringLiteral(" · ") + v(a.time);
    lines << where;
    if (!a.witness.empty()) {
        lines << tr("Evidence (the exact bytes):");
        for (const analysis::Witness& w : a.witness) {
            // one arg() for all: a file name holding "%2" is not filled in by the next
            QString line = tr("  %1 line %2, byte %3, %4 bytes")
                               .arg(v(w.file.substr(w.file.find_last_of('/') == std::string::npos ? 0 : w.file.find_last_of('/') + 1)),
                                    QString::number(w.line), QString::number(w.offset), QString::number(w.length));
            if (w.stepIndex >= 0)
                line += tr(", step %1").arg(w.stepIndex);
            if (!w.pointer.empty())
                line += QStringLiteral(": ") + v(w.pointer);
            if (!w.value.empty())
                line += QStringLiteral(" = ") + v(w.value);
            lines << line;
        }
    }
    if (!run.baseline.empty() || run.baselineSource != BaselineSource::None) {
        QStringList baseline;
        for (const std::string& b : run.baseline)
            baseline << v(b);
        lines << tr("Baseline: %1").arg(baseline.isEmpty() ? tr("none") : baseline.join(QStringLiteral(", ")));
        lines << QStringLiteral("  ") + baselineSourceText(run.baselineSource);
    }
    if (!a.context.empty()) {
        lines << tr("Context:");
        for (auto it = a.context.begin(); it != a.context.end(); ++it)
            if (!it.value().is_null()) // an absent allow id, encode step...: nothing to read
            lines << QStringLiteral("  %1: %2").arg(v(it.key()), v(it.value().is_string() ? it.value().get<std::string>()
                                                                                         : it.value().dump()));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace rw
