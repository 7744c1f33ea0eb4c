#include "app/cli/securightoptions.h"

#include <algorithm>

namespace rw {

std::string securightUsage()
{
    return R"(Usage: securight trace analyze FILE [options]

Analyses a finished AI-agent run trace: the permissions it used against the agent's baseline, escalations,
retries, tool sequences, exfiltration patterns and behavioural policies (Replay Workbench's run-trace
analysis; aisecops-replay --analyze does the same).

Commands:
  trace analyze FILE    print the analysis of every run in FILE (a run trace, or an interceptor audit log)
  trace analyze DIR --batch --output report.json
                        analyse every trace file under a folder (recursively): counts of runs by
                        their worst severity, and the report (--glob PATTERN: which file names;
                        --jsonl R.jsonl, --index I.jsonl, --controls C.yaml, --metrics [--csv],
                        --window FROM..TO, --min-escalated-runs N, --min-escalated-share X: as
                        aisecops-replay --analyze --batch)
  trace watch [SOURCE]  follow a running agent live: each step printed as it arrives, anomalies found as
                        the step that shows them is read. SOURCE: a run stream or audit log by name
                        (followed through rotation), a folder (its newest *.json* file), or - for standard
                        input (the default when input is a pipe). --agent PREFIX: only these agents;
                        --format compact|full|json; --from-start: also what SOURCE holds already;
                        --save-partial DIR: where Ctrl+C saves the runs still open (default
                        $XDG_DATA_HOME/replay-workbench/traces); --poll-interval MS (default 1000);
                        --rotate-wait S: read a file rotated away until it is S seconds still (default 5);
                        --alerts alerts.yaml: send each anomaly printed to its channels (webhook, slack,
                        pagerduty, file, command); --policy B.yaml [--capabilities C.yaml]: mark each
                        decision bundle B decides otherwise, and count them; and the analysis options
                        below. As aisecops-replay --watch

Options of trace analyze (and of trace watch, but for --json, --fail-on and --batch):
  --profile P.yaml      the analysis profile (baseline grants, approved tools, action types, trusted networks).
                        Without it securight looks for analysis.yaml next to FILE, then analysis/analysis.yaml
                        next to FILE, then $XDG_CONFIG_HOME/replay-workbench/analysis.yaml (default
                        ~/.config/replay-workbench/analysis.yaml); with a profile found there it also reads the
                        behaviour/ folder and exfiltration.yaml beside it. Without any, the baseline is
                        inferred from the trace
  --behaviour F|DIR     a behavioural policy, or every *.yaml of a folder (repeatable)
  --exfil R.yaml        the exfiltration rules (default: the built-in ones)
  --sequence-profile F  a tool-sequence profile (repeatable)
  --json                the analysis as one JSON document (as aisecops-replay --analyze --json)
  --fail-on warn|critical  exit 5 when an anomaly reaches this severity (a CI gate)
  --quiet               print neither load warnings nor which profile was used
  --help                show this help
  --version             show the version

Exit codes: 0 success (trace watch: stopped by Ctrl+C or the end of its input), 1 the trace cannot be read
(or a partial trace not written), 2 usage error or an unreadable or invalid analysis configuration,
5 with --fail-on when an anomaly reaches the level.
)";
}

namespace {

bool takesValue(const std::string& option)
{
    return option == "--profile" || option == "--behaviour" || option == "--behavior" ||
           option == "--exfil" || option == "--sequence-profile" || option == "--fail-on" || option == "--output" ||
           option == "--glob" || option == "--jsonl" || option == "--index" || option == "--controls" ||
           option == "--window" || option == "--min-escalated-runs" || option == "--min-escalated-share" ||
           option == "--agent" || option == "--format" || option == "--save-partial" || option == "--poll-interval" ||
           option == "--rotate-wait" || option == "--alerts" || option == "--policy" || option == "--capabilities" ||
           option == "--policy-version";
}

SecurightParse failure(SecurightCommand command, std::string message)
{
    SecurightParse p;
    p.command = command;
    p.message = std::move(message);
    return p;
}

// trace watch [SOURCE] [options]: as aisecops-replay --watch SOURCE [options]
SecurightParse parseWatch(const std::vector<std::string>& args)
{
    std::vector<std::string> translated;
    std::vector<std::string> sources;
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--quiet" || a == "--from-start") {
            translated.push_back(a);
        } else if (takesValue(a)) {
            if (i + 1 >= args.size())
                return failure(SecurightCommand::UsageError, "option " + a + " needs a value");
            translated.push_back(a);
            translated.push_back(args[++i]);
        } else if (a != "-" && !a.empty() && a[0] == '-') {
            return failure(SecurightCommand::UsageError, "unknown option '" + a + "'");
        } else {
            sources.push_back(a);
        }
    }
    if (sources.size() > 1)
        return failure(SecurightCommand::UsageError, "trace watch follows one SOURCE (a file, a folder or -)");
    translated.insert(translated.begin(), {"--watch", sources.empty() ? std::string("-") : sources.front()});
    CliParse parsed = parseCli(translated);
    if (!parsed.error.empty())
        return failure(SecurightCommand::UsageError, parsed.error);
    SecurightParse p;
    p.command = SecurightCommand::Watch;
    p.options = std::move(parsed.options);
    p.discover = p.options.profile.empty(); // beside the file (for standard input: here), then the user's
    p.sourceGiven = !sources.empty();
    return p;
}

} // namespace

SecurightParse parseSecuright(const std::vector<std::string>& args)
{
    const auto has = [&](const char* option) {
        return std::find(args.begin(), args.end(), option) != args.end();
    };
    if (has("--help") || has("-h"))
        return failure(SecurightCommand::Help, {});
    if (has("--version"))
        return failure(SecurightCommand::Version, {});
    if (args.empty())
        return failure(SecurightCommand::UsageError, "no command given");
    if (args[0] != "trace")
        return failure(SecurightCommand::UsageError, "unknown command '" + args[0] + "'");
    if (args.size() < 2)
        return failure(SecurightCommand::UsageError, "trace needs a command: analyze or watch");
    if (args[1] == "watch")
        return parseWatch(args);
    if (args[1] != "analyze")
        return failure(SecurightCommand::UsageError, "unknown command 'trace " + args[1] + "'");
    const bool batch = has("--batch");

    // as aisecops-replay's arguments, so that one parser checks them
    std::vector<std::string> translated{"--analyze"};
    std::vector<std::string> files;
    for (std::size_t i = 2; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json" || a == "--quiet" || a == "--metrics" || a == "--csv") {
            translated.push_back(a);
        } else if (a == "--batch") {
            continue; // the seed's flag: the FILE is a folder
        } else if (takesValue(a)) {
            if (i + 1 >= args.size())
                return failure(SecurightCommand::UsageError, "option " + a + " needs a value");
            translated.push_back(a);
            translated.push_back(args[++i]);
        } else if (!a.empty() && a[0] == '-') {
            return failure(SecurightCommand::UsageError, "unknown option '" + a + "'");
        } else {
            files.push_back(a);
        }
    }
    if (files.empty())
        return failure(SecurightCommand::UsageError, "trace analyze needs a trace FILE");
    if (files.size() > 1)
        return failure(SecurightCommand::UsageError,
                       batch ? "trace analyze --batch takes one folder" : "trace analyze takes one FILE (a folder with --batch)");
    translated.push_back(batch ? "--batch" : "--audit-file");
    translated.push_back(files.front());
    CliParse parsed = parseCli(translated);
    if (!parsed.error.empty())
        return failure(SecurightCommand::UsageError, parsed.error);
    SecurightParse p;
    p.command = SecurightCommand::Analyze;
    p.options = std::move(parsed.options);
    p.discover = p.options.profile.empty();
    return p;
}

} // namespace rw
