#include "textreport.h"

#include "timestamp.h"

#include <algorithm>
#include <cstdio>

namespace rw {

namespace {

std::string orText(const ReplayModel& m, const EventRecord& e, Field f, const char* fallback)
{
    return e.s(f) == kNoStr ? std::string(fallback) : std::string(m.str(e, f));
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

std::string padRight(std::string s, std::size_t width)
{
    if (s.size() > width)
        return s.substr(0, width - 1) + "~";
    s.resize(width, ' ');
    return s;
}

} // namespace

std::string timelineText(const ReplayModel& m, const TraceSummary& s)
{
    std::string out = "Trace: " + std::string(m.str(s.traceId)) + "\n";
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
                out += std::string(label) + ": " + std::string(m.str(e, f)) + "\n";
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
                    p.sourceName == kNoStr || m.str(p.sourceName).empty() ? "unnamed" : std::string(m.str(p.sourceName));
                out += "- " + std::string(m.str(p.sourceType)) + ": " + name + " (trust: " +
                       std::string(m.str(p.trustLevel)) + ")\n";
            }
        }
    }
    return out;
}

std::string summaryText(const ReplayModel& m, const TraceSummary& s)
{
    const EventRecord& last = m.event(static_cast<std::size_t>(s.lastEvent));
    std::string out = "Trace: " + std::string(m.str(s.traceId)) + "\n";
    out += "event_count: " + std::to_string(s.eventCount) + "\n";
    out += "final_decision: " + orText(m, last, Field::Decision, "unknown") + "\n";
    if (last.s(Field::ToolName) != kNoStr && !m.str(last, Field::ToolName).empty())
        out += "tool: " + std::string(m.str(last, Field::ToolName)) + "\n";
    if (last.s(Field::Reason) != kNoStr && !m.str(last, Field::Reason).empty())
        out += "final_reason: " + std::string(m.str(last, Field::Reason)) + "\n";
    std::vector<std::pair<std::string, std::uint32_t>> trust;
    for (const TrustCount& t : s.trustCounts)
        trust.emplace_back(std::string(m.str(t.trust)), t.count);
    std::sort(trust.begin(), trust.end());
    std::string trustText;
    for (const auto& [name, count] : trust)
        trustText += (trustText.empty() ? "" : ", ") + name + "=" + std::to_string(count);
    out += "provenance_trust: " + (trustText.empty() ? std::string("none") : trustText) + "\n";
    std::string versions;
    for (const StrId v : s.schemaVersions)
        versions += (versions.empty() ? "" : ", ") + (v == kNoStr ? std::string("legacy") : std::string(m.str(v)));
    out += "schema_versions: " + versions + "\n";
    return out;
}

std::string diffText(const InTraceDiff& d)
{
    auto o = [](const std::optional<std::string_view>& v) { return v ? std::string(*v) : std::string("-"); };
    std::string out = "Trace: " + std::string(d.traceId) + "\n";
    out += "planned_tool: " + o(d.plannedTool) + "\n";
    out += "planned_intent: " + o(d.plannedIntent) + "\n";
    out += "planned_risk_level: " + o(d.plannedRiskLevel) + "\n";
    std::string caps;
    for (const auto c : d.plannedCapabilities)
        caps += (caps.empty() ? "" : ", ") + std::string(c);
    out += "planned_capabilities: " + (caps.empty() ? std::string("-") : caps) + "\n";
    out += "policy_decision: " + o(d.policyDecision) + "\n";
    out += "execution_outcome: " + std::string(d.executionOutcome()) + "\n";
    out += "governance_result: " + d.governanceResult + "\n";
    out += "mismatches: " + std::to_string(d.mismatches.size()) + "\n";
    for (const Mismatch& m : d.mismatches)
        out += "- [" + m.severity + "] " + m.type + ": expected " + m.expected + ", actual " + m.actual + " (" +
               m.reason + ")\n";
    out += "summary: " + d.summary + "\n";
    return out;
}

std::string listText(const ReplayModel& m, const std::vector<TraceSummary>& summaries,
                     const std::vector<std::size_t>& rows)
{
    std::string out = padRight("TRACE", 36) + " " + padRight("EVENTS", 6) + " " + padRight("DECISION", 16) + " " +
                      padRight("TOOL", 22) + " " + padRight("AGENT", 16) + " " + padRight("DURATION", 9) + " " +
                      "LAST SEEN\n";
    for (const std::size_t r : rows) {
        const TraceSummary& s = summaries[r];
        const EventRecord& last = m.event(static_cast<std::size_t>(s.lastEvent));
        std::string agent = orText(m, last, Field::AgentName, "-");
        out += padRight(std::string(m.str(s.traceId)), 36) + " " + padRight(std::to_string(s.eventCount), 6) + " " +
               padRight(orText(m, last, Field::Decision, "unknown"), 16) + " " +
               padRight(orText(m, last, Field::ToolName, "-"), 22) + " " + padRight(agent, 16) + " " +
               padRight(durationText(s.durationUs()), 9) + " " + orText(m, last, Field::Timestamp, "-") + "\n";
    }
    out += std::to_string(rows.size()) + (rows.size() == 1 ? " trace\n" : " traces\n");
    return out;
}

std::string statsText(const ReplayModel& m, double totalSeconds)
{
    const LoadStats& st = m.stats();
    char buf[256];
    std::string out = "file: " + m.path() + "\n";
    out += "format: " + std::string(m.format() == Format::RunTrace ? "run-trace" : "interceptor-jsonl") + "\n";
    out += "sha256: " + m.sha256() + "\n";
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
