#include "views/timelinecontent.h"

#include "model/visibletext.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <map>

namespace rw {

namespace {

// lane and band labels: hidden characters of the values escaped
QString qstr(std::string_view s) { return visibleUtf8(s); }

// Lane of an event: its decision stage, or for LLM-stage events (no stage)
// the side of the model they were written on.
QString laneOf(const ReplayModel& m, const EventRecord& e)
{
    const std::string_view stage = m.str(e, Field::DecisionStage);
    if (!stage.empty()) {
        if (stage == "mcp_policy")
            return QStringLiteral("MCP policy");
        if (stage == "input")
            return QStringLiteral("LLM input");
        if (stage == "output")
            return QStringLiteral("LLM output");
        return qstr(stage);
    }
    const std::string_view type = m.str(e, Field::EventType);
    if (type == "user_input" || type.starts_with("prompt_"))
        return QStringLiteral("LLM input");
    if (type.starts_with("output_") || type == "final_output")
        return QStringLiteral("LLM output");
    return QStringLiteral("other");
}

int laneOrder(const QString& lane)
{
    static const QStringList kOrder = {QStringLiteral("LLM input"), QStringLiteral("plan"), QStringLiteral("evaluate"),
                                       QStringLiteral("policy"),    QStringLiteral("decision"),
                                       QStringLiteral("execute"),   QStringLiteral("MCP policy"),
                                       QStringLiteral("LLM output")};
    const qsizetype i = kOrder.indexOf(lane);
    return i < 0 ? 100 : static_cast<int>(i);
}

} // namespace

TimelineContent buildTimelineContent(const ReplayModel& model, const std::vector<std::uint32_t>& events)
{
    TimelineContent out;
    if (events.empty())
        return out;
    std::vector<QString> laneNames;
    std::map<std::string_view, std::pair<std::int64_t, std::int64_t>> plans;
    std::vector<std::string_view> planOrder;
    std::map<std::string_view, QString> planIntent;
    std::int64_t last = kNoTime;
    for (const std::uint32_t ei : events) {
        const EventRecord& e = model.event(ei);
        const QString lane = laneOf(model, e);
        auto it = std::find(laneNames.begin(), laneNames.end(), lane);
        if (it == laneNames.end())
            it = laneNames.insert(laneNames.end(), lane);
        TimelineMark mark;
        mark.event = ei;
        mark.lane = static_cast<std::uint8_t>(std::min<std::ptrdiff_t>(it - laneNames.begin(), 255));
        // an event without a usable time sits at its predecessor's time
        mark.untimed = e.timeUs == kNoTime;
        mark.decision = e.decision;
        mark.t = mark.untimed ? (last == kNoTime ? 0 : last) : e.timeUs;
        if (!mark.untimed)
            last = e.timeUs;
        out.marks.push_back(mark);
        if (e.s(Field::ExecutionPlanId) != kNoStr && !mark.untimed) {
            const std::string_view plan = model.str(e, Field::ExecutionPlanId);
            auto [pit, inserted] = plans.try_emplace(plan, e.timeUs, e.timeUs);
            if (inserted) {
                planOrder.push_back(plan);
                planIntent[plan] = qstr(model.str(e, Field::PlanIntent));
            }
            pit->second.first = std::min(pit->second.first, e.timeUs);
            pit->second.second = std::max(pit->second.second, e.timeUs);
        }
    }
    // lanes in pipeline order, marks remapped to it
    std::vector<QString> sorted = laneNames;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const QString& a, const QString& b) { return laneOrder(a) < laneOrder(b); });
    std::vector<std::uint8_t> remap(laneNames.size());
    for (std::size_t i = 0; i < laneNames.size(); ++i)
        remap[i] = static_cast<std::uint8_t>(std::find(sorted.begin(), sorted.end(), laneNames[i]) - sorted.begin());
    for (TimelineMark& m : out.marks)
        m.lane = remap[m.lane];
    out.lanes = std::move(sorted);
    // untimed events before the first timed one take the first time
    const auto firstTimed = std::find_if(out.marks.begin(), out.marks.end(), [](const TimelineMark& m) { return !m.untimed; });
    for (auto it = out.marks.begin(); it != firstTimed && firstTimed != out.marks.end(); ++it)
        it->t = firstTimed->t;
    std::stable_sort(out.marks.begin(), out.marks.end(), [](const TimelineMark& a, const TimelineMark& b) { return a.t < b.t; });
    int n = 0;
    for (const std::string_view plan : planOrder) {
        const auto& [a, b] = plans[plan];
        out.bands.push_back({a, b, QCoreApplication::translate("TimelineView", "plan %1 · %2").arg(++n).arg(planIntent[plan])});
    }
    return out;
}

} // namespace rw
