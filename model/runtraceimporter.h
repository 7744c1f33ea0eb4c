#pragma once

#include "chunkresult.h"

#include <string_view>

namespace rw {

// Importer for the run-trace format of the second seed: one JSON document per
// agent run (`run_id`, `agent_id`, `steps[]`, `permissions_summary`), either
// one (possibly pretty-printed) document, a JSON array of them, or JSONL.
// Each run becomes a trace and each step one event whose bytes are the step's
// own JSON object in the file. See docs/formats.md for the mapping.
class RunTraceImporter
{
public:
    // True when the file's first record looks like a run trace.
    static bool detect(std::string_view file);

    static void import(std::string_view file, const LoadLimits& limits, ChunkResult& out);
};

} // namespace rw
