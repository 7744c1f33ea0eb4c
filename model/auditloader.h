#pragma once

#include "model/chunkresult.h"
#include "model/replaymodel.h"
#include "model/sourcefile.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace rw {

struct LoadOptions
{
    LoadLimits limits;
    // Hash while indexing (a third thread competing for the cores) or from the
    // end of the parallel parse on, overlapping the serial merge. Both finish before anything can be exported: see ReplayModel::sha256.
    bool hashConcurrently = false;
    // Hash on the thread that first asks for sha256(), no thread of its own:
    // for a batch that already loads one file per core, where a hashing
    // thread per file has no core to run on and only adds a switch and a wait.
    bool hashWhenAsked = false;
    // Off for bytes that are no file's (the live watch's batches of appended
    // lines, hashed by their segment instead): no thread, sha256() is "".
    bool hash = true;
    // Read as a run stream whatever its first line is (the live watch's later
    // batches, once the source is known to be one; a bad first line would
    // otherwise make the batch an audit log).
    bool runStream = false;
};

struct LoadResult
{
    std::unique_ptr<ReplayModel> model;
    OpenError error = OpenError::None;
    int errnoValue = 0;
    bool cancelled = false;
};

// Builds a ReplayModel from an audit file: maps it read-only, splits it into
// slices at line breaks, indexes the slices on all cores with simdjson, merges
// them in file order and groups the events by trace.
class AuditLoader
{
public:
    // Called from worker threads with bytes indexed so far; must be thread-safe.
    using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

    static LoadResult loadFile(const std::string& path, const LoadOptions& options = {},
                               const Progress& progress = {}, const std::atomic<bool>* cancel = nullptr);
    static std::unique_ptr<ReplayModel> loadBytes(std::string_view bytes, const std::string& name = "<memory>",
                                                  const LoadOptions& options = {});

private:
    static LoadResult build(std::unique_ptr<SourceFile> file, const LoadOptions& options, const Progress& progress,
                            const std::atomic<bool>* cancel);
};

} // namespace rw
