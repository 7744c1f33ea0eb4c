#pragma once

#include "model/diagnostic.h"
#include "model/eventrecord.h"
#include "model/runtrace.h"
#include "model/stringpool.h"

#include <array>
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
    // Findings one slice keeps with their byte offsets. Past it a slice only
    // counts by code, and unreadable lines are no longer kept as records, so
    // a file of 50 million bad lines loads in bounded memory. 0: as many as
    // maxStoredDiagnostics.
    std::size_t maxStoredDiagnosticsPerChunk = 0;
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
    // run traces only: one entry per run and per step event (events are slice-local)
    std::vector<RunInfo> runs;
    std::vector<RunStep> runSteps;
    std::vector<RunPermission> runPermissions;
    std::vector<Diagnostic> diagnostics;
    // hash of each event's event_id (0: none), computed while the line is hot
    std::vector<std::uint64_t> idHashes;
    std::uint64_t lines = 0;
    std::uint64_t blankLines = 0;
    std::uint64_t crlfLines = 0;
    std::uint64_t bytes = 0;
    // findings past the slice's limit, by code, and the unreadable lines not kept as records
    std::array<std::uint64_t, kDiagnosticCodeCount> unstoredDiagnostics{};
    std::uint64_t unstoredRecords = 0;
    std::size_t diagnosticLimit = SIZE_MAX;

    bool diagnosticsFull() const { return diagnostics.size() >= diagnosticLimit; }

    void addDiagnostic(std::uint64_t line, std::uint64_t offset, DiagnosticCode code, std::string detail,
                       std::int64_t record)
    {
        if (diagnostics.size() >= diagnosticLimit) {
            ++unstoredDiagnostics[static_cast<std::size_t>(code)];
            return;
        }
        diagnostics.push_back({line, offset, code, std::move(detail), record});
    }
};

} // namespace rw
