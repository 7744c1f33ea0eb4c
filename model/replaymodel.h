#pragma once

#include "model/diagnostic.h"
#include "model/eventrecord.h"
#include "model/runtrace.h"
#include "model/sourcefile.h"
#include "model/stringpool.h"

#include <algorithm>
#include <array>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rw {

// One trace: a trace id and its events in file order (event indexes).
struct TraceEntry
{
    StrId id = kNoStr;
    std::uint32_t first = 0; // into ReplayModel::m_traceEvents
    std::uint32_t count = 0;
};

struct LoadStats
{
    std::uint64_t bytes = 0;
    std::uint64_t lines = 0;
    std::uint64_t blankLines = 0;
    std::uint64_t crlfLines = 0;
    std::uint64_t events = 0;   // records kept (including rejected ones)
    std::uint64_t rejected = 0; // unreadable records: kept as raw bytes only, or only counted
    // unreadable lines past the findings limit: counted in events, rejected
    // and the findings by code, but not kept as records (bounded memory)
    std::uint64_t unstoredRecords = 0;
    std::uint64_t traces = 0;
    std::uint64_t withoutTrace = 0; // readable records without a trace id
    double indexSeconds = 0;        // mapping + parsing + merging + grouping
    double parseSeconds = 0;        // the parallel part of indexSeconds
    unsigned threads = 1;
    unsigned chunks = 1;
    std::array<std::uint64_t, kDiagnosticCodeCount> diagnosticCounts{};
};

// The replay model of one audit file: the mapped bytes, a compact record per
// event, traces grouped in file order, and every finding of the load. It is
// immutable once built (by AuditLoader) and safe to read from many threads.
class ReplayModel
{
public:
    ~ReplayModel();

    const std::string& path() const { return m_file->path(); }
    std::string_view bytes() const { return m_file->bytes(); }
    // The file's own bytes (what the SHA-256 covers): bytes() is their
    // decompressed stream for a gzip or zstd file.
    std::string_view storedBytes() const { return m_file->storedBytes(); }
    Compression compression() const { return m_file->compression(); }
    // Pages lost because the file was truncated on disk after loading (they read as zeros).
    std::uint64_t vanishedPages() const { return m_file->vanishedPages(); }
    std::int64_t loadedMtimeNs() const { return m_file->mtimeNs(); }
    // Whether the path still names exactly what was loaded: the same file,
    // neither grown, shrunk nor rewritten (the live view keeps such a file as it is).
    bool unchangedOnDisk() const { return m_file->stillAtPath() && !m_file->checkUnchanged().changed; }
    Format format() const { return m_format; }

    std::size_t eventCount() const { return m_sliceStart.back(); }
    const EventRecord& event(std::size_t i) const
    {
        const std::size_t s = sliceOf(i);
        return m_slices[s][i - m_sliceStart[s]];
    }

    std::string_view str(StrId id) const { return m_pool.view(id); }
    std::string_view str(const EventRecord& rec, Field f) const { return m_pool.view(rec.s(f)); }
    bool has(const EventRecord& rec, Field f) const { return rec.s(f) != kNoStr; }
    const StringPool& pool() const { return m_pool; }

    std::span<const ProvenanceItem> provenance(const EventRecord& rec) const
    {
        return {m_provenance.data() + rec.provenance.first, rec.provenance.count};
    }
    std::span<const StrId> list(Span32 span) const { return {m_lists.data() + span.first, span.count}; }
    // The exact original bytes of a record (without its line break).
    std::string_view raw(const EventRecord& rec) const { return bytes().substr(rec.offset, rec.length); }

    // Run traces: every run, and the step behind a run-step event.
    std::span<const RunInfo> runs() const { return m_runs; }
    std::span<const RunStep> runSteps() const { return m_runSteps; }
    std::span<const RunPermission> runPermissions(Span32 span) const
    {
        return {m_runPermissions.data() + span.first, span.count};
    }
    // nullptr when event i is no run step
    const RunStep* runStep(std::size_t event) const;
    const RunInfo* runOf(std::size_t event) const
    {
        const RunStep* step = runStep(event);
        return step ? &m_runs[step->run] : nullptr;
    }
    // A step's timestamp is its end; it started duration_ms earlier (the
    // seed's sample chains every step that way). Other events: their time.
    std::int64_t startTimeUs(std::size_t event) const;
    // completed_at - started_at when the run has both, else its first step's
    // start to its last step's end; 0 when nothing is known.
    std::int64_t runDurationUs(std::size_t run) const;

    std::size_t traceCount() const { return m_traces.size(); }
    const TraceEntry& trace(std::size_t i) const { return m_traces[i]; }
    std::span<const std::uint32_t> traceEvents(std::size_t i) const
    {
        return {m_traceEvents.data() + m_traces[i].first, m_traces[i].count};
    }
    std::optional<std::size_t> findTrace(std::string_view traceId) const;

    const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
    std::uint64_t diagnosticCount(DiagnosticCode code) const
    {
        return m_stats.diagnosticCounts[static_cast<std::size_t>(code)];
    }
    // Diagnostics that concern the events of trace i.
    std::uint64_t traceDiagnosticCount(std::size_t i) const { return m_traceDiagnostics[i]; }

    const LoadStats& stats() const { return m_stats; }

    // SHA-256 of the exact file bytes. It is computed in the background while
    // the model is built; these block until it is done.
    std::string sha256() const { return m_sha256.get(); }
    bool sha256Ready() const;
    double sha256Seconds() const;

private:
    friend class AuditLoader;
    ReplayModel() = default;

    std::unique_ptr<SourceFile> m_file;
    Format m_format = Format::Interceptor;
    StringPool m_pool;
    // Events stay in the slices the workers filled (file order, slice after
    // slice): merging them into one array would copy every record once more.
    std::size_t sliceOf(std::size_t i) const
    {
        if (m_slices.size() == 1)
            return 0;
        return static_cast<std::size_t>(std::upper_bound(m_sliceStart.begin() + 1, m_sliceStart.end(), i) -
                                        m_sliceStart.begin()) - 1;
    }
    EventRecord& mutableEvent(std::size_t i)
    {
        const std::size_t s = sliceOf(i);
        return m_slices[s][i - m_sliceStart[s]];
    }

    std::vector<std::vector<EventRecord>> m_slices;
    std::vector<std::size_t> m_sliceStart{0};
    std::vector<ProvenanceItem> m_provenance;
    std::vector<StrId> m_lists;
    std::vector<RunInfo> m_runs;
    std::vector<RunStep> m_runSteps; // by event index
    std::vector<RunPermission> m_runPermissions;
    std::vector<Diagnostic> m_diagnostics;
    std::vector<TraceEntry> m_traces;
    std::vector<std::uint32_t> m_traceEvents;
    std::vector<std::uint32_t> m_traceDiagnostics;
    // per event: a hash of its event_id (0: none), taken while the line was
    // read; the append path checks new ids against it without reading the
    // old ones again (scattered over the file: a cache miss each)
    std::vector<std::uint64_t> m_idHashes;
    LoadStats m_stats;
    // A fingerprint of the bytes around the end of the last complete line (the
    // first and the last 64 KiB before it): the append path compares it with the
    // grown file, so a file truncated and written past its old length between
    // two looks is read anew, not taken as grown (its pages are the same page
    // cache: the mapping alone cannot tell).
    std::uint64_t m_edgeFingerprint = 0;
    std::shared_future<std::string> m_sha256;
    std::shared_ptr<double> m_sha256Seconds;
};

} // namespace rw
