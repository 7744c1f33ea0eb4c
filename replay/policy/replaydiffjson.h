#pragma once

#include "replay/policy/reevaluation.h"

#include <nlohmann/json.hpp>

#include <string>

namespace rw {

// The re-evaluation of one audit file.
struct FileDiff
{
    const ReplayModel* model = nullptr;
    ReplayDiffResult result;
};

// Summaries of several files added up; a rule "never fired" when it fired in none.
ReplayDiffSummary mergeSummaries(const std::vector<FileDiff>& files);

struct ReplayDiffContext
{
    const PolicyEngine* after = nullptr;
    const PolicyEngine* baseline = nullptr;
    std::optional<std::string> traceId;
    std::string generator; // "aisecops-replay 0.1.0"
};

// Our replay-diff.json (docs/replay-diff.md, docs/replay-diff.schema.json).
// Records the audit file's and both bundles' SHA-256 so the result can be
// reproduced; reuses upstream's mismatch object shape.
nlohmann::ordered_json replayDiffJson(const ReplayDiffContext& context, const std::vector<FileDiff>& files);

// The decisions under one bundle, one object per decision point (`--policy` alone).
nlohmann::ordered_json decisionsJson(const ReplayDiffContext& context, const std::vector<FileDiff>& files);

} // namespace rw
