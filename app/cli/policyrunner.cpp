#include "app/cli/policyrunner.h"

#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/text/diagnostictext.h"
#include "app/text/replaydifftext.h"
#include "app/text/terminaltext.h"
#include "model/auditloader.h"
#include "model/upstreamjson.h"


namespace rw {

bool loadBundles(const std::string& policyPath, const std::string& capabilitiesPath, LoadedBundles& out, std::ostream& err)
{
    std::vector<BundleDiagnostic> diagnostics;
    out.policy = loadPolicyBundle(policyPath, diagnostics);
    if (!capabilitiesPath.empty())
        out.capabilities = loadCapabilityBundle(capabilitiesPath, diagnostics);
    for (const BundleDiagnostic& d : diagnostics)
        err << bundleDiagnosticLine(d) << '\n';
    return !hasErrors(diagnostics) && out.policy && (capabilitiesPath.empty() || out.capabilities);
}

int runPolicyCommand(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    if (o.action == CliAction::CheckPolicy) {
        LoadedBundles bundles;
        const bool ok = loadBundles(o.policy, o.capabilities, bundles, out);
        if (ok)
            out << terminalText(o.policy) << ": ok (" << bundles.policy->rules.size() << " rules, sha256 " << bundles.policy->sha256
                << ")\n";
        return ok ? 0 : 1;
    }

    std::optional<OutputTarget> output;
    if (!o.output.empty() && !(output = chooseCliOutput(o, o.output, OutputKind::Ordinary, err)))
        return 2;
    LoadedBundles after, before;
    if (!loadBundles(o.policy, o.capabilities, after, err)) {
        err << "Error: the policy bundle " << terminalText(o.policy) << " is not valid\n";
        return 1;
    }
    if (!o.baseline.empty() &&
        !loadBundles(o.baseline, o.baselineCapabilities.empty() ? o.capabilities : o.baselineCapabilities, before, err)) {
        err << "Error: the baseline bundle " << terminalText(o.baseline) << " is not valid\n";
        return 1;
    }
    const PolicyEngine afterEngine(*after.policy, after.capabilities ? &*after.capabilities : nullptr);
    std::optional<PolicyEngine> baselineEngine;
    if (before.policy)
        baselineEngine.emplace(*before.policy, before.capabilities ? &*before.capabilities : nullptr);

    // one or several files, each re-evaluated on its own; the output merges them
    std::vector<std::unique_ptr<ReplayModel>> models;
    std::vector<FileDiff> files;
    bool traceFound = o.traceId.empty();
    for (const std::string& path : o.auditFiles) {
        std::unique_ptr<ReplayModel> loaded = loadAuditForCli(path, o, err);
        if (!loaded)
            return 1;
        const ReplayModel& model = *loaded;
        std::optional<std::size_t> trace;
        if (!o.traceId.empty()) {
            trace = model.findTrace(o.traceId);
            if (!trace)
                continue; // another file may hold it
            traceFound = true;
        }
        files.push_back({&model, reevaluate(model, trace, afterEngine, baselineEngine ? &*baselineEngine : nullptr)});
        models.push_back(std::move(loaded));
    }
    if (!traceFound) {
        err << "Error: No audit events found for trace_id '" << terminalText(o.traceId) << "'\n";
        return 1;
    }

    ReplayDiffContext context;
    context.after = &afterEngine;
    context.baseline = baselineEngine ? &*baselineEngine : nullptr;
    if (!o.traceId.empty())
        context.traceId = o.traceId;
    context.generator = std::string("aisecops-replay ") + RW_VERSION;
    const bool diff = o.action == CliAction::PolicyDiff;
    const upstream::Json json = diff ? replayDiffJson(context, files) : decisionsJson(context, files);
    if (o.json)
        out << upstream::dump(json);
    else
        out << (diff ? replayDiffText(context, files) : policyDecisionsText(context, files));
    if (output && !writeCliOutput(*output, upstream::dump(json), err))
        return 1;
    return o.failOnChange && mergeSummaries(files).changed > 0 ? 3 : 0;
}

} // namespace rw
