#include "replay/evidence/evidencetracedocs.h"

#include "model/intracediff.h"
#include "model/upstreamjson.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/graph/executiongraph.h"
#include "replay/graph/graphdot.h"

#include <charconv>

namespace rw {

namespace {

// Appends one CSV cell; written in place, as the timeline of a trace can have
// millions of rows.
void appendCsvCell(std::string& out, std::string_view text)
{
    // a cell starting like a formula is a spreadsheet injection: neutralised, as OWASP advises
    const bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                                           text[0] == '\t' || text[0] == '\r');
    bool quote = false;
    for (const char c : text)
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    if (!quote) {
        if (formula)
            out += '\'';
        out.append(text.data(), text.size());
        return;
    }
    out += '"';
    if (formula)
        out += '\'';
    for (const char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

} // namespace

std::string timelineCsv(const ReplayModel& m, std::size_t trace)
{
    std::string out = "index,line,byte_offset,timestamp,event_type,decision_stage,decision,tool_name,agent_name,reason,"
                      "matched_rule,risk_level,provenance\n";
    // sized once: doubling through tens of MiB copies and maps it several times
    out.reserve(out.size() + m.traceEvents(trace).size() * 160);
    std::size_t i = 0;
    std::string provenance;
    auto number = [&out](std::uint64_t v) {
        char digits[24];
        out.append(digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, v).ptr - digits));
    };
    for (const std::uint32_t e : m.traceEvents(trace)) {
        const EventRecord& r = m.event(e);
        provenance.clear();
        for (const ProvenanceItem& p : m.provenance(r)) {
            if (!provenance.empty())
                provenance += "; ";
            provenance += m.str(p.sourceType);
            provenance += ':';
            provenance += m.str(p.sourceName);
            provenance += '=';
            provenance += m.str(p.trustLevel);
        }
        number(++i);
        out += ',';
        number(r.line);
        out += ',';
        number(r.offset);
        for (const Field f : {Field::Timestamp, Field::EventType, Field::DecisionStage, Field::Decision, Field::ToolName,
                              Field::AgentName, Field::Reason, Field::MatchedRule, Field::RiskLevel}) {
            out += ',';
            appendCsvCell(out, m.str(r, f));
        }
        out += ',';
        appendCsvCell(out, provenance);
        out += '\n';
    }
    return out;
}

TraceDocuments traceDocuments(const Workspace& ws, std::uint32_t r, const std::string& folderPrefix, const std::string& createdAt)
{
    TraceDocuments out;
    const TraceRow& row = ws.row(r);
    const ReplayModel& m = ws.fileOf(row);
    const std::string traceId(ws.str(row, row.traceId));
    const std::string dir = folderPrefix + safeMemberName(traceId) + "/";
    const TraceSummary& summary = ws.summary(r);
    const InTraceDiff diff = computeInTraceDiff(m, summary);
    const upstream::Json evidence = upstream::evidence(m, summary, diff, createdAt);
    out.members.push_back({dir + "summary.json", upstream::dump(upstream::summary(m, summary))});
    out.members.push_back({dir + "diff.json", upstream::dumpSorted(upstream::diff(diff, true))});
    out.members.push_back({dir + "evidence.json", upstream::dumpSorted(evidence)});
    out.members.push_back({dir + "evidence.md", upstream::evidenceMarkdown(evidence)});
    out.members.push_back({dir + "timeline.csv", timelineCsv(m, row.trace)});
    out.dot = toDot(buildExecutionGraph(m, row.trace));
    out.members.push_back({dir + "graph.dot", out.dot});
    const auto governance = evidence.find("final_governance_result");
    out.report = {traceId,
                  std::string(ws.str(row, row.agentName)),
                  std::string(ws.str(row, row.finalDecision)),
                  governance != evidence.end() && governance->is_string() ? governance->get<std::string>() : std::string(),
                  row.events,
                  row.diagnostics,
                  diff.mismatches.size(),
                  dir};
    return out;
}

} // namespace rw
