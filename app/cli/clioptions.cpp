#include "app/cli/clioptions.h"

#include "app/cli/analyzeoptions.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace rw {

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
            a == "--analyze" || a == "--check-profile" || a == "--merge-reports" || a == "--build-profile" || a == "--watch" ||
            a == "--check-alerts")
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
                                     : a == "--check-alerts"  ? "--alerts"
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
        } else if (a == "--with-analysis") {
            o.withAnalysis = true;
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
        } else if (a == "--watch") {
            if (value(o.watch))
                o.action = CliAction::Watch;
        } else if (a == "--format") {
            if (value(v)) {
                o.watchFormat = v;
                if (v != "compact" && v != "full" && v != "json")
                    r.error = "--format takes compact, full or json, got '" + v + "'";
            }
        } else if (a == "--save-partial") {
            value(o.savePartial);
        } else if (a == "--alerts") {
            value(o.alerts);
        } else if (a == "--check-alerts") {
            if (value(o.alerts))
                o.action = CliAction::CheckAlerts;
        } else if (a == "--from-start") {
            o.fromStart = true;
        } else if (a == "--poll-interval") {
            if (value(v)) {
                unsigned n = 0;
                const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
                if (ec != std::errc() || ptr != v.data() + v.size() || n < 10 || n > 60000)
                    r.error = "--poll-interval takes milliseconds from 10 to 60000, got '" + v + "'";
                else
                    o.pollMs = n;
            }
        } else if (a == "--rotate-wait") {
            if (value(v)) {
                unsigned n = 0;
                const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
                if (ec != std::errc() || ptr != v.data() + v.size() || n > 3600)
                    r.error = "--rotate-wait takes seconds from 0 to 3600, got '" + v + "'";
                else
                    o.rotateWaitS = n;
            }
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
    if (o.withAnalysis && o.action != CliAction::Evidence) {
        r.error = "--with-analysis goes with --evidence";
        return r;
    }
    if (o.action == CliAction::Evidence && o.withAnalysis) {
        // the analysis configuration goes with it; nothing else of --analyze does
        CliOptions rest = o;
        rest.profile.clear();
        rest.behaviour.clear();
        rest.exfil.clear();
        rest.sequenceProfiles.clear();
        rest.policyVersion.clear();
        if (hasAnalysisOptions(rest) || !o.agent.empty()) {
            r.error = "--evidence --with-analysis takes the analysis configuration (--profile, --behaviour, --exfil, "
                      "--sequence-profile, --policy-version) and nothing else of --analyze";
            return r;
        }
    } else if (o.action == CliAction::Watch || o.action == CliAction::CheckProfile || o.action == CliAction::Analyze || o.action == CliAction::MergeReports ||
        o.action == CliAction::BuildProfile || hasAnalysisOptions(o) || !o.agent.empty()) {
        r.error = analysisOptionsError(o, given);
        return r;
    }
    if (o.action == CliAction::CheckPolicy) {
        only({"--check-policy", "--capabilities", "--quiet"}, "--check-policy");
        return r;
    }
    if (o.action == CliAction::CheckAlerts) {
        only({"--check-alerts", "--quiet"}, "--check-alerts");
        return r;
    }
    if (!o.alerts.empty()) {
        r.error = "--alerts goes with --watch (or check the file with --check-alerts)";
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
