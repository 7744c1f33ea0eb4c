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
    // extendFile: the records of the previous model up to here were kept and
    // only what came after was read; 0 when the file was loaded anew
    std::size_t keptEvents = 0;
    bool extended = false;
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
    // The file of `previous` again after it grew (the live view's append
    // path): when it is the same file (device and inode), longer and an
    // interceptor log read from a plain file, the previous records up to its
    // last complete line are kept (its strings move to the new mapping) and
    // only the bytes from there on are indexed; the result is the model a
    // full load of the file would give (tst_auditextend compares them). Run
    // traces, compressed files, and a file replaced, truncated or not yet
    // holding one complete line are loaded in full (LoadResult::extended
    // says which). The SHA-256 is of the whole file, as for any load.
    // `renamedTo`: where previous's file is now (rotated away: audit.jsonl.1),
    // read under that name; by default its own path.
    static LoadResult extendFile(const ReplayModel& previous, const LoadOptions& options = {},
                                 const Progress& progress = {}, const std::atomic<bool>* cancel = nullptr,
                                 const std::string& renamedTo = {});
    static std::unique_ptr<ReplayModel> loadBytes(std::string_view bytes, const std::string& name = "<memory>",
                                                  const LoadOptions& options = {});

private:
    // What an extension keeps of the previous model: its records before `cut`.
    struct Kept
    {
        const ReplayModel* previous = nullptr;
        std::size_t cut = 0;    // the byte after its last complete line
        std::size_t events = 0; // its records before cut
    };
    static LoadResult build(std::unique_ptr<SourceFile> file, const LoadOptions& options, const Progress& progress,
                            const std::atomic<bool>* cancel, const Kept& kept);
    static ChunkResult keptChunk(const Kept& kept);
    static std::uint64_t edgeFingerprint(std::string_view bytes, std::size_t cut);
};

} // namespace rw
