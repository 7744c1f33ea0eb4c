#include "tests/fuzz/filterfuzzcheck.h"

#include "app/text/queryerrortext.h"
#include "model/auditloader.h"
#include "model/stepquery.h"
#include "model/tracequery.h"
#include "model/workspace.h"

#include <memory>

namespace rwfuzz {

namespace {

// a few traces with every field the filter reads, long and odd values included
const rw::Workspace& workspace()
{
    static const std::unique_ptr<rw::Workspace> ws = [] {
        std::string jsonl;
        auto line = [&](const std::string& body) { jsonl += "{\"timestamp\": \"2026-03-05T14:00:0" + std::to_string(jsonl.size() % 10) + "Z\", " + body + "}\n"; };
        line(R"("event_type": "plan", "decision": "pending", "trace_id": "t1", "agent_name": "finance_agent", "tool_name": "send_email", "decision_stage": "plan", "provenance": [{"source_type": "skill", "trust_level": "unverified"}])");
        line(R"("event_type": "decision", "decision": "blocked", "trace_id": "t1", "agent_name": "finance_agent", "tool_name": "send_email", "reason": "Recipient not allowlisted", "runtime_violations": ["cost_limit_exceeded"])");
        line(R"("event_type": "decision", "decision": "require_approval", "trace_id": "t2", "agent_id": "agent-ops-001", "tool_name": "restart_service", "tenant_id": "acme")");
        line(R"("event_type": "tool_executed", "decision": "allowed", "trace_id": "t\u00e9-3 \u202e", "agent_name": ")" + std::string(4096, 'a') + R"(", "tool_name": "*glob*")");
        line(R"("event_type": "tool_allowed", "decision": "allowed", "trace_id": "t4", "agent_name": "AaAaAaAaAaAaAaAab", "tool_name": "x")");
        auto loaded = std::make_unique<rw::Workspace>();
        loaded->addFile(rw::AuditLoader::loadBytes(jsonl, "filter-fuzz.jsonl"));
        return loaded;
    }();
    return *ws;
}

// the same text as a behavioural rule, against every step of the workspace,
// each step in turn the anchor of `$step.…`
std::string checkStepQuery(std::string_view bytes)
{
    rw::QueryError error;
    const rw::StepQuery q = rw::StepQuery::parse(bytes, &error);
    if (error.code != rw::QueryErrorCode::None) {
        if (q.isValid() || error.position > bytes.size() || rw::queryErrorText(error).isEmpty())
            return "a step rule's error is incomplete";
        return {};
    }
    const rw::ReplayModel& model = workspace().file(0);
    rw::StepFactsBuilder anchorBuilder;
    rw::StepFactsBuilder builder;
    for (std::size_t a = 0; a < model.eventCount(); ++a) {
        const rw::StepFacts& anchor = anchorBuilder.build(model, a);
        for (std::size_t e = 0; e < model.eventCount(); ++e) {
            rw::StepFacts& step = builder.facts();
            builder.build(model, e);
            step.anchor = &anchor;
            const bool once = q.matches(step);
            if (once != q.matches(step))
                return "a step rule is not deterministic";
        }
    }
    return {};
}

} // namespace

std::string checkFilterInput(std::string_view bytes)
{
    const rw::Workspace& ws = workspace();
    if (ws.rows().size() != 4)
        return "the fuzz workspace did not load its four traces";
    rw::QueryError error;
    const rw::TraceQuery q = rw::TraceQuery::parse(bytes, &error);
    if (error.code != rw::QueryErrorCode::None) {
        if (error.code > rw::QueryErrorCode::VariableNotHere)
            return "an unknown error code";
        if (error.position > bytes.size() || error.length > bytes.size() - error.position)
            return "an error position outside the input";
        if (rw::queryErrorText(error).isEmpty())
            return "an error without words";
        if (!q.isEmpty())
            return "a failed parse left a query behind";
        return {};
    }
    const std::vector<std::uint32_t> rows = q.filter(ws);
    std::size_t next = 0;
    for (std::size_t i = 0; i < ws.rows().size(); ++i) {
        const bool selected = next < rows.size() && rows[next] == i;
        if (selected)
            ++next;
        if (selected != q.matches(ws, ws.rows()[i]))
            return "filter() and matches() disagree";
    }
    if (next != rows.size())
        return "filter() returned rows out of order or out of range";
    return checkStepQuery(bytes);
}

} // namespace rwfuzz
