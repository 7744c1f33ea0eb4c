#include "views/timelinecontent.h"

#include "model/jsonscan.h"
#include "model/visibletext.h"
#include "views/models/tracelistmodel.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cstdint>
#include <map>
#include <unordered_map>

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

// A run's steps: a bar each, in a lane per action type, with the stalls
// between them and the steps gone back to.
TimelineContent buildRunContent(const ReplayModel& model, const std::vector<std::uint32_t>& events,
                                const TimelineOptions& options)
{
    TimelineContent out;
    out.runSteps = true;
    out.kinds = options.actionTypes;
    out.kinds.push_back(QCoreApplication::translate("TimelineView", "other"));
    const auto other = static_cast<std::uint8_t>(std::min<std::size_t>(out.kinds.size() - 1, 255));
    StepFactsBuilder facts(options.classifier);
    std::int64_t last = kNoTime;
    const auto withRun = std::find_if(events.begin(), events.end(), [&](std::uint32_t e) { return model.runOf(e) != nullptr; });
    const RunInfo* run = withRun == events.end() ? nullptr : model.runOf(*withRun);
    const std::int64_t runStart = run ? run->startedUs : kNoTime;
    std::vector<bool> present(out.kinds.size(), false);
    for (const std::uint32_t ei : events) {
        const EventRecord& e = model.event(ei);
        const RunStep* step = model.runStep(ei);
        TimelineMark mark;
        mark.event = ei;
        mark.untimed = e.timeUs == kNoTime;
        mark.decision = e.decision;
        mark.t = mark.untimed ? (last == kNoTime ? 0 : last) : e.timeUs;
        if (!mark.untimed)
            last = e.timeUs;
        mark.start = mark.t;
        mark.kind = other;
        if (step) {
            mark.step = step->stepIndex;
            if (step->durationMs != kNoNumber && step->durationMs > 0 && !mark.untimed) {
                // at most a day, and never before the run's start
                constexpr std::int64_t kMaxMs = 24LL * 3600 * 1000;
                mark.start = stepStartUs(mark.t, std::min(step->durationMs, kMaxMs));
                mark.clipped = step->durationMs > kMaxMs;
                if (runStart != kNoTime && runStart <= mark.t && mark.start < runStart) {
                    mark.start = runStart;
                    mark.clipped = true;
                }
            }
            if (step->alternatives != kNoStr)
                mark.alternatives = static_cast<std::uint16_t>(
                    std::min<std::size_t>(jsonArrayLength(model.str(step->alternatives)), UINT16_MAX));
            if (options.classifier) {
                const StepFacts& f = facts.build(model, ei);
                if (!f.actionTypes.empty()) {
                    const QString type = QString::fromUtf8(f.actionTypes.front().data(),
                                                           static_cast<qsizetype>(f.actionTypes.front().size()));
                    for (std::size_t k = 0; k + 1 < out.kinds.size(); ++k)
                        if (out.kinds[k] == type) {
                            mark.kind = static_cast<std::uint8_t>(std::min<std::size_t>(k, 255));
                            break;
                        }
                }
            }
        }
        present[mark.kind] = true;
        out.marks.push_back(mark);
    }
    // untimed steps before the first timed one take its start
    const auto firstTimed = std::find_if(out.marks.begin(), out.marks.end(), [](const TimelineMark& m) { return !m.untimed; });
    for (auto it = out.marks.begin(); it != firstTimed && firstTimed != out.marks.end(); ++it)
        it->t = it->start = firstTimed->start;
    // lanes: the kinds that occur, in the profile's order, "other" last
    std::vector<std::uint8_t> laneOfKind(out.kinds.size(), 0);
    for (std::size_t k = 0; k < out.kinds.size(); ++k)
        if (present[k]) {
            laneOfKind[k] = static_cast<std::uint8_t>(std::min<std::size_t>(out.lanes.size(), 255));
            out.lanes.push_back(out.kinds[k]);
            out.laneKinds.push_back(static_cast<std::uint8_t>(k));
        }
    for (TimelineMark& m : out.marks)
        m.lane = laneOfKind[m.kind];
    std::stable_sort(out.marks.begin(), out.marks.end(), [](const TimelineMark& a, const TimelineMark& b) { return a.t < b.t; });
    // stalls: from the latest end so far to a start later than the gap
    std::vector<std::size_t> byStart(out.marks.size());
    for (std::size_t i = 0; i < byStart.size(); ++i)
        byStart[i] = i;
    std::stable_sort(byStart.begin(), byStart.end(), [&](std::size_t a, std::size_t b) { return out.marks[a].start < out.marks[b].start; });
    std::int64_t end = kNoTime;
    for (const std::size_t i : byStart) {
        const TimelineMark& m = out.marks[i];
        if (end != kNoTime && m.start - end > options.stallGapUs)
            out.stalls.push_back({end, m.start,
                                  QCoreApplication::translate("TimelineView", "stall %1").arg(formatDurationUs(m.start - end))});
        end = end == kNoTime ? m.t : std::max(end, m.t);
        out.longestStep = std::max(out.longestStep, m.t - m.start);
    }
    // steps gone back to: a parent that is not the step before
    std::unordered_map<std::int64_t, std::size_t> byStep;
    for (std::size_t i = 0; i < out.marks.size(); ++i)
        if (out.marks[i].step >= 0)
            byStep.try_emplace(out.marks[i].step, i);
    for (std::size_t i = 0; i < out.marks.size(); ++i) {
        const RunStep* step = model.runStep(out.marks[i].event);
        // (no parent, or the step before: a chain; compared without `step - 1`, which a forged index overflows)
        if (!step || step->parentStepIndex == kNoNumber || step->parentStepIndex == INT64_MAX ||
            step->parentStepIndex + 1 == out.marks[i].step)
            continue;
        if (const auto parent = byStep.find(step->parentStepIndex); parent != byStep.end() && parent->second != i)
            out.links.push_back({parent->second, i});
    }
    out.first = out.marks.empty() ? 0 : out.marks[byStart.front()].start;
    out.last = out.marks.empty() ? 0 : out.marks.back().t;
    return out;
}

} // namespace

TimelineContent buildTimelineContent(const ReplayModel& model, const std::vector<std::uint32_t>& events,
                                     const TimelineOptions& options)
{
    TimelineContent out;
    if (events.empty())
        return out;
    // a run's trace: its steps, and perhaps a record that did not read as one
    if (std::any_of(events.begin(), events.end(), [&](std::uint32_t e) { return model.runStep(e) != nullptr; }))
        return buildRunContent(model, events, options);
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
    out.first = out.marks.front().t;
    out.last = out.marks.back().t;
    return out;
}

} // namespace rw
