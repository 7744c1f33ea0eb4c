#pragma once

#include "model/outputfile.h"
#include "model/rowanomalies.h"
#include "model/workspace.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/policy/policyengine.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rw {

// How the traces of an export are chosen.
enum class TraceSelection : std::uint8_t {
    Rows,    // the workspace rows given (the window: the selected trace, or those the filter shows)
    TraceId, // the one trace with this id (--trace-id)
    Filter,  // every trace the filter matches (--filter, or all traces when it is empty)
};

// What the person exporting chose, before anything is read: the one input of
// the evidence recipe for the CLI and the window alike.
struct EvidenceChoice
{
    TraceSelection selection = TraceSelection::Rows;
    std::vector<std::uint32_t> rows; // Rows
    std::string traceId;             // TraceId; the replay diff names it
    std::string filter;              // Filter; with Rows, the filter that showed them (recorded as typed)
    // the run-trace analysis of each workspace row, for a filter's anomalies / worst terms (empty: none)
    std::vector<RowAnomalies> anomalies;
    std::string examiner;
    std::string caseId;
    std::string notes;
    std::string signKeyPath;                    // empty: the bundle is not signed
    std::shared_ptr<const PolicyEngine> engine; // set: its bundles and the replay diff of exactly the exported traces
    std::string tool = "aisecops-replay";
    bool graphSvg = true;
    std::function<std::string(const std::string& html)> renderPdf; // empty: no report.pdf
    // The run-trace analysis of the exported traces (analysis/ members), when
    // set: called last, in the export's task, with the request whose traces
    // are chosen; returns why it could not be added, in words, or empty (the
    // analysis documents live above replay/: app/text/evidenceanalysis.h).
    std::function<std::string(EvidenceRequest& request, const Workspace& ws, const std::atomic<bool>* cancel)> addAnalysis;
};

// A request being assembled, or the first reason it cannot be.
struct EvidencePlan
{
    EvidenceRequest request;
    EvidencePlanFailure failure;

    bool ok() const { return failure.error == EvidencePlanError::None; }
};

// The recipe in its four steps, for a caller that loads between them (the
// CLI reads the key before the audit files, so a wrong key fails at once, and
// the traces before the policy). Each step does nothing once the plan failed.
//
// 1. The request's fields, and the signing key read and checked (SigningKey).
EvidencePlan beginEvidencePlan(const EvidenceChoice& choice);
// 2. The traces, against the loaded workspace (UnknownTrace, BadFilter, NoTraces, NoTraceMatches).
bool selectEvidenceTraces(EvidencePlan& plan, const EvidenceChoice& choice, const Workspace& ws);
// 3. With choice.engine: the bundles it was built from, as they were loaded
//    (PolicyUnreadable, PolicyChanged), and the replay diff of exactly the
//    selected traces. Without it, nothing.
bool addEvidencePolicy(EvidencePlan& plan, const EvidenceChoice& choice, const Workspace& ws);
// 4. With choice.addAnalysis: the analysis members (Analysis when they cannot be made).
//    `cancel` (the export's task) stops the analysis.
bool addEvidenceAnalysisMembers(EvidencePlan& plan, const EvidenceChoice& choice, const Workspace& ws,
                                const std::atomic<bool>* cancel = nullptr);
// All four.
EvidencePlan planEvidence(const EvidenceChoice& choice, const Workspace& ws, const std::atomic<bool>* cancel = nullptr);

// The replay-diff.json a bundle carries: `rows` re-evaluated under `engine`,
// by audit file, as `tool` made it; `traceId` when one trace was asked for by id.
std::string evidenceReplayDiff(const Workspace& ws, const std::vector<std::uint32_t>& rows, const PolicyEngine& engine,
                               const std::string& tool, const std::optional<std::string>& traceId = std::nullopt);

// What a bundle may not be written over: the open audit files, the policy and
// capability bundles in use, and the signing key.
OutputRules evidenceOutputRules(const Workspace& ws, const PolicyEngine* engine, const std::string& signKeyPath);

} // namespace rw
