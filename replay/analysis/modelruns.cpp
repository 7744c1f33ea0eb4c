// analyzeModel: the runs of a loaded file fed to the RunAnalyzer step by
// step. A run-trace file gives its runs and steps as written; an interceptor
// audit log gives each trace as a run whose steps are its execution plans
// (the plan, decision and execution events of one tool call), so every
// sample can be analysed.
#include "replay/analysis/analyzer.h"

#include "model/parallelfor.h"
#include "model/replaymodel.h"
#include "replay/analysis/compiledrules.h"
#include "replay/analysis/runanalyzer.h"
#include "replay/analysis/stepreader.h"

#include <algorithm>
#include <unordered_map>

namespace rw::analysis {

namespace {

std::vector<std::string> permissionsOf(const ReplayModel& model, Span32 span)
{
    std::vector<std::string> out;
    for (const RunPermission& p : model.runPermissions(span))
        out.emplace_back(model.str(p.permission));
    return out;
}

class ModelFeeder
{
public:
    ModelFeeder(const ReplayModel& model, const AnalysisRules& rules, const std::string& sha256)
        : m_model(model), m_sha256(sha256), m_analyzer(rules), m_reader(rules)
    {
        m_reader.setSource(model.path(), sha256);
    }

    // `nextDocument`: where the next run document begins (or the end of the file)
    RunAnalysis run(std::size_t r, const std::vector<std::uint32_t>& steps, std::uint64_t nextDocument)
    {
        const RunInfo& info = m_model.runs()[r];
        RunStart start;
        start.runId = std::string(m_model.str(info.runId));
        start.agentId = std::string(m_model.str(info.agentId));
        start.file = m_model.path();
        start.sha256 = m_sha256;
        start.startedAt = std::string(m_model.str(info.startedAt));
        start.policyVersion = std::string(m_model.str(info.policyVersion));
        start.hasSummary = info.hasSummary;
        start.granted = permissionsOf(m_model, info.granted);
        start.denied = permissionsOf(m_model, info.denied);
        start.escalated = permissionsOf(m_model, info.escalated);
        for (const RunPermission& p : m_model.runPermissions(info.escalated))
            if (p.approvalId != kNoStr)
                start.approvedEscalations.emplace_back(m_model.str(p.permission), m_model.str(p.approvalId));
        m_analyzer.begin(std::move(start));
        for (const std::uint32_t position : steps) {
            const RunStep& step = m_model.runSteps()[position];
            const EventRecord& rec = m_model.event(step.event);
            if (rec.has(EventFlag::Rejected))
                continue;
            m_analyzer.addStep(m_reader.runStep(m_model, step.event));
        }
        const std::string status = info.status == kNoStr ? std::string("unknown") : std::string(m_model.str(info.status));
        RunAnalysis out = m_analyzer.finish(status, m_model.runDurationUs(r) / 1000);
        const std::string_view bytes = m_model.bytes();
        std::uint64_t stepsEnd = info.offset;
        for (const std::uint32_t position : steps) {
            const EventRecord& rec = m_model.event(m_model.runSteps()[position].event);
            stepsEnd = std::max<std::uint64_t>(stepsEnd, rec.offset + rec.length);
        }
        // the end of the run's first line (a JSONL document, a stream's first event)
        const std::size_t newline = bytes.find('\n', info.offset);
        std::uint64_t lineEnd = newline == std::string_view::npos ? bytes.size() : newline;
        while (lineEnd > info.offset && (bytes[lineEnd - 1] == '\r' || bytes[lineEnd - 1] == ' '))
            --lineEnd;
        std::uint64_t end = std::max(stepsEnd, lineEnd);
        const bool oneLine = lineEnd > info.offset && bytes[lineEnd - 1] == '}' && stepsEnd <= lineEnd;
        if (info.source == RunSource::Document && !oneLine) {
            // a document over several lines: up to the next document, less the
            // separators between them (",", "]", white space)
            end = std::min<std::uint64_t>(nextDocument, bytes.size());
            while (end > info.offset && std::string_view(" \t\r\n,]").find(bytes[end - 1]) != std::string_view::npos)
                --end;
        }
        out.form = info.source == RunSource::Stream ? RunForm::Stream : RunForm::Document;
        out.offset = info.offset;
        out.length = end - info.offset;
        out.line = info.line;
        return out;
    }

    // an interceptor trace: one step per execution plan, in the order plans first appear
    RunAnalysis trace(std::size_t t)
    {
        const auto events = m_model.traceEvents(t);
        std::vector<std::vector<std::uint32_t>> groups;
        std::unordered_map<StrId, std::size_t> byPlan;
        RunStart start;
        start.runId = std::string(m_model.str(m_model.trace(t).id));
        start.file = m_model.path();
        start.sha256 = m_sha256;
        std::int64_t first = kNoTime, last = kNoTime;
        std::uint64_t begin = UINT64_MAX, end = 0;
        std::uint32_t line = 0;
        for (const std::uint32_t e : events) {
            const EventRecord& rec = m_model.event(e);
            if (rec.offset < begin) {
                begin = rec.offset;
                line = rec.line;
            }
            end = std::max<std::uint64_t>(end, rec.offset + rec.length);
            if (rec.has(EventFlag::Rejected))
                continue;
            if (start.agentId.empty() && rec.s(Field::AgentId) != kNoStr)
                start.agentId = std::string(m_model.str(rec, Field::AgentId));
            if (start.agentName.empty() && rec.s(Field::AgentName) != kNoStr)
                start.agentName = std::string(m_model.str(rec, Field::AgentName));
            if (rec.has(EventFlag::HasGrantedCaps)) {
                start.hasGrantedCaps = true;
                for (const StrId cap : m_model.list(rec.grantedCaps))
                    if (std::find(start.grantedCaps.begin(), start.grantedCaps.end(), m_model.str(cap)) ==
                        start.grantedCaps.end())
                        start.grantedCaps.emplace_back(m_model.str(cap));
            }
            if (rec.timeUs != kNoTime) {
                first = first == kNoTime ? rec.timeUs : std::min(first, rec.timeUs);
                last = last == kNoTime ? rec.timeUs : std::max(last, rec.timeUs);
            }
            StrId plan = rec.s(Field::ExecutionPlanId);
            if (plan == kNoStr)
                plan = rec.s(Field::PlanId);
            if (plan == kNoStr) {
                groups.push_back({e});
                continue;
            }
            const auto [it, added] = byPlan.emplace(plan, groups.size());
            if (added)
                groups.emplace_back();
            groups[it->second].push_back(e);
        }
        if (start.startedAt.empty() && !events.empty())
            start.startedAt = std::string(m_model.str(m_model.event(events.front()), Field::Timestamp));
        m_analyzer.begin(std::move(start));
        std::string status = "unknown";
        std::int64_t index = 0;
        for (const std::vector<std::uint32_t>& group : groups) {
            // the step is what its plan came to: the last event with a decision
            std::uint32_t decisive = group.back();
            std::string_view approval;
            for (const std::uint32_t e : group) {
                const EventRecord& rec = m_model.event(e);
                if (rec.decision != Decision::Pending && rec.decision != Decision::None)
                    decisive = e;
                if (rec.s(Field::ApprovalId) != kNoStr)
                    approval = m_model.str(rec, Field::ApprovalId);
            }
            m_analyzer.addStep(m_reader.planStep(m_model, decisive, index++, approval));
            status = std::string(m_model.str(m_model.event(decisive), Field::Decision));
        }
        const std::int64_t durationMs = first == kNoTime ? 0 : (last - first) / 1000;
        RunAnalysis out = m_analyzer.finish(status, durationMs);
        out.form = RunForm::Trace;
        if (begin != UINT64_MAX) {
            out.offset = begin;
            out.length = end - begin;
            out.line = line;
        }
        return out;
    }

private:

    const ReplayModel& m_model;
    const std::string& m_sha256;
    RunAnalyzer m_analyzer;
    StepReader m_reader;
};

} // namespace

std::vector<RunAnalysis> analyzeModel(const ReplayModel& model, const AnalysisRules& rules, const std::string& sha256,
                                      const std::atomic<bool>* cancel)
{
    const auto stopped = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
    const bool runTraces = !model.runs().empty();
    const std::size_t count = runTraces ? model.runs().size() : model.traceCount();
    std::vector<std::vector<std::uint32_t>> stepsOf(runTraces ? count : 0);
    if (runTraces)
        for (std::size_t i = 0; i < model.runSteps().size(); ++i)
            stepsOf[model.runSteps()[i].run].push_back(static_cast<std::uint32_t>(i));
    // runs are independent: blocks of them on every core, each block with its
    // own analyzer, the results in run order whatever finished first
    std::vector<std::uint64_t> documents; // where each run document begins, in file order
    for (const RunInfo& info : model.runs())
        if (info.source == RunSource::Document)
            documents.push_back(info.offset);
    std::sort(documents.begin(), documents.end());
    const auto nextDocument = [&](std::size_t r) -> std::uint64_t {
        const auto it = std::upper_bound(documents.begin(), documents.end(), model.runs()[r].offset);
        return it == documents.end() ? model.bytes().size() : *it;
    };
    std::vector<RunAnalysis> out(count);
    std::vector<std::uint8_t> done(count, 0);
    parallelFor(count, 256, [&](std::size_t begin, std::size_t end) {
        ModelFeeder feeder(model, rules, sha256);
        for (std::size_t i = begin; i < end && !stopped(); ++i) {
            out[i] = runTraces ? feeder.run(i, stepsOf[i], nextDocument(i)) : feeder.trace(i);
            done[i] = 1;
        }
    });
    // what a cancel left out is dropped, keeping what came before it in order
    std::size_t kept = 0;
    while (kept < count && done[kept])
        ++kept;
    out.resize(kept);
    return out;
}

} // namespace rw::analysis
