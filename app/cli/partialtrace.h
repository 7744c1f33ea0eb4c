#pragma once

// A run the watch saw begin but not end, saved when the watch stops (the
// seed's "Partial trace saved to: ~/.securight/traces/run-c891f-partial.json"):
// a run document with status `partial` whose steps are the stream's step
// events as read (an interceptor trace: its events), and under `partial` the
// segments of the source read so far (path, device, inode, byte range,
// SHA-256), so that the lines can be checked against the log they came from.
// Written atomically, never over the watched source.
#include "app/cli/clioptions.h"
#include "model/followtypes.h"
#include "replay/analysis/liveanalyzer.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace rw {

// the document (pretty JSON)
std::string partialTraceText(const analysis::OpenRunLines& run, const std::vector<FollowSegment>& segments);
// --save-partial DIR, or $XDG_DATA_HOME/replay-workbench/traces (~/.local/share/...)
std::string partialTraceFolder(const CliOptions& options);
// "<run id>-partial.json" in that folder, the id made a safe file name; the path, or nullopt after an error
std::optional<std::string> savePartialTrace(const CliOptions& options, const analysis::OpenRunLines& run,
                                            const std::vector<FollowSegment>& segments, std::ostream& err);

} // namespace rw
