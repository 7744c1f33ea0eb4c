#pragma once

// What run-trace analysis finds, as plain values (reference §3.10): one
// record shape for the CLI, the anomaly feed, reports and alerts. Wording is
// not here: app/text/analysistext words a record from its rule id and
// context, for the CLI and the workbench alike.
#include "replay/analysis/analysisconfig.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rw::analysis {

enum class Detector : std::uint8_t {
    PermissionEscalation,
    UnusualToolSequence,
    ExcessiveRetries,
    DataExfiltration,
    BehaviouralDeviation,
    TraceIntegrity,
    MissingStep,
};
inline constexpr std::size_t kDetectorCount = 7;
// "permission_escalation", ... (the ids of reports and of the filter language)
const char* detectorName(Detector d);
const char* severityName(Severity s); // info, warn, critical

// Where the evidence of an anomaly lies: exact bytes of an input file.
struct Witness
{
    std::string file;
    std::string sha256;       // of the whole file
    std::uint32_t line = 0;   // 1-based
    std::uint64_t offset = 0; // the record's first byte (a step object, an event line)
    std::uint32_t length = 0;
    std::string pointer;      // JSON pointer inside those bytes ("/permissions_used/1"), may be empty
    std::string value;        // what the pointer points at, when short
    std::int64_t stepIndex = -1;
};

// The context keys of each rule (what app/text words, what reports carry):
//   escalation.not-in-baseline   permission, baseline[], approvable (bool), recorded_escalated (bool)
//   escalation.approved          permission, approval_id
//   escalation.denied-used       permission
//   sequence.new-tool            tool, preceding[] (up to 3 tools before it)
//   sequence.new-first-tool      tool
//   sequence.new-transition      from, tool, preceding[]
//   sequence.rare-transition     from, tool, probability, preceding[]
//   retry.repeated | retry.failure-loop | retry.probing | retry.credential-probing
//                                tool, attempts, mode (identical|mutating), mutated_keys[], steps[], auth_failures
//   exfil.<sequence id>          sequence, read_step, read_tool, read_bytes, read_rows, encode_step (or null),
//                                write_tool, destination, trusted (bool), allow_id (or null)
//   policy.<policy>.<check>      policy, policy_name, check, title, kind (prohibit|require|preceded_by|followed_by),
//                                text (a prohibition's text, or the expected expression), within_steps
//   integrity.unrecorded-escalation | integrity.not-granted | integrity.denied-succeeded   permission
//   integrity.policy-version     recorded, bundle
struct Anomaly
{
    Detector detector = Detector::PermissionEscalation;
    std::string ruleId;   // escalation.not-in-baseline, retry.repeated, policy.SOP-114.prohibited, ...
    Severity severity = Severity::Info;
    int score = 0;        // 0..100, for ranking
    std::string runId;
    std::string agentId;
    std::int64_t stepIndex = -1; // -1: about the whole run
    std::string time;            // the step's timestamp as written
    std::string key;             // what makes it distinct within its step (a permission, a tool)
    std::vector<Witness> witness;
    // everything the wording and an investigator need: the permission, the
    // baseline, the attempts, the destination, the policy and check, ...
    nlohmann::ordered_json context = nlohmann::ordered_json::object();
    std::string fingerprint; // sha256(detector|rule_id|run_id|step_index|key): stable across re-analysis
    std::uint64_t sequence = 0; // order of discovery (live watch shows them in this order)
};

enum class CheckResult : std::uint8_t { Pass, Warn, Fail };
const char* checkResultName(CheckResult r); // pass, warn, fail

struct PolicyCheckResult
{
    std::string policy; // SOP-114
    std::string check;  // escalation-approval
    std::string title;
    std::string advice;
    CheckResult result = CheckResult::Pass;
    std::vector<std::int64_t> steps; // the steps that broke it (or need review)
};

enum class BaselineSource : std::uint8_t {
    Profile,  // the analysis profile's baseline_grant for the agent
    Inferred, // granted - escalated from the run's permissions_summary (no profile)
    Granted,  // an interceptor trace's allowed capabilities (no profile)
    None      // nothing to compare with: escalation is not judged
};
const char* baselineSourceName(BaselineSource s); // profile, inferred, granted, none

// Why a detector could not judge a run (worded by app/text).
struct AnalysisNote
{
    enum class Code : std::uint8_t {
        NoBaseline,           // no profile and the trace records no grant: escalation not judged
        InsufficientBaseline, // the sequence profile has `runs` < `needed` runs
        StepsNotKept,         // an order rule looked back no further than `needed` steps
    } code = Code::NoBaseline;
    Detector detector = Detector::PermissionEscalation;
    std::int64_t runs = 0;
    std::int64_t needed = 0;
};
const char* noteCodeName(AnalysisNote::Code code); // no_baseline, insufficient_baseline, steps_not_kept

// The analysis of one run (a run trace, or an interceptor trace read as a run).
// One file's part of a run found in several files (a batch joins them):
// where its records lie, as the map step located the run in that file.
struct RunSegment
{
    std::string file, sha256;
    std::uint32_t line = 0;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

// How a run was written: a run document is whole in its file; a run stream
// and an interceptor trace are records that a rotation can split across files.
enum class RunForm : std::uint8_t { Document, Stream, Trace };

struct RunAnalysis
{
    std::string runId;
    std::string agentId;
    std::string status;      // completed, running, ... (interceptor: the final decision)
    std::string file;
    std::int64_t durationMs = 0;
    std::int64_t steps = 0;
    std::string startedAt;
    std::vector<std::string> baseline;
    BaselineSource baselineSource = BaselineSource::None;
    std::vector<std::string> used;      // recorded granted order first, then first use
    std::vector<std::string> escalated; // used and not in the baseline, in `used` order
    std::vector<std::string> granted;   // what the run recorded as granted (permissions_summary), as written
    std::vector<std::int64_t> uses;     // steps that used each of `used`, in its order
    std::vector<Anomaly> anomalies;     // by step, then discovery
    std::string policyId;               // the behavioural policies applied
    std::string policyName;
    std::vector<PolicyCheckResult> checks;
    std::vector<AnalysisNote> notes;    // why a detector said nothing
    std::string advice;                 // of the first check that did not pass
    // where the run lies in its file (uncompressed bytes), for an index that
    // opens "the runs behind" a count: a run document whole; a run stream from
    // its first line to its last step; an interceptor trace from its first
    // event to the end of its last, other traces' events possibly in between.
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::uint32_t line = 0;
    // a run joined from several files (a batch's merge, splitrun.h): every
    // piece in time order, the first being the location above; empty otherwise
    std::vector<RunSegment> segments;
    RunForm form = RunForm::Document;
    // with AnalysisConfig::recordSequences only: the tool of each step in
    // order ("" for a step without one) and the class of each destination
    // written to ("internal": trusted networks, else "external")
    std::vector<std::string> tools;
    std::map<std::string, std::int64_t> destinations;

    // the highest severity of its anomalies; `clean` when none is above info
    Severity worst() const;
    bool clean() const;
    std::size_t count(Severity s) const;
};

} // namespace rw::analysis
