#include "app/cli/watchrunner.h"

#include "app/cli/analyzerunner.h"
#include "app/cli/clioutput.h"
#include "app/cli/interrupt.h"
#include "app/cli/partialtrace.h"
#include "app/cli/watchalerts.h"
#include "app/cli/watchpolicy.h"
#include "app/text/terminaltext.h"
#include "app/text/diagnostictext.h"
#include "app/text/watchtext.h"
#include "model/chunkresult.h"
#include "model/followwatcher.h"
#include "replay/analysis/liveanalyzer.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <memory>

namespace rw {

namespace {

// a run no line has come for in this long is ended (reference §5.4: ten minutes)
constexpr std::int64_t kIdleMs = 10 * 60 * 1000;
constexpr std::size_t kMaxBatchBytes = 16u << 20;

// Lines from the follower to the analyzer in batches (a poll's worth), cut
// where the file, its segment or "already there" changes; what is printed.
class WatchPrinter
{
public:
    WatchPrinter(const CliOptions& o, std::ostream& out, std::ostream& err) : m_o(o), m_out(out), m_err(err) {}

    analysis::LiveSink sink()
    {
        analysis::LiveSink s;
        s.indexed = [this](const ReplayModel& model, const analysis::LiveBatch& batch, const std::string& file) {
            if (m_policy)
                m_policy->batch(model, batch, file, m_printing, [this](const std::string& id, const std::string& name) { return shown(id, name); });
        };
        s.event = [this](const analysis::LiveEvent& event) {
            if (m_o.watchFormat == "json" && m_printing && shown(event.agentId, event.agentName))
                m_out << jsonEventLine(event) << '\n';
        };
        s.runStarted = [this](const analysis::LiveRunInfo& run) {
            if (m_o.watchFormat == "json" && shown(run.agentId, run.agentName) && m_printing)
                m_out << jsonRunLine("run_started", run, nullptr) << '\n';
        };
        s.step = [this](const analysis::LiveStep& step) {
            if (!m_printing || !shown(step.agentId, step.agentName))
                return;
            if (m_alerts)
                for (const analysis::Anomaly& a : step.anomalies)
                    offer(a, step.file, step.line, step.offset);
            const std::optional<PolicyVerdict> b = m_policy ? m_policy->take(step.file, step.offset) : std::nullopt;
            const PolicyVerdict* verdict = b ? &*b : nullptr;
            if (m_o.watchFormat == "json") {
                m_out << jsonStepLines(step, verdict) << '\n';
                return;
            }
            // the run's line again whenever another run's step came between (runs interleave)
            if (m_lastRun != step.runId)
                m_out << watchingLine({step.runId, step.agentId, step.file, step.trace, step.agentName}) << '\n';
            m_lastRun = step.runId;
            m_out << (m_o.watchFormat == "full" ? fullStepLines(step, verdict) : compactStepLine(step, verdict)) << '\n';
        };
        s.rejected = [this](const std::string& file, const Diagnostic& d) {
            if (m_o.watchFormat == "json")
                m_out << jsonRejectedLine(file, d) << '\n';
            else if (!m_o.quiet)
                m_err << diagnosticWarningLine(d, file) << '\n';
        };
        s.lateAnomalies = [this](const analysis::LiveRunInfo& run, const std::vector<analysis::Anomaly>& anomalies) {
            if (!m_printing || !shown(run.agentId, run.agentName))
                return;
            if (m_alerts)
                for (const analysis::Anomaly& a : anomalies)
                    offer(a, run.file, 0, 0);
            m_out << (m_o.watchFormat == "json" ? jsonLateAnomalyLines(run, anomalies) : lateAnomalyLines(run, anomalies)) << '\n';
        };
        s.runEnded = [this](const analysis::LiveRunInfo& run, const analysis::RunAnalysis& result, bool partial) {
            if (!shown(run.agentId, run.agentName) || (!m_printing && !partial))
                return;
            if (m_o.watchFormat == "json")
                m_out << jsonRunLine(partial ? "run_partial" : "run_ended", run, &result) << '\n';
        };
        return s;
    }

    void setAnalyzer(analysis::LiveAnalyzer* live) { m_live = live; }
    void setAlerts(WatchAlerts* alerts) { m_alerts = alerts; }
    void setPolicy(WatchPolicy* policy) { m_policy = policy; }

    // the line an anomaly points at: its first witness (the step it is
    // about, which may be earlier than the step that showed it), else the given one
    void offer(const analysis::Anomaly& a, const std::string& file, std::uint64_t line, std::uint64_t offset)
    {
        if (!a.witness.empty() && a.witness.front().line > 0) {
            const analysis::Witness& w = a.witness.front();
            m_alerts->offer(a, w.file.empty() ? file : w.file, w.line, w.offset);
        } else {
            m_alerts->offer(a, file, line, offset);
        }
    }

    void line(const FollowedLine& l, const std::string& file)
    {
        if (!m_pending.empty() && (l.backlog != m_backlog || l.segment != m_segment || file != m_file))
            flush();
        m_backlog = l.backlog;
        m_segment = l.segment;
        m_file = file;
        m_pending.add(l.text, l.offset, l.line);
        if (m_pending.text.size() >= kMaxBatchBytes)
            flush(); // a long backlog in pieces, not held whole three times over
    }

    void note(const FollowNote& n)
    {
        flush(); // in order with the lines around it
        if (n.finding == FollowFinding::Opened)
            return; // the watch starting, or the new file after a rotation (said by its own note)
        if (m_o.watchFormat == "json")
            m_out << jsonNoteLine(n) << '\n';
        else if (!m_o.quiet || n.finding == FollowFinding::Truncated)
            m_err << followNoteText(n) << '\n';
    }

    void flush()
    {
        if (m_pending.empty() || !m_live)
            return;
        m_printing = m_o.fromStart || !m_backlog;
        m_live->addBatch(m_pending, m_file);
        m_pending.clear();
        if (m_policy)
            for (const PolicyVerdict& v : m_policy->rest()) // decision points no step line showed
                if (m_printing)
                    m_out << (m_o.watchFormat == "json" ? jsonPolicyVerdictLine(v) : policyVerdictLine(v)) << '\n';
        m_live->closeIdle(kIdleMs);
        m_out.flush();
        if (m_alerts)
            m_alerts->report();
    }

    // --agent PREFIX: an agent id or, for an interceptor trace, its agent_name
    bool shown(const std::string& id, const std::string& name = {}) const
    {
        const auto starts = [&](const std::string& s) { return s.compare(0, m_o.agent.size(), m_o.agent) == 0; };
        return m_o.agent.empty() || starts(id) || (!name.empty() && starts(name));
    }

private:
    const CliOptions& m_o;
    std::ostream& m_out;
    std::ostream& m_err;
    analysis::LiveAnalyzer* m_live = nullptr;
    WatchAlerts* m_alerts = nullptr; // none without --alerts: no delivery thread, no socket
    WatchPolicy* m_policy = nullptr; // --policy B.yaml
    analysis::LiveBatch m_pending; // keeps its buffer from batch to batch
    bool m_backlog = false, m_printing = true;
    std::size_t m_segment = 0;
    std::string m_file;
    std::string m_lastRun; // the run of the last step printed
};

} // namespace

int runWatch(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    const std::shared_ptr<const analysis::AnalysisRules> rules = loadAnalysisRules(o, err);
    if (!rules) {
        err << "Error: the analysis configuration is not valid\n";
        return 2;
    }
    // the event loop the file system's notifications come through (the CLI has none of its own)
    std::unique_ptr<QCoreApplication> app;
    if (!QCoreApplication::instance()) {
        static int argc = 1;
        static char name[] = "aisecops-replay";
        static char* argv[] = {name, nullptr};
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    FileFollower::Options follow;
    follow.maxLineBytes = LoadLimits{}.maxLineBytes;
    follow.rotateWaitMs = static_cast<std::int64_t>(o.rotateWaitS) * 1000;
    std::string error;
    const std::unique_ptr<FollowSource> source = FollowSource::open(o.watch, o.batchGlob, follow, error);
    if (!source) {
        err << "Error: cannot follow " << terminalText(o.watch) << ": " << terminalText(error) << '\n';
        return 1;
    }
    WatchPrinter printer(o, out, err);
    analysis::LiveAnalyzer live(*rules, printer.sink());
    printer.setAnalyzer(&live);
    std::unique_ptr<WatchPolicy> policy;
    if (!o.policy.empty()) {
        policy = WatchPolicy::start(o, err);
        if (!policy)
            return 1;
        printer.setPolicy(policy.get());
    }
    std::unique_ptr<WatchAlerts> alerts;
    if (!o.alerts.empty()) {
        int failure = 0;
        alerts = WatchAlerts::start(o, err, failure);
        if (!alerts)
            return failure;
        printer.setAlerts(alerts.get());
    }

    const InterruptScope interrupt;
    FollowWatcher watcher(*source, static_cast<int>(o.pollMs));
    watcher.setSinks([&](const FollowedLine& l) { printer.line(l, l.path.empty() ? source->currentPath() : std::string(l.path)); },
                     [&](const FollowNote& n) { printer.note(n); });
    QEventLoop loop;
    QObject::connect(&watcher, &FollowWatcher::polled, [&] {
        printer.flush();
        if (alerts)
            alerts->report(); // a retry's news even when no line came
    });
    QObject::connect(&watcher, &FollowWatcher::ended, &loop, &QEventLoop::quit);
    QTimer interrupted;
    interrupted.setInterval(50);
    QObject::connect(&interrupted, &QTimer::timeout, [&] {
        if (InterruptScope::flag().load())
            loop.quit();
    });
    interrupted.start();
    watcher.start();
    if (!source->ended() && !InterruptScope::flag().load())
        loop.exec();
    // the end of a stream, or a stop (Ctrl+C, SIGTERM, SIGHUP): told before finishing reads the rest
    const bool endOfInput = source->ended();
    watcher.finish();
    printer.flush();

    // the runs still open: saved as partial traces (a stream ending closes nothing: they are partial too)
    int status = 0;
    std::vector<std::string> saved;
    const std::vector<FollowSegment> segments = source->segments();
    for (const analysis::OpenRunLines& run : live.openRuns()) {
        if (!printer.shown(run.run.agentId, run.run.agentName))
            continue;
        const std::optional<std::string> path = savePartialTrace(o, run, segments, err);
        if (path)
            saved.push_back(*path);
        else
            status = 1;
    }
    live.finish();
    if (alerts)
        alerts->finish(); // before the seed's last line
    std::ostream& lines = o.watchFormat == "json" ? err : out;
    if (policy)
        lines << policyWatchTotalsLine(policy->path(), policy->totals()) << '\n';
    const char* said = endOfInput ? "End of input." : "Disconnected.";
    if (saved.empty())
        lines << said << '\n';
    for (const std::string& path : saved)
        lines << said << " Partial trace saved to: " << terminalText(path) << '\n';
    return status;
}

} // namespace rw
