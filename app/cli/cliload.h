#pragma once

#include "app/cli/clioptions.h"
#include "model/replaymodel.h"

#include <atomic>
#include <memory>
#include <ostream>

namespace rw {

// Loads an audit file as every CLI command does: on failure "Error: ..." on
// stderr and nullptr; otherwise its load findings as "Warning: line N: ..."
// (the first 200, unless --quiet), so no command drops a bad line silently.
// A set `cancel` stops the load (a batch's Ctrl+C): nullptr, nothing printed.
// `hashWhenAsked`: the SHA-256 is made by the first sha256() call, on its
// thread (LoadOptions::hashWhenAsked), for a batch's workers.
std::unique_ptr<ReplayModel> loadAuditForCli(const std::string& path, const CliOptions& options, std::ostream& err,
                                             const std::atomic<bool>* cancel = nullptr, bool hashWhenAsked = false);

} // namespace rw
