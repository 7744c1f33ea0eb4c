#include "replay/analysis/liveanalyzer.h"

#include "model/auditloader.h"
#include "model/replaymodel.h"
#include "model/runstreamimporter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <unordered_set>

namespace rw::analysis {

using Clock = std::chrono::steady_clock;

namespace {

// a batch of lines as the loader indexes them: one thread, no hash (the
// segment has its own), the limits of a file
LoadOptions batchOptions()
{
    LoadOptions o;
    o.limits.threads = 1;
    o.hash = false;
    return o;
}

} // namespace

// what the watch keeps of an execution plan until its decision arrives
struct PendingPlan
{
    bool read = false; // its step was fed
    std::string approval;
    LiveLine last;     // its latest event, read as the step if no decision ever comes
};

struct LiveAnalyzer::Run
{
    explicit Run(const AnalysisRules& rules) : analyzer(rules) {}
    Clock::time_point lastLine = Clock::now(); // for closing it when idle
    std::uint64_t seq = 0;                      // its place in m_order
    LiveRunInfo info;
    RunAnalyzer analyzer;
    std::vector<LiveLine> lines;    // as read: for a partial trace, and the whole run at its end
    std::set<std::string> reported; // fingerprints of the anomalies passed on
    std::int64_t nextStep = 0;      // a step without step_index: its position
    std::int64_t first = kNoTime, last = kNoTime;
    // an interceptor trace's plans, in the order they first appeared
    std::vector<std::string> planOrder;
    std::map<std::string, PendingPlan> plans;
};

std::pair<const LiveBatch::Place*, std::string_view> LiveBatch::lineAt(std::uint64_t at) const
{
    auto it = std::upper_bound(places.begin(), places.end(), at, [](std::uint64_t v, const Place& p) { return v < p.at; });
    const Place* place = &*std::prev(it == places.begin() ? std::next(it) : it);
    const std::uint64_t end = place + 1 < places.data() + places.size() ? (place + 1)->at - 1 : text.size() - 1;
    return {place, std::string_view(text).substr(place->at, end - place->at)};
}

namespace {

LiveLine copyOf(const std::pair<const LiveBatch::Place*, std::string_view>& line)
{
    return {std::string(line.second), line.first->offset, line.first->line};
}

LiveBatch batchOf(const std::vector<LiveLine>& lines)
{
    LiveBatch b;
    for (const LiveLine& l : lines)
        b.add(l.text, l.offset, l.line);
    return b;
}

} // namespace

namespace {

std::vector<std::string> texts(std::span<const std::string_view> views)
{
    return {views.begin(), views.end()};
}

} // namespace

LiveAnalyzer::LiveAnalyzer(const AnalysisRules& rules, LiveSink sink)
    : m_rules(rules), m_sink(std::move(sink)), m_reader(rules)
{
}

LiveAnalyzer::~LiveAnalyzer() = default;

LiveAnalyzer::Run& LiveAnalyzer::runOf(const std::string& id, const std::string& agentId, const std::string& file, bool trace,
                                       const std::string& agentName)
{
    auto [it, added] = m_runs.try_emplace(id);
    if (added) {
        it->second = std::make_unique<Run>(m_rules);
        Run& run = *it->second;
        run.info = {id, agentId, file, trace, agentName};
        RunStart start;
        start.runId = id;
        start.agentId = agentId;
        start.file = file;
        run.analyzer.begin(std::move(start));
        run.seq = m_nextSeq++;
        m_order.emplace(run.seq, id);
        if (m_sink.runStarted)
            m_sink.runStarted(run.info);
    } else {
        if (it->second->info.agentId.empty() && !agentId.empty())
            it->second->info.agentId = agentId;
        if (it->second->info.agentName.empty() && !agentName.empty())
            it->second->info.agentName = agentName;
    }
    return *it->second;
}

void LiveAnalyzer::feed(Run& run, StepInput& in, const std::string& file, std::uint64_t offset, std::uint64_t line)
{
    // the step's place in its file (the batch's text is the analyzer's only copy)
    in.where.file = file;
    in.where.sha256.clear();
    in.where.offset = offset;
    in.where.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(line, UINT32_MAX));
    if (in.timeUs != 0) {
        run.first = run.first == kNoTime ? in.timeUs : std::min(run.first, in.timeUs);
        run.last = run.last == kNoTime ? in.timeUs : std::max(run.last, in.timeUs);
        // (a step dated more than an hour ahead of the clock moves nothing: one bad clock must not end every run)
        const std::int64_t wall = std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch()).count();
        if (in.timeUs <= wall + 3600LL * 1000000)
            m_newestUs = std::max(m_newestUs, in.timeUs);
    }
    run.analyzer.addStep(in);
    std::vector<Anomaly> found = run.analyzer.takeNew();
    for (const Anomaly& a : found)
        run.reported.insert(a.fingerprint);
    if (!m_sink.step)
        return;
    const StepFacts& f = *in.facts;
    LiveStep s;
    s.runId = run.info.runId;
    s.agentId = run.info.agentId;
    s.agentName = run.info.agentName;
    s.file = file;
    s.offset = offset;
    s.line = line;
    s.trace = run.info.trace;
    s.stepIndex = f.step;
    s.time = std::string(in.time);
    s.action = std::string(f.action);
    s.tool = std::string(f.tool);
    s.resultStatus = std::string(f.resultStatus);
    s.decision = std::string(f.decision);
    s.reasoning = std::string(f.reasoning);
    s.permissions = texts(f.permissions);
    s.escalated = f.escalated;
    s.anomalies = std::move(found);
    m_sink.step(s);
}

void LiveAnalyzer::end(const std::string& id, const std::string& status, std::int64_t durationMs, bool partial)
{
    const auto it = m_runs.find(id);
    if (it == m_runs.end())
        return;
    Run& run = *it->second;
    std::int64_t duration = durationMs;
    if (duration < 0)
        duration = run.first == kNoTime ? 0 : (run.last - run.first) / 1000;
    RunAnalysis result = run.analyzer.finish(status, duration);
    result.form = run.info.trace ? RunForm::Trace : RunForm::Stream;
    if (!partial && !run.info.trace) {
        // completed: read whole, as post-run analysis reads it; what only that shows comes now
        if (std::optional<RunAnalysis> whole = wholeRun(run)) {
            std::vector<Anomaly> late;
            for (const Anomaly& a : whole->anomalies)
                if (!run.reported.count(a.fingerprint))
                    late.push_back(a);
            if (!late.empty() && m_sink.lateAnomalies)
                m_sink.lateAnomalies(run.info, late);
            result = std::move(*whole);
        }
    }
    if (m_sink.runEnded)
        m_sink.runEnded(run.info, result, partial);
    m_order.erase(run.seq);
    m_runs.erase(it);
}

void LiveAnalyzer::addLines(const std::vector<LiveLine>& lines, const std::string& file)
{
    addBatch(batchOf(lines), file);
}

void LiveAnalyzer::addBatch(const LiveBatch& batch, const std::string& file)
{
    if (batch.empty())
        return;
    // a run stream or an audit log: known from the source's first lines, then kept (a batch whose
    // first line is bad is still a stream's batch)
    LoadOptions options = batchOptions();
    bool stream = m_stream.value_or(false);
    if (!m_stream)
        for (std::size_t k = 0; k < batch.places.size() && k < 256 && !stream; ++k)
            stream = RunStreamImporter::isStreamLayout(batch.lineAt(batch.places[k].at).second);
    options.runStream = stream;
    const std::unique_ptr<ReplayModel> model = AuditLoader::loadBytes(batch.text, file, options);
    if (!model)
        return;
    if (!m_stream && (stream || model->traceCount() > 0))
        m_stream = stream;
    // every line it could not take, where it lies in its file
    if (m_sink.rejected)
        for (const Diagnostic& d : model->diagnostics()) {
            if (!diagnosticRejectsRecord(d.code) || d.line == 0)
                continue;
            const LiveBatch::Place& place = *batch.lineAt(d.offset).first;
            Diagnostic at = d;
            at.line = place.line;
            at.offset = place.offset + (d.offset - std::min(d.offset, place.at));
            m_sink.rejected(file, at);
        }
    if (m_sink.indexed)
        m_sink.indexed(*model, batch, file);
    if (!model->runs().empty())
        addStreamLines(*model, batch, file);
    else
        addTraceLines(*model, batch, file);
}

void LiveAnalyzer::addStreamLines(const ReplayModel& model, const LiveBatch& batch, const std::string& file)
{
    m_reader.setSource(file, {});
    // runs first seen here begin in the order of their first line
    std::vector<std::size_t> byOffset(model.runs().size());
    for (std::size_t r = 0; r < byOffset.size(); ++r)
        byOffset[r] = r;
    std::sort(byOffset.begin(), byOffset.end(), [&](std::size_t a, std::size_t b) { return model.runs()[a].offset < model.runs()[b].offset; });
    std::unordered_set<std::uint64_t> stepAt; // offsets of the batch's step lines
    for (const RunStep& s : model.runSteps())
        stepAt.insert(model.event(s.event).offset);
    for (const std::size_t r : byOffset) {
        const RunInfo& info = model.runs()[r];
        Run& run = runOf(std::string(model.str(info.runId)), std::string(model.str(info.agentId)), file, false);
        run.lastLine = Clock::now();
        // its run_started line (the run's place in the batch, when no step is there), kept for a partial trace
        if (!stepAt.count(info.offset))
            run.lines.push_back(copyOf(batch.lineAt(info.offset)));
    }
    for (std::size_t e = 0; e < model.eventCount(); ++e) {
        const RunStep* step = model.runStep(e);
        if (!step || model.event(e).has(EventFlag::Rejected))
            continue;
        const RunInfo& info = model.runs()[step->run];
        Run& run = *m_runs.at(std::string(model.str(info.runId)));
        StepInput& in = m_reader.runStep(model, static_cast<std::uint32_t>(e));
        // numbered across batches when the stream does not number its steps
        if (!step->has(RunStepFlag::StepIndexGiven))
            in.facts->step = run.nextStep;
        run.nextStep = std::max(run.nextStep, in.facts->step + 1);
        const auto line = batch.lineAt(model.event(e).offset);
        run.lines.push_back(copyOf(line));
        feed(run, in, file, line.first->offset, line.first->line);
    }
    // a run ends at its run_completed line (no event of the model; a status in
    // run_started ends nothing), which the whole run is read with: the batch's
    // such lines, each parsed once, by run id
    std::map<std::string, std::uint64_t> completedAt; // run id -> its run_completed line (`at` in the text)
    for (const LiveBatch::Place& place : batch.places) {
        const std::string_view text = batch.lineAt(place.at).second;
        if (stepAt.count(place.at) || text.find("run_completed") == std::string_view::npos)
            continue;
        const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_object() && j.value("event", std::string()) == "run_completed")
            completedAt.try_emplace(j.value("run_id", std::string()), place.at);
    }
    for (const std::size_t r : byOffset) {
        const RunInfo& info = model.runs()[r];
        const std::string id(model.str(info.runId));
        const auto done = completedAt.find(id);
        if (done == completedAt.end())
            continue;
        if (done->second != info.offset) // (the run's first line here is kept already)
            m_runs.at(id)->lines.push_back(copyOf(batch.lineAt(done->second)));
        const std::string status = info.status == kNoStr ? std::string() : std::string(model.str(info.status));
        end(id, status.empty() || status == "running" ? "completed" : status, -1, false);
    }
}

void LiveAnalyzer::addTraceLines(const ReplayModel& model, const LiveBatch& batch, const std::string& file)
{
    m_reader.setSource(file, {});
    std::vector<std::string> traceOf(model.eventCount());
    for (std::size_t t = 0; t < model.traceCount(); ++t)
        for (const std::uint32_t e : model.traceEvents(t))
            traceOf[e] = std::string(model.str(model.trace(t).id));
    for (std::size_t e = 0; e < model.eventCount(); ++e) {
        const EventRecord& rec = model.event(e);
        if (rec.has(EventFlag::Rejected) || traceOf[e].empty())
            continue;
        const std::string agent(model.str(rec, rec.s(Field::AgentId) != kNoStr ? Field::AgentId : Field::AgentName));
        Run& run = runOf(traceOf[e], agent, file, true, std::string(model.str(rec, Field::AgentName)));
        run.lastLine = Clock::now();
        // (a trace's lines are not kept: they are in the audit log, which a partial trace would only repeat)
        const auto line = batch.lineAt(rec.offset);
        const LiveBatch::Place& place = *line.first;
        if (m_sink.event) {
            LiveEvent ev;
            ev.traceId = traceOf[e];
            ev.agentId = run.info.agentId;
            ev.agentName = run.info.agentName;
            ev.file = file;
            ev.offset = place.offset;
            ev.line = place.line;
            ev.eventId = std::string(model.str(rec, Field::EventId));
            ev.eventType = std::string(model.str(rec, Field::EventType));
            ev.stage = std::string(model.str(rec, Field::DecisionStage));
            ev.decision = std::string(model.str(rec, Field::Decision));
            ev.tool = std::string(model.str(rec, Field::ToolName));
            ev.time = std::string(model.str(rec, Field::Timestamp));
            m_sink.event(ev);
        }
        std::string plan(model.str(rec, Field::ExecutionPlanId));
        if (plan.empty())
            plan = std::string(model.str(rec, Field::PlanId));
        const bool decided = rec.decision != Decision::Pending && rec.decision != Decision::None;
        if (plan.empty()) {
            // an event of the trace as a whole: a step of its own, as post-run analysis reads it
            feed(run, m_reader.planStep(model, static_cast<std::uint32_t>(e), static_cast<std::int64_t>(run.planOrder.size()), {}),
                 file, place.offset, place.line);
            run.planOrder.emplace_back();
            continue;
        }
        auto [it, added] = run.plans.try_emplace(plan);
        PendingPlan& pending = it->second;
        if (added)
            run.planOrder.push_back(plan);
        if (rec.s(Field::ApprovalId) != kNoStr)
            pending.approval = std::string(model.str(rec, Field::ApprovalId));
        if (!pending.read && !decided)
            pending.last = copyOf(line); // what is read as its step if no decision ever comes
        if (decided && !pending.read) {
            pending.read = true;
            const auto index = std::find(run.planOrder.begin(), run.planOrder.end(), plan) - run.planOrder.begin();
            feed(run, m_reader.planStep(model, static_cast<std::uint32_t>(e), index, pending.approval), file, place.offset, place.line);
        }
    }
}

std::optional<RunAnalysis> LiveAnalyzer::wholeRun(const Run& run) const
{
    const LiveBatch whole = batchOf(run.lines);
    const std::unique_ptr<ReplayModel> model = AuditLoader::loadBytes(whole.text, run.info.file, batchOptions());
    if (!model)
        return std::nullopt;
    for (RunAnalysis& r : analyzeModel(*model, m_rules, std::string())) {
        if (r.runId != run.info.runId)
            continue;
        // its places back in the file: each witness in the line it lies in
        for (Anomaly& a : r.anomalies)
            for (Witness& w : a.witness) {
                const LiveBatch::Place& place = *whole.lineAt(w.offset).first;
                w.file = run.info.file;
                w.sha256.clear();
                w.offset = place.offset + (w.offset - std::min(w.offset, place.at));
                w.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(place.line, UINT32_MAX));
            }
        r.file = run.info.file;
        r.form = RunForm::Stream;
        r.offset = run.lines.front().offset;
        r.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(run.lines.front().line, UINT32_MAX));
        r.length = 0; // its lines need not be next to each other
        return std::move(r);
    }
    return std::nullopt;
}

void LiveAnalyzer::closeIdle(std::int64_t idleMs)
{
    const auto now = Clock::now();
    for (auto at = m_order.begin(); at != m_order.end();) {
        const auto next = std::next(at); // end() erases only this run's entry
        const Run& run = *m_runs.at(at->second);
        const bool byClock = std::chrono::duration_cast<std::chrono::milliseconds>(now - run.lastLine).count() >= idleMs;
        const bool byLog = run.last != kNoTime && m_newestUs != 0 && m_newestUs - run.last >= idleMs * 1000;
        if (byClock || byLog)
            end(at->second, run.info.trace ? "unknown" : "running", -1, true);
        at = next;
    }
}

std::vector<OpenRunLines> LiveAnalyzer::openRuns() const
{
    std::vector<OpenRunLines> out;
    for (const auto& [seq, id] : m_order) {
        const Run& run = *m_runs.at(id);
        if (run.info.trace)
            continue; // its events are in the audit log
        OpenRunLines open{run.info, {}};
        for (const LiveLine& l : run.lines)
            open.lines.push_back(l.text);
        out.push_back(std::move(open));
    }
    return out;
}

void LiveAnalyzer::finish()
{
    // plans whose decision never came: read as their last event, as post-run analysis reads them
    while (!m_order.empty()) {
        const std::string id = m_order.begin()->second;
        Run& run = *m_runs.at(id);
        for (std::size_t k = 0; k < run.planOrder.size(); ++k) {
            const auto it = run.plans.find(run.planOrder[k]);
            if (it == run.plans.end() || it->second.read)
                continue;
            const std::unique_ptr<ReplayModel> model =
                AuditLoader::loadBytes(it->second.last.text + "\n", run.info.file, batchOptions());
            if (!model || model->eventCount() != 1 || model->event(0).has(EventFlag::Rejected))
                continue;
            m_reader.setSource(run.info.file, {});
            it->second.read = true;
            feed(run, m_reader.planStep(*model, 0, static_cast<std::int64_t>(k), it->second.approval), run.info.file,
                 it->second.last.offset, it->second.last.line);
        }
        end(id, run.info.trace ? "unknown" : "running", -1, true);
    }
}

} // namespace rw::analysis
