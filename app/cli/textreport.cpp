#include "app/cli/textreport.h"

#include "app/text/terminaltext.h"
#include "model/timestamp.h"

#include <algorithm>
#include <cstdio>

namespace rw {

namespace {

// Every value from the audit file goes through the terminal writer: a
// crafted line must not be able to rewrite what the examiner sees.
std::string t(std::string_view value) { return terminalText(value); }

std::string orText(const ReplayModel& m, const EventRecord& e, Field f, const char* fallback)
{
    return e.s(f) == kNoStr ? std::string(fallback) : t(m.str(e, f));
}

std::string durationText(std::int64_t us)
{
    char buf[32];
    if (us < 1000)
        std::snprintf(buf, sizeof buf, "%lld us", static_cast<long long>(us));
    else if (us < 1000000)
        std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(us) / 1e6);
    return buf;
}


} // namespace

std::string timelineText(const ReplayModel& m, const TraceSummary& s)
{
    std::string out = "Trace: " + t(m.str(s.traceId)) + "\n";
    std::size_t n = 0;
    for (const std::uint32_t i : m.traceEvents(s.trace)) {
        const EventRecord& e = m.event(i);
        out += "\n[" + std::to_string(++n) + "] " + orText(m, e, Field::EventType, "unknown") + "\n";
        out += "timestamp: " + orText(m, e, Field::Timestamp, "") + "\n";
        out += "event_id: " + orText(m, e, Field::EventId, "missing") + "\n";
        out += "schema_version: " + orText(m, e, Field::SchemaVersion, "legacy") + "\n";
        out += "stage: " + orText(m, e, Field::DecisionStage, "unknown") + "\n";
        out += "decision: " + orText(m, e, Field::Decision, "None") + "\n";
        // upstream prints these only when they are non-empty
        auto optional = [&](const char* label, Field f) {
            if (e.s(f) != kNoStr && !m.str(e, f).empty())
                out += std::string(label) + ": " + t(m.str(e, f)) + "\n";
        };
        optional("agent", Field::AgentName);
        optional("tool", Field::ToolName);
        optional("execution_plan_id", Field::ExecutionPlanId);
        optional("reason", Field::Reason);
        const auto prov = m.provenance(e);
        if (!prov.empty()) {
            out += "Provenance:\n";
            for (const ProvenanceItem& p : prov) {
                const std::string name =
                    p.sourceName == kNoStr || m.str(p.sourceName).empty() ? "unnamed" : t(m.str(p.sourceName));
                out += "- " + t(m.str(p.sourceType)) + ": " + name + " (trust: " + t(m.str(p.trustLevel)) + ")\n";
            }
        }
    }
    return out;
}

std::string summaryText(const ReplayModel& m, const TraceSummary& s)
{
    const EventRecord& last = m.event(static_cast<std::size_t>(s.lastEvent));
    std::string out = "Trace: " + t(m.str(s.traceId)) + "\n";
    out += "event_count: " + std::to_string(s.eventCount) + "\n";
    out += "final_decision: " + orText(m, last, Field::Decision, "unknown") + "\n";
    if (last.s(Field::ToolName) != kNoStr && !m.str(last, Field::ToolName).empty())
        out += "tool: " + t(m.str(last, Field::ToolName)) + "\n";
    if (last.s(Field::Reason) != kNoStr && !m.str(last, Field::Reason).empty())
        out += "final_reason: " + t(m.str(last, Field::Reason)) + "\n";
    std::vector<std::pair<std::string, std::uint32_t>> trust;
    for (const TrustCount& tc : s.trustCounts)
        trust.emplace_back(t(m.str(tc.trust)), tc.count);
    std::sort(trust.begin(), trust.end());
    std::string trustText;
    for (const auto& [name, count] : trust)
        trustText += (trustText.empty() ? "" : ", ") + name + "=" + std::to_string(count);
    out += "provenance_trust: " + (trustText.empty() ? std::string("none") : trustText) + "\n";
    std::string versions;
    for (const StrId v : s.schemaVersions)
        versions += (versions.empty() ? "" : ", ") + (v == kNoStr ? std::string("legacy") : t(m.str(v)));
    out += "schema_versions: " + versions + "\n";
    return out;
}

std::string diffText(const InTraceDiff& d)
{
    auto o = [](const std::optional<std::string_view>& v) { return v ? t(*v) : std::string("-"); };
    std::string out = "Trace: " + t(d.traceId) + "\n";
    out += "planned_tool: " + o(d.plannedTool) + "\n";
    out += "planned_intent: " + o(d.plannedIntent) + "\n";
    out += "planned_risk_level: " + o(d.plannedRiskLevel) + "\n";
    std::string caps;
    for (const auto c : d.plannedCapabilities)
        caps += (caps.empty() ? "" : ", ") + t(c);
    out += "planned_capabilities: " + (caps.empty() ? std::string("-") : caps) + "\n";
    out += "policy_decision: " + o(d.policyDecision) + "\n";
    out += "execution_outcome: " + t(d.executionOutcome()) + "\n";
    out += "governance_result: " + t(d.governanceResult) + "\n";
    out += "mismatches: " + std::to_string(d.mismatches.size()) + "\n";
    for (const Mismatch& m : d.mismatches)
        out += "- [" + t(m.severity) + "] " + t(m.type) + ": expected " + t(m.expected) + ", actual " + t(m.actual) +
               " (" + t(m.reason) + ")\n";
    out += "summary: " + t(d.summary) + "\n";
    return out;
}

std::string listText(const ReplayModel& m, const std::vector<TraceSummary>& summaries,
                     const std::vector<std::size_t>& rows)
{
    auto raw = [&](const EventRecord& e, Field f, std::string_view fallback) {
        return e.s(f) == kNoStr ? fallback : m.str(e, f);
    };
    // number columns widen to their longest value instead of cutting it
    std::size_t eventsWidth = 6, durationWidth = 9;
    for (const std::size_t r : rows) {
        eventsWidth = std::max(eventsWidth, std::to_string(summaries[r].eventCount).size());
        durationWidth = std::max(durationWidth, durationText(summaries[r].durationUs()).size());
    }
    std::string out = terminalCell("TRACE", 36) + " " + numberCell("EVENTS", eventsWidth) + " " +
                      terminalCell("DECISION", 16) + " " + terminalCell("TOOL", 22) + " " + terminalCell("AGENT", 16) +
                      " " + numberCell("DURATION", durationWidth) + " " + "LAST SEEN\n";
    for (const std::size_t r : rows) {
        const TraceSummary& s = summaries[r];
        const EventRecord& last = m.event(static_cast<std::size_t>(s.lastEvent));
        out += terminalCell(m.str(s.traceId), 36) + " " + numberCell(std::to_string(s.eventCount), eventsWidth) + " " +
               terminalCell(raw(last, Field::Decision, "unknown"), 16) + " " +
               terminalCell(raw(last, Field::ToolName, "-"), 22) + " " + terminalCell(raw(last, Field::AgentName, "-"), 16) +
               " " + numberCell(durationText(s.durationUs()), durationWidth) + " " +
               orText(m, last, Field::Timestamp, "-") + "\n";
    }
    out += std::to_string(rows.size()) + (rows.size() == 1 ? " trace\n" : " traces\n");
    return out;
}

std::string statsText(const ReplayModel& m, double totalSeconds)
{
    const LoadStats& st = m.stats();
    char buf[256];
    std::string out = "file: " + t(m.path()) + "\n";
    out += "format: " + std::string(m.format() == Format::RunTrace ? "run-trace" : "interceptor-jsonl") + "\n";
    // no hash of a file that changed while it was read (FILE_CHANGED says how)
    out += "sha256: " + (m.sha256().empty() ? std::string("unavailable: the file changed while it was read")
                                            : m.sha256()) + "\n";
    out += "bytes: " + std::to_string(st.bytes) + "\n";
    out += "lines: " + std::to_string(st.lines) + " (" + std::to_string(st.blankLines) + " blank)\n";
    out += "events: " + std::to_string(st.events) + " (" + std::to_string(st.rejected) + " unreadable, " +
           std::to_string(st.withoutTrace) + " without trace_id)\n";
    out += "traces: " + std::to_string(st.traces) + "\n";
    const double mb = static_cast<double>(st.bytes) / 1e6;
    std::snprintf(buf, sizeof buf,
                  "load: %.3f s index (%.3f s parallel parse; %.1f MB/s, %u threads, %u slices), %.3f s total\n",
                  st.indexSeconds, st.parseSeconds, st.indexSeconds > 0 ? mb / st.indexSeconds : 0.0, st.threads,
                  st.chunks, totalSeconds);
    out += buf;
    std::snprintf(buf, sizeof buf, "sha256 time: %.3f s\n", m.sha256Seconds());
    out += buf;
    std::uint64_t total = 0;
    for (const auto c : st.diagnosticCounts)
        total += c;
    out += "diagnostics: " + std::to_string(total) + "\n";
    for (std::size_t c = 0; c < kDiagnosticCodeCount; ++c)
        if (st.diagnosticCounts[c] > 0)
            out += "  " + std::string(diagnosticCodeName(static_cast<DiagnosticCode>(c))) + ": " +
                   std::to_string(st.diagnosticCounts[c]) + "\n";
    return out;
}

} // namespace rw
