#pragma once

#include "model/chunkresult.h"

#include <string_view>

namespace rw {

// The streaming form of run traces (reference §3.2): JSONL with one event per
// line, `{"event": "run_started" | "step" | "run_completed", "run_id": ...}`.
// A `step` event is a seed step object plus `run_id` (and `agent_id`), so a
// run that is still being written can be read before it ends. Runs may
// interleave; a step may arrive before its run_started. A run without
// run_completed has status `running`. A bad line is reported with its line,
// byte offset and reason, kept as raw bytes, and the load goes on.
class RunStreamImporter
{
public:
    // True when the first non-blank line is such an event: an object with
    // `event` one of the three names and `run_id`, and no `event_type` (which
    // would make it an interceptor record).
    static bool isStreamLayout(std::string_view file);

    // The whole file, in order (one slice: runs are stitched across lines).
    static void importStream(std::string_view file, const LoadLimits& limits, ChunkResult& out);
};

} // namespace rw
