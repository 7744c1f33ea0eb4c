#include "app/text/governancetext.h"

#include "model/visibletext.h"

#include <QStringList>

#include <map>
#include <set>

namespace rw {

using namespace analysis;
using C = GovernanceCounter;

namespace {

QString share(std::int64_t part, std::int64_t whole)
{
    return whole > 0 ? QString::number(100.0 * static_cast<double>(part) / static_cast<double>(whole), 'f', 1) +
                           QLatin1Char('%')
                     : QStringLiteral("n/a");
}

std::int64_t at(const GovernanceRow& r, C c)
{
    return r[static_cast<std::size_t>(c)];
}

} // namespace

QString governanceTable(const GovernanceCounts& counts)
{
    const GovernanceRow t = counts.total();
    std::set<std::string> days;
    std::map<std::string, GovernanceRow> byAgent;
    for (const auto& [key, row] : counts.rows) {
        if (!key.hour.empty())
            days.insert(key.hour.substr(0, 10));
        GovernanceRow& a = byAgent.try_emplace(key.agent, GovernanceRow{}).first->second;
        for (std::size_t i = 0; i < kGovernanceCounters; ++i)
            a[i] += row[i];
    }
    QStringList lines;
    lines << QStringLiteral("Governance metrics (%1 day%2, %3 agent%4)")
                 .arg(days.size())
                 .arg(QLatin1String(days.size() == 1 ? "" : "s"))
                 .arg(byAgent.size())
                 .arg(QLatin1String(byAgent.size() == 1 ? "" : "s"));
    lines << QStringLiteral("  Decision points: %1 (blocked %2, %3; approval required %4, %5)")
                 .arg(at(t, C::DecisionPoints))
                 .arg(at(t, C::Blocked))
                 .arg(share(at(t, C::Blocked), at(t, C::DecisionPoints)))
                 .arg(at(t, C::ApprovalRequired))
                 .arg(share(at(t, C::ApprovalRequired), at(t, C::DecisionPoints)));
    lines << QStringLiteral("  Execution plans: %1 (blocked %2)").arg(at(t, C::Plans)).arg(at(t, C::BlockedPlans));
    lines << QStringLiteral("  Traces: %1 (replay coverage %2, graph reconstruction coverage %3)")
                 .arg(at(t, C::Traces))
                 .arg(share(at(t, C::ReplayableTraces), at(t, C::Traces)))
                 .arg(share(at(t, C::ReconstructableTraces), at(t, C::Traces)));
    lines << QStringLiteral("  Runtime incidents: %1; tool execution anomalies: %2")
                 .arg(at(t, C::RuntimeIncidents))
                 .arg(at(t, C::ToolAnomalies));
    lines << QStringLiteral("  Provenance trust: trusted %1, internal %2, external %3, unverified %4, other %5")
                 .arg(at(t, C::ProvenanceTrusted))
                 .arg(at(t, C::ProvenanceInternal))
                 .arg(at(t, C::ProvenanceExternal))
                 .arg(at(t, C::ProvenanceUnverified))
                 .arg(at(t, C::ProvenanceOther));
    lines << QStringLiteral("  Policy drift: not counted here (compare two policies: --policy B --baseline A --diff)");
    lines << QStringLiteral("By agent: decision points / blocked / approval required / traces / replay coverage / "
                            "incidents / anomalies");
    for (const auto& [agent, r] : byAgent)
        // one pass: an agent named "x%1" from a trace must not take a number's place
        lines << QStringLiteral("  %1: %2 / %3 / %4 / %5 / %6 / %7 / %8")
                     .arg(agent.empty() ? QStringLiteral("(no agent)") : visibleUtf8(agent),
                          QString::number(at(r, C::DecisionPoints)), QString::number(at(r, C::Blocked)),
                          QString::number(at(r, C::ApprovalRequired)), QString::number(at(r, C::Traces)),
                          share(at(r, C::ReplayableTraces), at(r, C::Traces)),
                          QString::number(at(r, C::RuntimeIncidents)), QString::number(at(r, C::ToolAnomalies)));
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString governanceCounterLabel(GovernanceCounter counter)
{
    switch (counter) {
    case C::DecisionPoints: return QStringLiteral("Decision points");
    case C::Blocked: return QStringLiteral("Blocked decisions");
    case C::ApprovalRequired: return QStringLiteral("Approval-required decisions");
    case C::Plans: return QStringLiteral("Execution plans");
    case C::BlockedPlans: return QStringLiteral("Blocked execution plans");
    case C::ProvenanceTrusted: return QStringLiteral("Provenance: trusted");
    case C::ProvenanceInternal: return QStringLiteral("Provenance: internal");
    case C::ProvenanceExternal: return QStringLiteral("Provenance: external");
    case C::ProvenanceUnverified: return QStringLiteral("Provenance: unverified");
    case C::ProvenanceOther: return QStringLiteral("Provenance: other");
    case C::Traces: return QStringLiteral("Traces");
    case C::ReplayableTraces: return QStringLiteral("Replayable traces");
    case C::ReconstructableTraces: return QStringLiteral("Reconstructable traces");
    case C::RuntimeIncidents: return QStringLiteral("Runtime incidents");
    case C::ToolAnomalies: return QStringLiteral("Tool execution anomalies");
    case C::Count: break;
    }
    return {};
}

QString governanceSummaryLine(const GovernanceCounts& counts)
{
    const GovernanceRow t = counts.total();
    return QStringLiteral("%1 traces \u00b7 replay coverage %2 \u00b7 graph coverage %3 \u00b7 %4 decision points, "
                          "%5 blocked \u00b7 %6 runtime incidents \u00b7 %7 tool execution anomalies")
        .arg(at(t, C::Traces))
        .arg(share(at(t, C::ReplayableTraces), at(t, C::Traces)), share(at(t, C::ReconstructableTraces), at(t, C::Traces)))
        .arg(at(t, C::DecisionPoints))
        .arg(share(at(t, C::Blocked), at(t, C::DecisionPoints)))
        .arg(at(t, C::RuntimeIncidents))
        .arg(at(t, C::ToolAnomalies));
}

} // namespace rw
