#include "replay/evidence/evidenceplan.h"

#include "model/tracequery.h"
#include "replay/policy/replaydiffjson.h"
#include "replay/policy/workspacereevaluation.h"

#include <algorithm>

namespace rw {

namespace {

bool fail(EvidencePlan& plan, EvidencePlanError error, std::string path = {}, std::string detail = {})
{
    plan.failure.error = error;
    plan.failure.path = std::move(path);
    plan.failure.detail = std::move(detail);
    return false;
}

} // namespace

EvidencePlan beginEvidencePlan(const EvidenceChoice& choice)
{
    EvidencePlan plan;
    EvidenceRequest& req = plan.request;
    req.tool = choice.tool;
    req.examiner = choice.examiner;
    req.caseId = choice.caseId;
    req.notes = choice.notes;
    req.filter = choice.filter;
    req.graphSvg = choice.graphSvg;
    req.renderPdf = choice.renderPdf;
    if (!choice.signKeyPath.empty()) {
        std::string why;
        req.signKey = readSecretKeyFile(choice.signKeyPath, &why);
        if (!req.signKey)
            fail(plan, EvidencePlanError::SigningKey, choice.signKeyPath, std::move(why));
    }
    return plan;
}

bool selectEvidenceTraces(EvidencePlan& plan, const EvidenceChoice& choice, const Workspace& ws)
{
    if (!plan.ok())
        return false;
    plan.request.ws = &ws;
    std::vector<std::uint32_t>& rows = plan.request.rows;
    switch (choice.selection) {
    case TraceSelection::Rows:
        // a row past this workspace (one kept from the files open before) exports nothing rather than part
        if (choice.rows.empty() || std::any_of(choice.rows.begin(), choice.rows.end(), [&](std::uint32_t r) { return r >= ws.rows().size(); }))
            return fail(plan, EvidencePlanError::NoTraces);
        rows = choice.rows;
        return true;
    case TraceSelection::TraceId: {
        const std::int64_t row = ws.findRow(choice.traceId);
        if (row < 0)
            return fail(plan, EvidencePlanError::UnknownTrace, {}, choice.traceId);
        rows = {static_cast<std::uint32_t>(row)};
        return true;
    }
    case TraceSelection::Filter: {
        const TraceQuery query = TraceQuery::parse(choice.filter, &plan.failure.query);
        if (plan.failure.query.code != QueryErrorCode::None)
            return fail(plan, EvidencePlanError::BadFilter);
        rows = query.filter(ws, nullptr, choice.anomalies);
        if (rows.empty())
            return fail(plan, EvidencePlanError::NoTraceMatches);
        return true;
    }
    }
    return fail(plan, EvidencePlanError::NoTraces);
}

bool addEvidencePolicy(EvidencePlan& plan, const EvidenceChoice& choice, const Workspace& ws)
{
    if (!plan.ok())
        return false;
    if (!choice.engine)
        return true;
    // the bundles first: one edited since it was loaded must not be re-evaluated as if it had been
    plan.failure = addEvidencePolicyFiles(plan.request, *choice.engine);
    if (!plan.ok())
        return false;
    plan.request.replayDiffJson =
        evidenceReplayDiff(ws, plan.request.rows, *choice.engine, choice.tool,
                           choice.selection == TraceSelection::TraceId ? std::optional<std::string>(choice.traceId) : std::nullopt);
    return true;
}

bool addEvidenceAnalysisMembers(EvidencePlan& plan, const EvidenceChoice& choice, const Workspace& ws,
                                const std::atomic<bool>* cancel)
{
    if (!plan.ok())
        return false;
    if (!choice.addAnalysis)
        return true;
    if (std::string why = choice.addAnalysis(plan.request, ws, cancel); !why.empty()) {
        plan.failure.error = EvidencePlanError::Analysis;
        plan.failure.detail = std::move(why);
        return false;
    }
    return true;
}

EvidencePlan planEvidence(const EvidenceChoice& choice, const Workspace& ws, const std::atomic<bool>* cancel)
{
    EvidencePlan plan = beginEvidencePlan(choice);
    selectEvidenceTraces(plan, choice, ws);
    addEvidencePolicy(plan, choice, ws);
    addEvidenceAnalysisMembers(plan, choice, ws, cancel);
    return plan;
}

std::string evidenceReplayDiff(const Workspace& ws, const std::vector<std::uint32_t>& rows, const PolicyEngine& engine,
                               const std::string& tool, const std::optional<std::string>& traceId)
{
    ReplayDiffContext context;
    context.after = &engine;
    context.traceId = traceId;
    context.generator = tool + " " + RW_VERSION;
    return replayDiffJson(context, reevaluateRowsByFile(ws, rows, engine)).dump(2) + "\n";
}

OutputRules evidenceOutputRules(const Workspace& ws, const PolicyEngine* engine, const std::string& signKeyPath)
{
    OutputRules rules;
    for (std::size_t f = 0; f < ws.fileCount(); ++f)
        rules.inputs.push_back(ws.file(f).path());
    if (engine) {
        rules.inputs.push_back(engine->policy().path);
        if (engine->capabilities())
            rules.inputs.push_back(engine->capabilities()->path);
    }
    if (!signKeyPath.empty())
        rules.keys.push_back(signKeyPath);
    return rules;
}

} // namespace rw
