// The help of aisecops-replay (the golden tests/golden/help.txt holds it; a
// usage error only points here), apart from the parser it describes.
#include "app/cli/clioptions.h"

#include <string>

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
    --with-analysis     include the run-trace analysis of the exported traces (analysis/report.json, with
                        --profile, --behaviour, --exfil, --sequence-profile as for --analyze) and the exact
                        bytes of those files; --verify re-checks every anomaly's witness in the exported lines
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
                        --batch writes. A run found in several files (a log rotated mid-trace) is analysed
                        whole from their bytes, with the parts' configuration: give the merge the same
                        --profile, --behaviour, --exfil, --sequence-profile and --policy-version (and
                        --threads for reading those files again)
  --build-profile DIR...  a tool-sequence profile of the runs under DIR (tool counts, first tools,
                        transitions, permissions, destination classes) to --output profiles/NAME.json,
                        for --sequence-profile; --agent GLOB chooses the runs (needed when several agents)
  --check-profile P.yaml  validate an analysis profile (and --behaviour, --exfil, --sequence-profile);
                        prints file:line:column: error|warning: ...
  --watch FILE|DIR|-    follow a growing run stream or audit log (through rotation and truncation), a
                        folder's newest file, or standard input / a FIFO, and analyse each step as it
                        arrives, until Ctrl+C (or the end of a stream). Only new lines are printed unless
                        --from-start. With --agent PREFIX, --format compact|full|json (compact: the seed's
                        "14:22:14 [step 2] restart_service service.restart OK service:restart [ESCALATED]";
                        full adds reasoning and anomalies; json one object per step, anomaly and source
                        event), --glob PATTERN (a folder's files), --poll-interval MS (the backstop poll,
                        default 1000), --rotate-wait S (a file rotated away is still read until it has
                        not grown for S seconds, for a writer that reopens late; default 5),
                        --save-partial DIR (where the runs still open at Ctrl+C are saved as
                        RUN-partial.json; default $XDG_DATA_HOME/replay-workbench/traces) and the analysis
                        configuration (--profile, --behaviour, --exfil, --sequence-profile, --policy-version).
                        --alerts alerts.yaml sends each anomaly printed to the channels it names (webhook,
                        slack, pagerduty, file, command), spooled on disk until a channel takes it;
                        --policy B.yaml [--capabilities C.yaml] evaluates each decision under bundle B as
                        it arrives, marks the lines B decides otherwise ("[B: BLOCKED]") and counts them
  --check-alerts A.yaml validate an alerts file and list its channels (secrets shown as env:NAME)

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
written ("Error: ..." on stderr, stdout included), or an alert spool that
cannot be used, 2 usage error, a refused output path, an unreadable or
invalid analysis configuration or alerts file, or an alert channel that would
write what --watch follows, 3 with
--fail-on-change when a decision changed, 4 when --verify finds a failed item,
5 with --fail-on when an anomaly reaches the level.
)";
}

} // namespace rw
