#include "app/cli/watchpolicy.h"

#include "app/text/terminaltext.h"
#include "model/auditloader.h"
#include "replay/policy/reevaluation.h"

namespace rw {

using analysis::LiveBatch;

namespace {

// run_started lines kept for the steps of later polls
constexpr std::size_t kMaxRunsKept = 100000;

} // namespace

WatchPolicy::WatchPolicy(std::string path, const LoadedBundles& bundles)
    : m_path(std::move(path)), m_engine(*bundles.policy, bundles.capabilities ? &*bundles.capabilities : nullptr)
{
}

WatchPolicy::~WatchPolicy() = default;

std::unique_ptr<WatchPolicy> WatchPolicy::start(const CliOptions& o, std::ostream& err)
{
    LoadedBundles bundles;
    if (!loadBundles(o.policy, o.capabilities, bundles, err)) {
        err << "Error: the policy bundle " << terminalText(o.policy) << " is not valid\n";
        return nullptr;
    }
    // the engine keeps its own copy of the bundles
    return std::unique_ptr<WatchPolicy>(new WatchPolicy(o.policy, bundles));
}

void WatchPolicy::batch(const ReplayModel& indexed, const analysis::LiveBatch& given, const std::string& file, bool counted,
                        const std::function<bool(const std::string&, const std::string&)>& shown)
{
    m_pending.clear();
    // A run stream's steps name their run, and the agent B decides for is in
    // the run's run_started line, which an earlier poll may have read: those
    // lines go before the batch, so that every step is a request B can decide.
    std::unique_ptr<ReplayModel> withStarts;
    LiveBatch joined;
    bool rejoin = false;
    for (const RunInfo& run : indexed.runs()) {
        const std::string id(indexed.str(run.runId));
        const std::string_view first = given.lineAt(run.offset).second;
        if (run.agentId != kNoStr && first.find("run_started") != std::string_view::npos) {
            if (m_started.size() >= kMaxRunsKept)
                m_started.clear(); // a bound, not a cache: runs this old have long ended
            m_started[id] = {std::string(first), *given.lineAt(run.offset).first};
        } else if (run.agentId == kNoStr && m_started.count(id)) {
            const Started& s = m_started.at(id);
            joined.add(s.line, s.place.offset, s.place.line);
            rejoin = true;
        }
    }
    if (rejoin) {
        for (const LiveBatch::Place& place : given.places)
            joined.add(given.lineAt(place.at).second, place.offset, place.line);
        LoadOptions options;
        options.limits.threads = 1;
        options.hash = false;
        options.runStream = true;
        withStarts = AuditLoader::loadBytes(joined.text, file, options);
    }
    const ReplayModel& model = withStarts ? *withStarts : indexed;
    const LiveBatch& batch = withStarts ? joined : given;
    const ReplayDiffResult result = reevaluate(model, std::nullopt, m_engine);
    std::vector<std::string> traceOf(model.eventCount());
    for (std::size_t t = 0; t < model.traceCount(); ++t)
        for (const std::uint32_t e : model.traceEvents(t))
            traceOf[e] = std::string(model.str(model.trace(t).id));
    // A plan is printed as one step, at the first of its events with a decision (as the live
    // analyzer reads it): its decision point's verdict goes on that line
    std::map<std::pair<std::string, std::string>, std::uint64_t> planLine; // (trace, plan) -> offset in the batch
    for (std::size_t i = 0; i < model.eventCount(); ++i) {
        const EventRecord& e = model.event(i);
        std::string plan(model.str(e, Field::ExecutionPlanId));
        if (plan.empty())
            plan = std::string(model.str(e, Field::PlanId));
        if (!plan.empty() && !traceOf[i].empty() && e.decision != Decision::Pending && e.decision != Decision::None)
            planLine.try_emplace({traceOf[i], plan}, e.offset);
    }
    for (const PointResult& p : result.points) {
        const EventRecord& e = model.event(p.event);
        const std::string agent(model.str(e, e.s(Field::AgentId) != kNoStr ? Field::AgentId : Field::AgentName));
        if (!shown(agent, std::string(model.str(e, Field::AgentName))))
            continue;
        if (counted) {
            ++m_totals.points;
            if (!p.replayable())
                ++m_totals.notReplayable;
        }
        if (!p.replayable() || !p.changed)
            continue;
        std::string plan(model.str(e, Field::ExecutionPlanId));
        if (plan.empty())
            plan = std::string(model.str(e, Field::PlanId));
        const auto step = plan.empty() ? planLine.end() : planLine.find({traceOf[p.event], plan});
        const auto [place, text] = batch.lineAt(step == planLine.end() ? e.offset : step->second);
        PolicyVerdict v;
        v.file = file;
        v.line = place->line;
        v.offset = place->offset;
        v.time = std::string(model.str(e, Field::Timestamp));
        v.traceId = traceOf[p.event];
        v.agentId = agent;
        v.tool = std::string(model.str(e, Field::ToolName));
        v.before = std::string(beforeDecision(model, p));
        v.after = std::string(afterDecision(p));
        PolicyRequest request;
        buildRequest(model, e, request);
        if (const std::optional<std::string> rule = m_engine.expand(p.after, request).matchedRule)
            v.rule = *rule;
        if (counted) {
            ++m_totals.changed;
            ++m_totals.flips[v.before + "->" + v.after];
        }
        // a second point of the same step: on a line of its own
        if (m_pending.count({file, v.offset})) {
            const LiveBatch::Place& own = *batch.lineAt(e.offset).first;
            v.line = own.line;
            v.offset = own.offset;
        }
        m_pending.emplace(std::make_pair(file, v.offset), std::move(v)); // (a multimap: a verdict counted is a verdict shown)
    }
}

std::optional<PolicyVerdict> WatchPolicy::take(const std::string& file, std::uint64_t offset)
{
    const auto it = m_pending.lower_bound({file, offset}); // the first of the line's (in the order found)
    if (it == m_pending.end() || it->first != std::make_pair(file, offset))
        return std::nullopt;
    PolicyVerdict v = std::move(it->second);
    m_pending.erase(it);
    return v;
}

std::vector<PolicyVerdict> WatchPolicy::rest()
{
    std::vector<PolicyVerdict> out;
    for (auto& [key, v] : m_pending)
        out.push_back(std::move(v));
    m_pending.clear();
    return out;
}

} // namespace rw
