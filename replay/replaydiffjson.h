#pragma once

#include "reevaluation.h"

#include <nlohmann/json.hpp>

#include <string>

namespace rw {

struct ReplayDiffContext
{
    const ReplayModel* model = nullptr;
    const PolicyEngine* after = nullptr;
    const PolicyEngine* baseline = nullptr;
    std::optional<std::string> traceId;
    std::string generator; // "aisecops-replay 0.1.0"
};

// Our replay-diff.json (docs/replay-diff.md, docs/replay-diff.schema.json).
// Records the audit file's and both bundles' SHA-256 so the result can be
// reproduced; reuses upstream's mismatch object shape.
nlohmann::ordered_json replayDiffJson(const ReplayDiffContext& context, const ReplayDiffResult& result);

// The decisions under one bundle, one object per decision point (`--policy` alone).
nlohmann::ordered_json decisionsJson(const ReplayDiffContext& context, const ReplayDiffResult& result);

} // namespace rw
