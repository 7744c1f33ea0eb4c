#pragma once

// Analysis as lines arrive (the live watch): each batch of appended lines is
// indexed by the normal loader, its steps fed to analyzers that live as long
// as their run, so that an anomaly is found when the step that shows it is
// read. A run stream's run begins at its first line and ends at
// run_completed; an interceptor trace's steps are its execution plans, each
// read when its decision arrives (a plan never decided is read at the end);
// traces and unfinished runs end with the watch (status running). A run
// stream's run_completed brings what a step could not know (its permissions
// summary: what was granted, denied, escalated): the run is then analysed
// again whole, as post-run analysis reads it, and what that adds is passed on
// as late anomalies, so a completed run ends with exactly post-run's findings.
// Locations are the lines' own (file, line, byte offset); SHA-256s are left
// empty, since the segment's hash is known only at its end.
#include "model/diagnostic.h"
#include "replay/analysis/analyzer.h"
#include "replay/analysis/runanalyzer.h"
#include "replay/analysis/stepreader.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rw::analysis {

// one complete line as the follower passed it
struct LiveLine
{
    std::string text;
    std::uint64_t offset = 0;
    std::uint64_t line = 0;
};

// Consecutive lines of one file as one text, a line break after each: what
// a poll passes on, built without a string per line (the batch is indexed by
// the loader as it is).
struct LiveBatch
{
    struct Place
    {
        std::uint64_t at = 0;     // the line's first byte in `text`
        std::uint64_t offset = 0; // in its file
        std::uint64_t line = 0;   // 1-based, in its file
    };
    std::string text;
    std::vector<Place> places;

    void add(std::string_view line, std::uint64_t offset, std::uint64_t number)
    {
        places.push_back({text.size(), offset, number});
        text.append(line);
        text += '\n';
    }
    bool empty() const { return places.empty(); }
    void clear()
    {
        text.clear(); // keeps its capacity for the next batch
        places.clear();
    }
    // the line holding byte `at` of the text, its text without the line break
    std::pair<const Place*, std::string_view> lineAt(std::uint64_t at) const;
};

struct LiveStep
{
    std::string runId, agentId, file;
    std::string agentName; // as LiveRunInfo::agentName
    std::uint64_t offset = 0, line = 0;
    bool trace = false;            // an interceptor plan (else a run-trace step)
    std::int64_t stepIndex = -1;
    std::string time;              // as written
    std::string action, tool, resultStatus, decision, reasoning;
    std::vector<std::string> permissions;
    bool escalated = false;        // a permission outside the baseline
    std::vector<Anomaly> anomalies; // found with this step (about it or an earlier one)
};

struct LiveRunInfo
{
    std::string runId, agentId, file;
    bool trace = false;
    std::string agentName; // an interceptor trace's agent_name (its agent_id is agentId when it has one)
};

// One interceptor event as it arrives (a run stream's lines are its steps).
struct LiveEvent
{
    std::string traceId, agentId, agentName, file;
    std::uint64_t offset = 0, line = 0;
    std::string eventId, eventType, stage, decision, tool, time; // as written
};

struct LiveSink
{
    // each interceptor event, before the step its decision completes (the JSON form's "event" records)
    std::function<void(const LiveEvent&)> event;
    // a batch as the loader indexed it, before its steps are fed (what else reads the same lines: --policy)
    std::function<void(const ReplayModel&, const LiveBatch&, const std::string& file)> indexed;
    std::function<void(const LiveRunInfo&)> runStarted;
    std::function<void(const LiveStep&)> step;
    // a line the loader could not take (bad JSON, no object, ...): file, line, byte offset, finding
    std::function<void(const std::string& file, const Diagnostic& finding)> rejected;
    // anomalies only the whole run shows (found when it completed)
    std::function<void(const LiveRunInfo&, const std::vector<Anomaly>&)> lateAnomalies;
    // the run's analysis at its end; `partial` when the watch ended before it did
    std::function<void(const LiveRunInfo&, const RunAnalysis&, bool partial)> runEnded;
};

// A run still open, as a partial trace is saved: its lines as read.
struct OpenRunLines
{
    LiveRunInfo run;
    std::vector<std::string> lines;
};

class LiveAnalyzer
{
public:
    LiveAnalyzer(const AnalysisRules& rules, LiveSink sink);
    ~LiveAnalyzer();
    LiveAnalyzer(const LiveAnalyzer&) = delete;
    LiveAnalyzer& operator=(const LiveAnalyzer&) = delete;

    // Consecutive complete lines of one file, in order (a poll's worth).
    void addLines(const std::vector<LiveLine>& lines, const std::string& file);
    void addBatch(const LiveBatch& batch, const std::string& file);
    // The open run streams' lines (for --save-partial), before finish();
    // interceptor traces are in their audit log already and are not among them.
    std::vector<OpenRunLines> openRuns() const;
    // Ends the runs no line has come for in `idleMs` (partial: a later line begins it anew),
    // by the clock, or by the log's own time: a run whose last step is `idleMs` older than the
    // newest step read (a log replayed faster than it was written, --from-start or standard
    // input, keeps no more open than a live one). A long watch of an audit log, whose traces
    // never end by themselves, keeps no more than that.
    void closeIdle(std::int64_t idleMs);
    // The end of the watch: plans never decided are read, open runs end (partial).
    void finish();

    std::size_t runsOpen() const { return m_runs.size(); }

private:
    struct Run;
    Run& runOf(const std::string& id, const std::string& agentId, const std::string& file, bool trace,
               const std::string& agentName = {});
    void feed(Run& run, StepInput& in, const std::string& file, std::uint64_t offset, std::uint64_t line);
    void end(const std::string& id, const std::string& status, std::int64_t durationMs, bool partial);
    std::optional<RunAnalysis> wholeRun(const Run& run) const;
    void addStreamLines(const ReplayModel& model, const LiveBatch& batch, const std::string& file);
    void addTraceLines(const ReplayModel& model, const LiveBatch& batch, const std::string& file);

    const AnalysisRules& m_rules;
    LiveSink m_sink;
    StepReader m_reader;
    std::map<std::string, std::unique_ptr<Run>> m_runs; // open runs by id
    std::map<std::uint64_t, std::string> m_order;       // ids in the order they began (erased at their end)
    std::uint64_t m_nextSeq = 0;
    std::optional<bool> m_stream; // the source is a run stream (known from its first lines)
    std::int64_t m_newestUs = 0;  // the newest step time read (0: none), for closeIdle
};

} // namespace rw::analysis
