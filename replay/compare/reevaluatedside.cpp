#include "replay/compare/reevaluatedside.h"

namespace rw {

CompareSide reevaluatedSide(const Workspace& ws, const WorkspaceReevaluation::Row& row, const PolicyEngine& engine)
{
    const TraceRow& r = ws.row(row.row);
    CompareSide side;
    side.model = &ws.fileOf(r);
    side.trace = r.trace;
    const ReplayModel& m = *side.model;
    for (const PointResult& p : row.points) {
        if (!p.replayable())
            continue;
        const PolicyOutcome o = afterOutcome(m, p, engine);
        const DecisionOverride d{o.decision, o.reason, o.risk, o.matchedRule};
        side.overrides[p.event] = d;
        // the plan's outcome event follows its decision: a flipped decision must
        // not be shown next to the recorded outcome as if nothing changed
        const StrId plan = m.event(p.event).s(Field::ExecutionPlanId);
        if (plan == kNoStr || !p.changed)
            continue;
        for (const std::uint32_t i : m.traceEvents(side.trace)) {
            const EventRecord& e = m.event(i);
            const std::string_view type = m.str(e, Field::EventType);
            if (e.s(Field::ExecutionPlanId) == plan && i > p.event &&
                (type == "tool_allowed" || type == "tool_blocked" || type == "approval_required"))
                side.overrides.emplace(i, d);
        }
    }
    return side;
}

} // namespace rw
