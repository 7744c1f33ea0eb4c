#pragma once

#include "diagnostic.h"
#include "eventrecord.h"
#include "stringpool.h"

#include <cstdint>
#include <vector>

namespace rw {

// Limits that keep untrusted input from costing unbounded time or memory.
struct LoadLimits
{
    std::size_t maxLineBytes = 16u << 20;          // longer lines are reported and skipped
    std::size_t maxDepth = 64;                      // deeper nesting is reported and skipped
    std::size_t maxRunDocumentBytes = 256u << 20;   // one pretty-printed run-trace document
    std::size_t maxStoredDiagnostics = 100000;      // beyond this only the per-code counts grow
    unsigned threads = 0;                           // 0: one per core
};

// What one worker produces for one slice of the file; merged in file order.
// Line numbers and record indexes in it are local to the slice.
struct ChunkResult
{
    StringPool pool;
    std::vector<EventRecord> events;
    std::vector<ProvenanceItem> provenance;
    std::vector<StrId> lists;
    std::vector<Diagnostic> diagnostics;
    // hash of each event's event_id (0: none), computed while the line is hot
    std::vector<std::uint64_t> idHashes;
    std::uint64_t lines = 0;
    std::uint64_t blankLines = 0;
    std::uint64_t crlfLines = 0;
    std::uint64_t bytes = 0;

    void addDiagnostic(std::uint64_t line, std::uint64_t offset, DiagnosticCode code, std::string detail,
                       std::int64_t record)
    {
        diagnostics.push_back({line, offset, code, std::move(detail), record});
    }
};

} // namespace rw
