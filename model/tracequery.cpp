#include "model/tracequery.h"

#include "model/casefoldsearcher.h"
#include "model/globmatcher.h"
#include "model/querytree.h"
#include "model/stepquery.h"
#include "model/timestamp.h"

#include <re2/re2.h>

#include <algorithm>
#include <unordered_map>

namespace rw {

using namespace querylex;

TraceQuery::TraceQuery() = default;
TraceQuery::~TraceQuery() = default;
TraceQuery::TraceQuery(TraceQuery&&) noexcept = default;
TraceQuery& TraceQuery::operator=(TraceQuery&&) noexcept = default;

TraceQuery TraceQuery::parse(std::string_view text, QueryError* error)
{
    TraceQuery q;
    q.m_tree = parseQueryTree(text, QueryScope::Trace, QueryVariables::None, error);
    return q;
}

bool TraceQuery::isEmpty() const { return !m_tree || m_tree->root < 0; }

bool TraceQuery::hasStepTerms() const { return m_tree && m_tree->stepTerms; }

bool TraceQuery::hasAnomalyTerms() const { return m_tree && m_tree->anomalyTerms; }

std::string_view rowWorstWord(const RowAnomalies& row)
{
    if (row.count == 0)
        return "none";
    return row.worst >= 2 ? "critical" : row.worst == 1 ? "warn" : "info";
}

namespace {

// A step-scope term of a trace filter: one of the trace's events matches it.
bool anyStep(const QueryTree& tree, int index, const Workspace& ws, const TraceRow& r)
{
    const ReplayModel& model = ws.fileOf(r);
    StepFactsBuilder builder;
    // an interceptor trace's steps are its execution plans, numbered from 0
    // in the order they first appear (as the analysis reads them)
    std::unordered_map<StrId, std::int64_t> plans; // a plan and its step number (traces may hold 500k plans)
    std::int64_t next = 0;                         // events without a plan are a step each
    for (const std::uint32_t event : model.traceEvents(r.trace)) {
        const EventRecord& rec = model.event(event);
        if (rec.has(EventFlag::Rejected))
            continue;
        StepFacts& facts = builder.facts();
        builder.build(model, event);
        if (facts.step < 0) {
            const StrId plan = rec.s(Field::ExecutionPlanId) != kNoStr ? rec.s(Field::ExecutionPlanId) : rec.s(Field::PlanId);
            if (plan == kNoStr)
                facts.step = next++;
            else if (const auto [at, added] = plans.emplace(plan, next); added)
                facts.step = next++;
            else
                facts.step = at->second;
        }
        if (matchesStep(tree, index, facts))
            return true;
    }
    return false;
}

bool evalNode(const QueryTree& tree, int index, const Workspace& ws, const TraceRow& r, std::span<const RowAnomalies> found)
{
    using Kind = QueryNode::Kind;
    const QueryNode& n = tree.nodes[static_cast<std::size_t>(index)];
    switch (n.kind) {
    case Kind::And:
        return std::all_of(n.children.begin(), n.children.end(), [&](int c) { return evalNode(tree, c, ws, r, found); });
    case Kind::Or:
        return std::any_of(n.children.begin(), n.children.end(), [&](int c) { return evalNode(tree, c, ws, r, found); });
    case Kind::Not: return !evalNode(tree, n.children.front(), ws, r, found);
    case Kind::Text:
        for (const StrId id : {r.traceId, r.agentName, r.agentId, r.tool, r.tenant, r.finalDecision, r.finalReason})
            if (id != kNoStr && n.text.foundIn(ws.str(r, id)))
                return true;
        return false;
    case Kind::Compare: break;
    }
    auto str = [&](StrId id) { return id == kNoStr ? std::string_view() : ws.str(r, id); };
    auto text = [&](std::initializer_list<std::string_view> candidates) {
        bool any = false;
        for (const std::string_view c : candidates)
            any = any || (n.op == Op::Regex ? RE2::PartialMatch(re2::StringPiece(c.data(), c.size()), *n.regex)
                                            : n.glob.matches(c));
        return n.op == Op::Ne ? !any : any;
    };
    switch (n.field) {
    case QueryField::Decision: return text({str(r.finalDecision)});
    case QueryField::Tool: return text({str(r.tool)});
    case QueryField::Agent: return text({str(r.agentName), str(r.agentId)});
    case QueryField::Tenant: return text({str(r.tenant)});
    case QueryField::Trace: return text({str(r.traceId)});
    case QueryField::Reason: return text({str(r.finalReason)});
    case QueryField::Governance: return text({governanceName(r.governance)});
    case QueryField::Budget:
        return text({r.violations > 0 ? std::string_view("violated") : str(r.budgetStatus)});
    case QueryField::Trust: {
        // any provenance item of that trust level in the trace
        bool any = false;
        for (const TrustCount& t : ws.summary(static_cast<std::size_t>(&r - ws.rows().data())).trustCounts)
            any = any || n.glob.matches(ws.str(r, t.trust));
        return n.op == Op::Ne ? !any : any;
    }
    case QueryField::Stage: {
        const bool any = (r.stageMask & stageBit(n.value)) != 0;
        return n.op == Op::Ne ? !any : any;
    }
    case QueryField::Events: return compareQueryNumber(n.op, r.events, n.number);
    case QueryField::Diagnostics: return compareQueryNumber(n.op, r.diagnostics, n.number);
    case QueryField::Violations: return compareQueryNumber(n.op, r.violations, n.number);
    case QueryField::File: return compareQueryNumber(n.op, r.file + 1, n.number);
    case QueryField::Duration: return compareQueryNumber(n.op, static_cast<double>(r.durationUs), n.number);
    case QueryField::FirstSeen:
        return r.firstSeenUs != kNoTime && compareQueryNumber(n.op, static_cast<double>(r.firstSeenUs), n.number);
    case QueryField::Action:
    case QueryField::ActionType:
    case QueryField::Permission:
    case QueryField::Param:
    case QueryField::ResultStatus:
    case QueryField::Reasoning:
    case QueryField::Escalated:
    case QueryField::Env:
    case QueryField::Dest:
    case QueryField::Step:
    case QueryField::Approval: return anyStep(tree, index, ws, r);
    case QueryField::Anomalies:
    case QueryField::Worst: {
        // no analysis yet: no trace is known to have anomalies, nor to have none
        const std::size_t row = static_cast<std::size_t>(&r - ws.rows().data());
        if (row >= found.size())
            return false;
        if (n.field == QueryField::Anomalies)
            return compareQueryNumber(n.op, found[row].count, n.number);
        return text({rowWorstWord(found[row])});
    }
    }
    return false;
}

} // namespace

bool TraceQuery::matches(const Workspace& ws, const TraceRow& row, std::span<const RowAnomalies> anomalies) const
{
    return isEmpty() || evalNode(*m_tree, m_tree->root, ws, row, anomalies);
}

std::vector<std::uint32_t> TraceQuery::filter(const Workspace& ws, const std::atomic<bool>* cancel,
                                              std::span<const RowAnomalies> anomalies) const
{
    std::vector<std::uint32_t> out;
    // a filter that asks about anomalies before the analysis is known: no trace is shown (nor exported),
    // rather than every trace under `NOT anomalies>0`
    if (hasAnomalyTerms() && anomalies.size() != ws.rows().size())
        return out;
    out.reserve(ws.rows().size());
    for (std::size_t i = 0; i < ws.rows().size(); ++i) {
        // step terms walk every event of a trace: a row can be slow, so look often
        if (cancel && i % 256 == 0 && cancel->load(std::memory_order_relaxed))
            break;
        if (matches(ws, ws.rows()[i], anomalies))
            out.push_back(static_cast<std::uint32_t>(i));
    }
    return out;
}

} // namespace rw
