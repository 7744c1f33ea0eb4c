#include "app/cli/analyzeoptions.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

namespace rw {

namespace {

std::optional<std::string> firstOutside(const std::vector<std::string>& given,
                                        std::initializer_list<const char*> allowed)
{
    for (const std::string& g : given)
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* x) { return g == x; }))
            return g;
    return std::nullopt;
}

} // namespace

bool hasAnalysisOptions(const CliOptions& o)
{
    return !o.profile.empty() || !o.behaviour.empty() || !o.exfil.empty() || !o.sequenceProfiles.empty() ||
           o.failOn != FailOn::Never || !o.policyVersion.empty() || !o.batch.empty() || !o.window.empty() || !o.jsonl.empty() ||
           !o.minEscalatedRuns.empty() || !o.minEscalatedShare.empty() || !o.index.empty() || o.part ||
           o.walkOnly || !o.controls.empty() || o.metrics || o.csv || !o.baselineProfile.empty() || !o.baselineBehaviour.empty() || !o.baselineExfil.empty();
}

std::string analysisOptionsError(const CliOptions& o, const std::vector<std::string>& given)
{
    if (o.action == CliAction::Watch) {
        if (const auto bad = firstOutside(given, {"--watch", "--agent", "--format", "--profile", "--behaviour", "--behavior",
                                                  "--exfil", "--sequence-profile", "--policy-version", "--save-partial",
                                                  "--glob", "--poll-interval", "--rotate-wait", "--from-start", "--quiet", "--alerts",
                                                  "--policy", "--capabilities"}))
            return "--watch does not take " + *bad;
        if (!o.capabilities.empty() && o.policy.empty())
            return "--capabilities goes with --policy";
        return {};
    }
    if (o.action == CliAction::CheckProfile) {
        if (const auto bad = firstOutside(given, {"--check-profile", "--behaviour", "--behavior", "--exfil",
                                                  "--sequence-profile", "--quiet"}))
            return "--check-profile does not take " + *bad;
        return {};
    }
    if (o.action == CliAction::BuildProfile) {
        if (const auto bad = firstOutside(given, {"--build-profile", "--output", "--agent", "--glob", "--profile",
                                                  "--quiet", "--threads"}))
            return "--build-profile does not take " + *bad;
        if (o.output.empty())
            return "--build-profile needs --output profiles/NAME.json";
        return {};
    }
    if (!o.agent.empty())
        return "--agent goes with --build-profile and --watch";
    if (o.action == CliAction::MergeReports) {
        // the analysis configuration only to analyse whole the runs split across files
        if (const auto bad = firstOutside(given, {"--merge-reports", "--output", "--jsonl", "--index", "--controls", "--metrics", "--csv", "--window",
                                                  "--min-escalated-runs", "--min-escalated-share", "--fail-on",
                                                  "--quiet", "--threads", "--profile", "--behaviour", "--behavior", "--exfil",
                                                  "--sequence-profile", "--policy-version"}))
            return "--merge-reports does not take " + *bad;
        if (o.output.empty())
            return "--merge-reports needs --output report.json";
        if (o.csv && !o.metrics)
            return "--csv goes with --metrics";
        return {};
    }
    const bool baselineGiven = !o.baselineProfile.empty() || !o.baselineBehaviour.empty() || !o.baselineExfil.empty();
    if (o.action == CliAction::Analyze && o.analysisDiff) {
        if (const auto bad = firstOutside(given, {"--analyze", "--diff", "--audit-file", "--audit-log", "--batch", "--glob",
                                                  "--profile", "--behaviour", "--behavior", "--exfil", "--sequence-profile",
                                                  "--policy-version", "--baseline-profile", "--baseline-behaviour",
                                                  "--baseline-behavior", "--baseline-exfil", "--output", "--fail-on-change",
                                                  "--trace-id", "--quiet", "--threads"}))
            return "--analyze --diff does not take " + *bad;
        if (!baselineGiven)
            return "--analyze --diff needs configuration A: --baseline-profile, --baseline-behaviour or --baseline-exfil";
        if (o.auditFiles.empty() && o.batch.empty())
            return "--analyze --diff needs --audit-file (or --batch DIR)";
        return {};
    }
    if (baselineGiven)
        return "--baseline-profile, --baseline-behaviour and --baseline-exfil go with --analyze --diff";
    if (o.action != CliAction::Analyze)
        return "--profile, --behaviour, --exfil, --sequence-profile and --fail-on go with --analyze (all but "
               "--fail-on "
               "also with --check-profile)";
    if (const auto bad = firstOutside(given, {"--analyze", "--audit-file", "--audit-log", "--profile",
                                              "--behaviour", "--behavior", "--exfil", "--sequence-profile",
                                              "--trace-id", "--json", "--fail-on", "--quiet", "--threads",
                                              "--policy-version", "--batch", "--glob", "--output", "--window", "--jsonl",
                                              "--index", "--controls", "--metrics", "--csv", "--part", "--walk-only", "--min-escalated-runs", "--min-escalated-share"}))
        return "--analyze does not take " + *bad;
    if (!o.batch.empty()) {
        if (o.output.empty())
            return "--batch needs --output report.json";
        if (o.json || !o.traceId.empty())
            return "--batch writes its report to --output; --json and --trace-id are for single files";
        if (o.csv && !o.metrics)
            return "--csv goes with --metrics";
        if (o.part && (!o.jsonl.empty() || !o.index.empty() || !o.controls.empty() || o.metrics || !o.window.empty() || !o.minEscalatedRuns.empty() ||
                       !o.minEscalatedShare.empty() || o.failOn != FailOn::Never))
            return "--part writes the map step only: --jsonl, --index, --controls, --metrics, --window, --min-escalated-* and --fail-on go "
                   "with --merge-reports";
        if (o.walkOnly && !o.part)
            return "--walk-only goes with --part";
        return {};
    }
    if (o.csv && !o.metrics)
        return "--csv goes with --metrics (and --batch)";
    if (!o.output.empty() || o.batchGlob != "*.json*" || !o.window.empty() || !o.jsonl.empty() || !o.minEscalatedRuns.empty() ||
        !o.minEscalatedShare.empty() || !o.index.empty() || o.part || o.walkOnly || !o.controls.empty() || o.metrics || o.csv)
        return "--output, --jsonl, --index, --controls, --metrics, --part, --walk-only, --glob, --window and --min-escalated-* go with --batch";
    if (o.auditFiles.empty())
        return "--analyze needs --audit-file (or --batch DIR)";
    return {};
}

} // namespace rw
