#include "app/cli/clioptions.h"

#include "app/cli/analyzeoptions.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace rw {

std::string cliUsage()
{
    return R"(Usage: aisecops-replay --audit-file FILE [options]

Replays AISecOps audit logs (JSONL, or run traces) without a GUI.

Trace views (need --trace-id):
  --trace-id T          print the timeline of trace T (upstream's text layout)
  --summary             print the trace summary instead of the timeline
  --diff                print the in-trace diff: plan vs policy decision vs execution
  --graph dot|svg|png   the execution graph of the trace (laid out by Graphviz); with --output FILE
  --compare-trace T2    compare the trace with T2, aligned by execution plan and step (T2 from a
                        second --audit-file if given); --json for a JSON document

File views:
  --list                list the traces (newest last_seen first)
    --decision D        only traces whose final decision is D (allowed, blocked, require_approval, ...)
    --tool T            only traces whose last event used tool T
    --trust L           only traces with a provenance item of trust level L
    --limit N           at most N rows (default 50)
  --stats               events, traces, bytes, diagnostics by code, SHA-256, load time and MB/s

Policy re-evaluation ("what would bundle B have decided?"):
  --policy B.yaml       re-evaluate every decision point under bundle B and print B's decisions
    --capabilities C.yaml   the capability bundle B uses (capability gate); without it the gate is not evaluated
    --baseline A.yaml   compare with bundle A's decisions instead of the recorded ones
    --baseline-capabilities C.yaml   A's capability bundle (default: the same as B's)
    --diff              print only what changes: recorded (or A) vs B, with a summary
    --output FILE       also write the result as JSON (replay-diff.json format) to FILE
    --fail-on-change    exit 3 when any decision changes (a CI gate on policy changes)
  --check-policy B.yaml validate a bundle (and --capabilities C.yaml); prints file:line:column: error|warning: ...

Evidence bundles (a ZIP an auditor can verify offline):
  --evidence [OUT.zip]  export the --trace-id trace, or all traces matching --filter QUERY, with their
                        original lines, summaries, diffs, evidence documents, timelines, graphs, a report
                        (HTML, PDF) and a manifest of SHA-256 hashes (default OUT: evidence-bundle.zip)
    --filter QUERY      the workbench's filter language, e.g. 'decision:blocked trust:external'
    --sign-key K.key    sign manifest.json (Ed25519, minisign format: minisign -V -p K.pub -m manifest.json)
    --examiner NAME     --case ID     --notes TEXT
    --policy B.yaml     include bundle B (and --capabilities C.yaml) and its replay-diff.json
    --no-svg            skip the graph SVGs (each needs a Graphviz layout)
  --verify B.zip        check a bundle item by item (PASS / FAIL / NOT APPLICABLE); exit 0 only when all pass
    --public-key K.pub  require a valid signature by this key
    --audit-file F      also check the exported lines against the source file at their byte offsets
    --record-custody    append this verification to the bundle's custody log
  --generate-key PREFIX write PREFIX.key (mode 0600, unencrypted, minisign format) and PREFIX.pub
    --force             replace an existing PREFIX.key and PREFIX.pub (never through a symbolic link)

Run-trace analysis (also `securight trace analyze FILE`):
  --analyze             analyse every run of each --audit-file: permissions used against the agent's baseline,
                        escalations, retries, tool sequences, exfiltration patterns, behavioural policy checks
    --profile P.yaml    the analysis profile (baseline grants, approved tools, action types, trusted networks);
                        without it the baseline is inferred from each trace
    --behaviour F|DIR   a behavioural policy, or every *.yaml of a folder (repeatable)
    --exfil R.yaml      the exfiltration rules (default: the built-in ones)
    --sequence-profile F  a tool-sequence profile (repeatable); those the profile names are read as well
    --trace-id RUN      only the run RUN
    --policy-version V  the version of the policy in force: runs recording another are reported
    --batch DIR...      every trace file under each DIR (or each FILE), recursively (with --output report.json):
                        prints counts of runs by their worst severity and writes the report
    --glob PATTERN      the file names --batch takes (default *.json*: .json, .jsonl, .json.gz)
    --jsonl R.jsonl     also write the batch's runs one per line (for DuckDB, Spark, Trino, jq)
    --index I.jsonl     also write where each run lies: file, SHA-256, line, byte offset and length
    --metrics           print the governance metrics (decisions, blocked and approval-required shares,
                        replay and graph coverage, incidents, anomalies, provenance trust; all in the
                        report's metrics section); --csv prints them as CSV (by hour, agent, tool, tenant)
    --controls C.yaml   judge the compliance controls of C (yours: controls mapped to detectors, rules,
                        policy checks and fleet findings) in the report's compliance section
    --part              write the map step's part to --output instead of the report (a cluster's
                        workers run it on their share of the files; --merge-reports joins the parts)
    --walk-only         with --part: only the walk (the files found and the problems), for a scheduler
                        to share out; the merge checks that every file found was analysed
    --window FROM..TO   the report's fleet section counts runs started in [FROM, TO) (dates or ISO times, UTC)
    --min-escalated-runs N, --min-escalated-share X  a permission escalated in at least N runs and X of
                        an agent's runs is reported as frequently escalated (default 5 and 0.25)
    --json              one document: runs, anomalies with witnesses, policy checks, configuration hashes
    --fail-on warn|critical  exit 5 when an anomaly reaches this severity (a CI gate)
    --diff              detector what-if: the anomalies that appear, vanish or change severity (and the
                        policy checks that change) from configuration A to B (B: the options above)
      --baseline-profile A.yaml, --baseline-behaviour F|DIR, --baseline-exfil R.yaml  configuration A
                        (what is not given is B's); --output F writes analysis-diff.json;
                        --fail-on-change exits 3 when anything changes
  --merge-reports PART...  merge parts of --batch ... --part into --output report.json (with --jsonl,
                        --index, --controls, --metrics, --window, --min-escalated-*, --fail-on): the report
                        --batch writes
  --build-profile DIR...  a tool-sequence profile of the runs under DIR (tool counts, first tools,
                        transitions, permissions, destination classes) to --output profiles/NAME.json,
                        for --sequence-profile; --agent GLOB chooses the runs (needed when several agents)
  --check-profile P.yaml  validate an analysis profile (and --behaviour, --exfil, --sequence-profile);
                        prints file:line:column: error|warning: ...

Options:
  --audit-file FILE     the audit file (also --audit-log); --list and --stats accept several
  --json                print upstream's JSON shapes (GET /replay, /replay/{id}, /summary, /diff)
  --quiet               do not print load warnings on stderr
  --threads N           indexing threads (default: one per core)
  --help                show this help
  --version             show the version

One action per call. Outputs are written to a new file or replace a regular file, never an input
of the call, a key in use, a FIFO, a device or a directory.

Load warnings go to stderr as "Warning: line N: ...". Exit codes: 0 success,
1 missing file or trace, an invalid bundle, or an output that could not be
written ("Error: ..." on stderr, stdout included), 2 usage error, a refused
output path or an unreadable or invalid analysis configuration, 3 with
--fail-on-change when a decision changed, 4 when --verify finds a failed item,
5 with --fail-on when an anomaly reaches the level.
)";
}

namespace {

// the views of one trace: --summary, --diff, --graph and --compare-trace refine --trace-id
bool isTraceView(const std::string& option)
{
    return option == "--summary" || option == "--diff" || option == "--graph" || option == "--compare-trace";
}

// options that collect a list: each occurrence adds one
bool isRepeatable(const std::string& option)
{
    return option == "--audit-file" || option == "--behaviour" || option == "--sequence-profile" || option == "--batch" ||
           option == "--baseline-behaviour";
}

FailOn failOnLevel(const std::string& word)
{
    return word == "warn" ? FailOn::Warn : word == "critical" ? FailOn::Critical : FailOn::Never;
}

} // namespace

CliParse parseCli(const std::vector<std::string>& args)
{
    CliParse r;
    CliOptions& o = r.options;
    auto setAction = [&](CliAction a) {
        if (o.action == CliAction::Analyze)
            return; // refined by nothing: the one-action check below names both
        // --summary and --diff refine the trace view; --list and --stats are exclusive
        if (o.action != CliAction::None && o.action != CliAction::Timeline && a != CliAction::Timeline) {
            r.error = "choose one of --summary, --diff, --graph, --compare-trace, --list, --stats";
            return;
        }
        if (a == CliAction::Timeline && o.action != CliAction::None)
            return;
        o.action = a;
    };
    std::vector<std::string> given;   // every option, in order
    std::vector<std::string> actions; // the options that name what the call does: one at most
    std::set<std::string> valued;     // options with a value, which may be given once
    for (std::size_t i = 0; i < args.size() && r.error.empty(); ++i) {
        const std::string& a = args[i];
        given.push_back(a);
        if (a == "--list" || a == "--stats" || a == "--evidence" || a == "--verify" || a == "--generate-key" ||
            a == "--check-policy" || a == "--summary" || a == "--diff" || a == "--graph" || a == "--compare-trace" ||
            a == "--analyze" || a == "--check-profile" || a == "--merge-reports" || a == "--build-profile")
            actions.push_back(a);
        auto value = [&](std::string& target) {
            if (i + 1 >= args.size()) {
                r.error = "option " + a + " needs a value";
                return false;
            }
            // a path or a prefix: "" would mean the current directory or a hidden ".key"
            if (args[i + 1].empty() && a != "--trace-id" && a != "--compare-trace" && a != "--examiner" && a != "--case" &&
                a != "--notes") {
                r.error = "option " + a + " needs a non-empty value";
                return false;
            }
            // the same setting twice would be a silent choice of the last one
            const std::string slot = a == "--check-policy"    ? "--policy"
                                     : a == "--check-profile" ? "--profile"
                                     : a == "--audit-log"     ? "--audit-file"
                                     : a == "--behavior"      ? "--behaviour"
                                     : a == "--baseline-behavior" ? "--baseline-behaviour"
                                                              : a;
            if (!isRepeatable(slot) && !valued.insert(slot).second) {
                r.error = "option " + a + (slot == a ? "" : " (or " + slot + ")") + " given twice";
                return false;
            }
            target = args[++i];
            return true;
        };
        std::string v;
        if (a == "--help" || a == "-h") {
            o.action = CliAction::Help;
            return r;
        } else if (a == "--version") {
            o.action = CliAction::Version;
            return r;
        } else if (a == "--audit-file" || a == "--audit-log") {
            if (value(v))
                o.auditFiles.push_back(v);
        } else if (a == "--trace-id") {
            if (value(v)) {
                o.traceId = v;
                setAction(CliAction::Timeline);
            }
        } else if (a == "--summary") {
            setAction(CliAction::Summary);
        } else if (a == "--diff") {
            setAction(CliAction::Diff);
        } else if (a == "--list") {
            setAction(CliAction::List);
        } else if (a == "--stats") {
            setAction(CliAction::Stats);
        } else if (a == "--graph") {
            if (value(v)) {
                if (v != "dot" && v != "svg" && v != "png")
                    r.error = "--graph takes dot, svg or png";
                o.graphFormat = v;
                setAction(CliAction::Graph);
            }
        } else if (a == "--evidence") {
            setAction(CliAction::Evidence);
            // the output path is optional
            if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0)
                value(o.evidenceOut);
        } else if (a == "--filter") {
            value(o.filter);
        } else if (a == "--sign-key") {
            value(o.signKey);
        } else if (a == "--examiner") {
            value(o.examiner);
        } else if (a == "--case") {
            value(o.caseId);
        } else if (a == "--notes") {
            value(o.notes);
        } else if (a == "--no-svg") {
            o.noSvg = true;
        } else if (a == "--verify") {
            if (value(o.verifyBundle))
                o.action = CliAction::Verify;
        } else if (a == "--public-key") {
            value(o.publicKey);
        } else if (a == "--record-custody") {
            o.recordCustody = true;
        } else if (a == "--generate-key") {
            if (value(o.keyPrefix))
                o.action = CliAction::GenerateKey;
        } else if (a == "--force") {
            o.force = true;
        } else if (a == "--compare-trace") {
            if (value(v)) {
                o.compareTrace = v;
                setAction(CliAction::Compare);
            }
        } else if (a == "--policy") {
            value(o.policy);
        } else if (a == "--capabilities") {
            value(o.capabilities);
        } else if (a == "--baseline") {
            value(o.baseline);
        } else if (a == "--baseline-capabilities") {
            value(o.baselineCapabilities);
        } else if (a == "--output") {
            value(o.output);
        } else if (a == "--fail-on-change") {
            o.failOnChange = true;
        } else if (a == "--check-policy") {
            if (value(v)) {
                o.policy = v;
                o.action = CliAction::CheckPolicy;
            }
        } else if (a == "--analyze") {
            o.action = CliAction::Analyze; // a second action is refused below
        } else if (a == "--check-profile") {
            if (value(o.profile))
                o.action = CliAction::CheckProfile;
        } else if (a == "--profile") {
            value(o.profile);
        } else if (a == "--behaviour" || a == "--behavior") {
            if (value(v))
                o.behaviour.push_back(v);
        } else if (a == "--exfil") {
            value(o.exfil);
        } else if (a == "--policy-version") {
            value(o.policyVersion);
        } else if (a == "--batch") {
            // --batch DIR [DIR...]: every following argument up to the next option
            if (value(v))
                o.batch.push_back(v);
            while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0 && !args[i + 1].empty())
                o.batch.push_back(args[++i]);
        } else if (a == "--glob") {
            value(o.batchGlob);
        } else if (a == "--window") {
            value(o.window);
        } else if (a == "--jsonl") {
            value(o.jsonl);
        } else if (a == "--index") {
            value(o.index);
        } else if (a == "--part") {
            o.part = true;
        } else if (a == "--walk-only") {
            o.walkOnly = true;
        } else if (a == "--build-profile") {
            o.action = CliAction::BuildProfile;
            while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0 && !args[i + 1].empty())
                o.buildProfile.push_back(args[++i]);
            if (o.buildProfile.empty())
                r.error = "--build-profile needs the folders (or files) of the runs";
        } else if (a == "--agent") {
            value(o.agent);
        } else if (a == "--controls") {
            value(o.controls);
        } else if (a == "--metrics") {
            o.metrics = true;
        } else if (a == "--csv") {
            o.csv = true;
        } else if (a == "--baseline-profile") {
            value(o.baselineProfile);
        } else if (a == "--baseline-behaviour" || a == "--baseline-behavior") {
            if (value(v))
                o.baselineBehaviour.push_back(v);
        } else if (a == "--baseline-exfil") {
            value(o.baselineExfil);
        } else if (a == "--merge-reports") {
            // part-*.json: every following argument up to the next option
            o.action = CliAction::MergeReports;
            while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0 && !args[i + 1].empty())
                o.mergeParts.push_back(args[++i]);
            if (o.mergeParts.empty())
                r.error = "--merge-reports needs the part files (written by --analyze --batch ... --part)";
        } else if (a == "--min-escalated-runs") {
            value(o.minEscalatedRuns);
        } else if (a == "--min-escalated-share") {
            value(o.minEscalatedShare);
        } else if (a == "--sequence-profile") {
            if (value(v))
                o.sequenceProfiles.push_back(v);
        } else if (a == "--fail-on") {
            if (value(v)) {
                o.failOn = failOnLevel(v);
                if (o.failOn == FailOn::Never)
                    r.error = "--fail-on takes warn or critical, got '" + v + "'";
            }
        } else if (a == "--json") {
            o.json = true;
        } else if (a == "--quiet") {
            o.quiet = true;
        } else if (a == "--decision") {
            if (value(v))
                o.decision = v;
        } else if (a == "--tool") {
            if (value(v))
                o.tool = v;
        } else if (a == "--trust") {
            if (value(v))
                o.trust = v;
        } else if (a == "--limit" || a == "--threads") {
            if (!value(v))
                break;
            std::size_t n = 0;
            const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc() || ptr != v.data() + v.size() || (a == "--threads" && (n == 0 || n > 64))) {
                r.error = "option " + a + " needs a positive whole number, got '" + v + "'";
                break;
            }
            if (a == "--limit")
                o.limit = n;
            else
                o.threads = static_cast<unsigned>(n);
        } else {
            r.error = "unknown option '" + a + "'";
        }
    }
    if (!r.error.empty())
        return r;
    // --analyze --diff: the detector what-if, not the trace view --diff
    if (const auto diff = std::find(actions.begin(), actions.end(), "--diff");
        diff != actions.end() && std::find(actions.begin(), actions.end(), "--analyze") != actions.end()) {
        actions.erase(diff);
        o.action = CliAction::Analyze;
        o.analysisDiff = true;
    }
    // one action per call: a second one was silently dropped before
    if (actions.size() > 1) {
        if (actions[0] == actions[1])
            r.error = actions[0] + " is given twice: one action per call";
        else if (isTraceView(actions[0]) && isTraceView(actions[1]))
            r.error = "choose one of --summary, --diff, --graph, --compare-trace, --list, --stats";
        else
            r.error = "one action per call: " + actions[0] + " and " + actions[1] + " cannot be combined";
        return r;
    }
    auto only = [&](std::initializer_list<const char*> allowed, const char* what) {
        for (const std::string& g : given)
            if (std::none_of(allowed.begin(), allowed.end(), [&](const char* x) { return g == x; })) {
                r.error = std::string(what) + " does not take " + g;
                return false;
            }
        return true;
    };
    if (o.force && o.action != CliAction::GenerateKey) {
        r.error = "--force goes with --generate-key";
        return r;
    }
    if (o.action == CliAction::GenerateKey) {
        // "dir/" or "." would write the hidden files dir/.key or ..key
        const std::string last = o.keyPrefix.substr(o.keyPrefix.find_last_of('/') + 1);
        if (last.empty() || last == "." || last == "..")
            r.error = "--generate-key needs a file name prefix, e.g. keys/examiner for keys/examiner.key and keys/examiner.pub";
        else
            only({"--generate-key", "--force", "--quiet"}, "--generate-key");
        return r;
    }
    if (o.action == CliAction::CheckProfile || o.action == CliAction::Analyze || o.action == CliAction::MergeReports ||
        o.action == CliAction::BuildProfile || hasAnalysisOptions(o) || !o.agent.empty()) {
        r.error = analysisOptionsError(o, given);
        return r;
    }
    if (o.action == CliAction::CheckPolicy) {
        only({"--check-policy", "--capabilities", "--quiet"}, "--check-policy");
        return r;
    }
    if (o.action == CliAction::Verify) {
        only({"--verify", "--public-key", "--audit-file", "--audit-log", "--record-custody", "--examiner", "--json", "--quiet",
              "--threads"},
             "--verify");
        return r;
    }
    if (!o.traceId.empty() && (o.action == CliAction::List || o.action == CliAction::Stats)) {
        r.error = std::string("--trace-id does not go with ") + (o.action == CliAction::List ? "--list" : "--stats");
        return r;
    }
    if (o.action == CliAction::Evidence) {
        if (o.auditFiles.empty())
            r.error = "--evidence needs --audit-file";
        else if (o.traceId.empty() == o.filter.empty())
            r.error = "--evidence needs --trace-id T or --filter QUERY (one of them)";
        else if (!o.baseline.empty() || o.failOnChange || !o.output.empty())
            r.error = "--evidence does not take --baseline, --fail-on-change or --output (give the path after --evidence)";
        return r;
    }
    if (!o.filter.empty() || !o.signKey.empty() || !o.examiner.empty() || !o.caseId.empty() || !o.publicKey.empty() ||
        o.recordCustody || o.noSvg || !o.notes.empty()) {
        r.error = "--filter, --sign-key, --examiner, --case, --notes and --no-svg go with --evidence; --public-key and "
                  "--record-custody with --verify";
        return r;
    }
    if (!o.policy.empty()) {
        // --policy turns the trace views into re-evaluation views
        if (o.action == CliAction::Diff)
            o.action = CliAction::PolicyDiff;
        else if (o.action == CliAction::None || o.action == CliAction::Timeline)
            o.action = CliAction::PolicyDecisions;
        else {
            r.error = "--policy goes with --diff or alone (not with --summary, --list or --stats)";
            return r;
        }
        if (o.auditFiles.empty())
            r.error = "--audit-file is required";
        else if (!o.baseline.empty() && o.action != CliAction::PolicyDiff)
            r.error = "--baseline goes with --diff";
        return r;
    }
    if (o.action == CliAction::Graph) {
        if (o.traceId.empty())
            r.error = "--graph needs --trace-id";
        else if (o.auditFiles.size() != 1)
            r.error = "--graph takes one --audit-file";
        else if (o.graphFormat == "png" && o.output.empty())
            r.error = "--graph png needs --output FILE";
        return r;
    }
    if (o.action == CliAction::Compare) {
        if (o.traceId.empty())
            r.error = "--compare-trace needs --trace-id (the left side)";
        else if (o.auditFiles.empty() || o.auditFiles.size() > 2)
            r.error = "--compare-trace takes one or two --audit-file (left, then right)";
        else if (!o.output.empty() || o.failOnChange || !o.capabilities.empty() || !o.baseline.empty())
            r.error = "--compare-trace does not take --output, --capabilities, --baseline or --fail-on-change";
        return r;
    }
    if (!o.baseline.empty() || !o.output.empty() || o.failOnChange || !o.capabilities.empty()) {
        r.error = "--capabilities, --baseline, --output and --fail-on-change go with --policy";
        return r;
    }
    if (o.action == CliAction::None) {
        r.error = "nothing to do: give --trace-id, --list or --stats";
    } else if (o.auditFiles.empty()) {
        r.error = "--audit-file is required";
    } else if ((o.action == CliAction::Summary || o.action == CliAction::Diff) && o.traceId.empty()) {
        r.error = "--summary and --diff need --trace-id";
    } else if ((o.action == CliAction::Timeline || o.action == CliAction::Summary || o.action == CliAction::Diff) &&
               o.auditFiles.size() > 1) {
        r.error = "trace views take one --audit-file";
    } else if (o.action != CliAction::List && (o.decision || o.tool || o.trust)) {
        r.error = "--decision, --tool and --trust go with --list";
    }
    return r;
}

} // namespace rw
