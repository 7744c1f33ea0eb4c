#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rw {

enum class CliAction { None, Help, Version, Timeline, Summary, Diff, List, Stats, PolicyDecisions, PolicyDiff, CheckPolicy, Graph, Compare, Evidence, Verify, GenerateKey, Analyze, CheckProfile, MergeReports, BuildProfile, Watch, CheckAlerts };

// --fail-on: the anomaly severity from which --analyze exits 5
enum class FailOn { Never, Warn, Critical };

struct CliOptions
{
    CliAction action = CliAction::None;
    std::vector<std::string> auditFiles;
    std::string traceId;
    bool json = false;
    bool quiet = false; // no warnings on stderr
    std::optional<std::string> decision, tool, trust;
    std::size_t limit = 50;
    unsigned threads = 0;
    // policy re-evaluation
    std::string policy;
    std::string capabilities;
    std::string baseline;
    std::string baselineCapabilities;
    std::string output;
    bool failOnChange = false;
    std::string graphFormat; // dot | svg | png
    std::string compareTrace; // --compare-trace: the right side
    // evidence bundles
    std::string evidenceOut = "evidence-bundle.zip";
    std::string filter;  // --filter: the traces of an evidence bundle
    std::string signKey; // --sign-key PREFIX.key
    std::string examiner, caseId, notes;
    std::string verifyBundle, publicKey;
    bool recordCustody = false;
    bool noSvg = false;
    bool withAnalysis = false; // --evidence --with-analysis
    std::string keyPrefix; // --generate-key
    bool force = false;    // --generate-key may replace an existing key pair
    // run-trace analysis (--analyze, --check-profile, securight trace analyze)
    std::string profile;                       // --profile, --check-profile: analysis.yaml
    std::vector<std::string> behaviour;        // --behaviour FILE|DIR, in the order given
    std::string exfil;                         // --exfil rules.yaml
    std::string policyVersion;                 // --policy-version V: trace_integrity compares runs with it
    std::vector<std::string> batch;            // --batch DIR: every trace file under it (with --analyze)
    std::string batchGlob = "*.json*";         // --glob: which file names a batch takes
    std::string window;                        // --window FROM..TO: the fleet section's time window
    std::string jsonl;                         // --jsonl runs.jsonl: a batch's runs, one per line
    std::string index;                         // --index index.jsonl: where each run lies (file, offset, length)
    bool part = false;                         // --part: the batch's map step only (merged by --merge-reports)
    bool walkOnly = false;                     // --walk-only (with --part): what the walk found, nothing analysed
    std::vector<std::string> mergeParts;       // --merge-reports P...: parts merged into --output
    std::vector<std::string> buildProfile;     // --build-profile DIR...: the runs a sequence profile is built from
    std::string agent;                         // --agent GLOB: whose runs --build-profile counts
    std::string controls;                      // --controls controls.yaml: the report's compliance section
    bool metrics = false;                      // --metrics: print the governance metrics of a batch
    bool csv = false;                          // --csv (with --metrics): as CSV on stdout
    bool analysisDiff = false;                 // --analyze --diff: detector what-if, A (baseline) vs B
    std::string baselineProfile;               // --baseline-profile A.yaml
    std::vector<std::string> baselineBehaviour; // --baseline-behaviour F|DIR (A's; default B's)
    std::string baselineExfil;                 // --baseline-exfil R.yaml (A's; default B's)
    std::string minEscalatedRuns;              // --min-escalated-runs N (default 5)
    std::string minEscalatedShare;             // --min-escalated-share X (default 0.25)
    std::vector<std::string> sequenceProfiles; // --sequence-profile F
    FailOn failOn = FailOn::Never;
    // the live watch (--watch FILE|DIR|-)
    std::string watch;
    std::string watchFormat = "compact";       // --format compact|full|json
    std::string savePartial;                   // --save-partial DIR (default $XDG_DATA_HOME/replay-workbench/traces)
    unsigned pollMs = 1000;                    // --poll-interval MS: the backstop poll
    unsigned rotateWaitS = 5;                  // --rotate-wait S: a rotated file is read until it has not grown for this long
    bool fromStart = false;                    // --from-start: print what the file holds already, not only new lines
    std::string alerts;                        // --alerts alerts.yaml (with --watch), --check-alerts alerts.yaml
};

struct CliParse
{
    CliOptions options;
    std::string error; // non-empty: usage error (exit 2)
};

CliParse parseCli(const std::vector<std::string>& args);
std::string cliUsage();

} // namespace rw
