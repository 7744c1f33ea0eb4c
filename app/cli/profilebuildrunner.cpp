#include "app/cli/profilebuildrunner.h"

#include "app/cli/analyzerunner.h"
#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/text/terminaltext.h"
#include "model/replaymodel.h"
#include "replay/analysis/batchfiles.h"
#include "replay/analysis/profilebuilder.h"

#include <nlohmann/json.hpp>

namespace rw {

namespace {

constexpr int kExitConfig = 2;

} // namespace

int runBuildProfile(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    // the tools, permissions and destinations of each run; no detector needs to run
    const auto rules = loadAnalysisRules(o, err, [](analysis::AnalysisConfig& c) {
        c.recordSequences = true;
        c.detectors = 0;
    });
    if (!rules) {
        err << "Error: the analysis configuration is not valid\n";
        return kExitConfig;
    }
    const analysis::BatchFiles found = analysis::collectBatchFiles(o.buildProfile, o.batchGlob);
    for (const analysis::BatchProblem& p : found.problems)
        if (!o.quiet)
            err << "Warning: " << terminalText(p.path) << ": skipped (" << terminalText(p.detail) << ")\n";
    CliOptions withInputs = o;
    withInputs.auditFiles.insert(withInputs.auditFiles.end(), found.files.begin(), found.files.end());
    // nor on a configuration file the call read (a sequence profile analysis.yaml names, say)
    const analysis::AnalysisConfig& read = rules->config();
    for (const std::string* p : {&read.profile.source.path, &read.exfil.source.path})
        if (!p->empty())
            withInputs.auditFiles.push_back(*p);
    for (const analysis::BehaviourPolicy& p : read.policies)
        withInputs.auditFiles.push_back(p.source.path);
    for (const auto& [named, profile] : read.sequenceProfiles)
        withInputs.auditFiles.push_back(profile.source.path);
    const std::optional<OutputTarget> target = chooseCliOutput(withInputs, o.output, OutputKind::Ordinary, err);
    if (!target)
        return 2;

    analysis::SequenceProfileBuilder builder(o.agent.empty() ? std::string("*") : o.agent);
    int status = 0;
    for (const std::string& path : found.files) {
        const std::unique_ptr<ReplayModel> model = loadAuditForCli(path, o, err);
        if (!model) {
            status = 1; // named on stderr; the profile is still built from the rest
            continue;
        }
        const std::string sha = model->sha256();
        builder.addInput(path, sha);
        for (const analysis::RunAnalysis& run : analysis::analyzeModel(*model, *rules, sha))
            builder.add(run);
    }
    if (builder.runs() == 0) {
        err << "Error: no run" << (o.agent.empty() ? "" : " of an agent matching '" + terminalText(o.agent) + "'")
            << " in " << found.files.size() << " file(s): nothing to build a profile from\n";
        return 1;
    }
    nlohmann::ordered_json profile = builder.json();
    if (o.agent.empty()) {
        if (builder.agents().size() > 1) {
            err << "Error: the runs are of " << builder.agents().size() << " agents (";
            std::size_t shown = 0;
            for (const auto& [agent, runs] : builder.agents()) {
                if (shown++ == 5) {
                    err << ", ...";
                    break;
                }
                err << (shown > 1 ? ", " : "") << terminalText(agent) << ": " << runs;
            }
            err << "); give --agent GLOB, e.g. --agent 'prod-triage-*'\n";
            return 2;
        }
        profile["agent"] = builder.agents().begin()->first;
    }
    if (!writeCliOutput(*target, profile.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n',
                        err))
        return 1;
    const auto& from = profile["built_from"];
    out << "Profile of " << terminalText(profile["agent"].get<std::string>()) << ": " << builder.runs() << " run"
        << (builder.runs() == 1 ? "" : "s") << " from " << found.files.size() << " file"
        << (found.files.size() == 1 ? "" : "s");
    if (from.contains("first"))
        out << ", " << terminalText(from["first"].get<std::string>()) << " to " << terminalText(from["last"].get<std::string>());
    out << '\n'
        << profile["tools"].size() << " tools, " << profile["transitions"].size() << " transitions, "
        << profile["permissions"].size() << " permissions\n";
    const std::int64_t needed = rules->config().profile.sequences.minBaselineRuns;
    if (builder.runs() < needed)
        err << "Warning: built from " << builder.runs() << " runs; unusual_tool_sequence only judges against a profile "
            << "of at least min_baseline_runs (" << needed << ") runs and notes the shortfall otherwise\n";
    out << "Profile written to: " << terminalText(o.output) << '\n';
    return status;
}

} // namespace rw
