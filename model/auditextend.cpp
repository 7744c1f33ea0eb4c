// The append path of the loader: a grown audit log extended, not read again
// (AuditLoader::extendFile). What the previous model read before its last
// complete line is the same bytes in the grown file, so its records, strings
// and findings are kept; its unterminated last line, if any, is read again
// with what followed it.
#include "model/auditloader.h"

#include "model/chunkindexer.h"
#include "model/formatsniff.h"
#include "model/runstreamimporter.h"
#include "model/runtraceimporter.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace rw {

namespace {

// Findings that concern the file as a whole (line 0: its encoding, a change
// while it was read, "no events"): a full load of the grown file makes its own.
bool fileLevel(const Diagnostic& d)
{
    return d.line == 0;
}

// Past the findings limit a load keeps counts, not findings or records, and
// which ones it keeps depends on how the file was sliced: an extension is only
// the full load's twin while nothing was left uncounted.
bool withinFindingLimits(const LoadStats& stats, std::size_t storedDiagnostics)
{
    std::uint64_t counted = 0;
    for (const std::uint64_t c : stats.diagnosticCounts)
        counted += c;
    return stats.unstoredRecords == 0 && counted == storedDiagnostics;
}

} // namespace

std::uint64_t AuditLoader::edgeFingerprint(std::string_view bytes, std::size_t cut)
{
    constexpr std::size_t kEdge = 64 * 1024;
    const std::size_t n = std::min(kEdge, cut);
    return hashBytes(bytes.substr(0, n)) * 31 + hashBytes(bytes.substr(cut - n, n)) + cut;
}

ChunkResult AuditLoader::keptChunk(const Kept& kept)
{
    const ReplayModel& was = *kept.previous;
    ChunkResult out;
    out.events.reserve(kept.events);
    for (std::size_t s = 0; s < was.m_slices.size() && out.events.size() < kept.events; ++s) {
        const std::vector<EventRecord>& slice = was.m_slices[s];
        const std::size_t take = std::min(slice.size(), kept.events - out.events.size());
        out.events.insert(out.events.end(), slice.begin(), slice.begin() + static_cast<std::ptrdiff_t>(take));
    }
    out.idHashes.assign(was.m_idHashes.begin(), was.m_idHashes.begin() + static_cast<std::ptrdiff_t>(kept.events));
    // the tails of both belong to records after the cut at most: harmless, never referenced
    out.provenance = was.m_provenance;
    out.lists = was.m_lists;

    // The counts of the unterminated last line come off, as the load counted it
    // (blank, CR before its end): indexed again alone, the same way.
    ChunkResult tail;
    if (kept.cut < was.bytes().size())
        indexChunk(was.bytes(), kept.cut, was.bytes().size(), {}, tail, nullptr, was.format());
    const LoadStats& stats = was.m_stats;
    out.lines = stats.lines - tail.lines;
    out.blankLines = stats.blankLines - tail.blankLines;
    out.crlfLines = stats.crlfLines - tail.crlfLines;
    out.unstoredRecords = stats.unstoredRecords;

    // Findings: those of lines before the cut; the ones past the findings
    // limit stay counted (they were before the cut: the limit is reached in file order).
    std::array<std::uint64_t, kDiagnosticCodeCount> stored{};
    for (const Diagnostic& d : was.m_diagnostics) {
        ++stored[static_cast<std::size_t>(d.code)];
        if (!fileLevel(d) && d.offset < kept.cut)
            out.diagnostics.push_back(d);
    }
    for (std::size_t k = 0; k < kDiagnosticCodeCount; ++k)
        out.unstoredDiagnostics[k] = stats.diagnosticCounts[k] - std::min(stats.diagnosticCounts[k], stored[k]);
    return out;
}

LoadResult AuditLoader::extendFile(const ReplayModel& previous, const LoadOptions& options, const Progress& progress,
                                   const std::atomic<bool>* cancel, const std::string& renamedTo)
{
    LoadResult result;
    const std::string path = renamedTo.empty() ? previous.path() : renamedTo;
    auto file = SourceFile::open(path, &result.error, &result.errnoValue);
    if (!file)
        return result;
    const std::string_view was = previous.bytes();
    // where the previous load's last complete line ended
    const void* lastBreak = was.empty() ? nullptr : ::memrchr(was.data(), '\n', was.size());
    Kept kept;
    kept.previous = &previous;
    kept.cut = lastBreak ? static_cast<std::size_t>(static_cast<const char*>(lastBreak) - was.data()) + 1 : 0;
    // Records are in file order: the kept ones are those that start before the cut.
    std::size_t lo = 0, hi = previous.eventCount();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (previous.event(mid).offset < kept.cut)
            lo = mid + 1;
        else
            hi = mid;
    }
    kept.events = lo;
    // Read as a full load would read it now: an interceptor log from its first
    // line (a run document still being written read as lines until it was
    // whole, or only rejected lines so far, is read anew), the same file
    // appended to, not rewritten in place, and within the findings limits.
    const std::string_view now = file->bytes();
    const bool extendable =
        previous.m_file->sameFileAs(*file) && file->size() >= was.size() && !previous.m_file->checkUnchanged().contentRewritten &&
        previous.compression() == Compression::None && file->compression() == Compression::None &&
        previous.vanishedPages() == 0 && previous.format() == Format::Interceptor && previous.m_runs.empty() &&
        kept.events > 0 && previous.m_stats.rejected < previous.eventCount() && previous.m_idHashes.size() >= kept.events &&
        withinFindingLimits(previous.m_stats, previous.m_diagnostics.size()) &&
        sniffFile(now).kind == FileKind::Text && !hasOnlyCrLineEnds(now) && !RunTraceImporter::isDocumentLayout(now) &&
        !options.runStream && !RunStreamImporter::isStreamLayout(now) &&
        firstRecordFormat(now, options.limits) == previous.format() &&
        edgeFingerprint(now, kept.cut) == previous.m_edgeFingerprint;
    try {
        if (!extendable)
            return build(std::move(file), options, progress, cancel, {});
        result = build(std::move(file), options, progress, cancel, kept);
        if (result.model && !withinFindingLimits(result.model->m_stats, result.model->m_diagnostics.size())) {
            result = {}; // the new lines reached a limit: what a full load keeps then is its own
            return loadFile(path, options, progress, cancel);
        }
        result.extended = result.model != nullptr;
        result.keptEvents = result.extended ? kept.events : 0;
        return result;
    } catch (const std::bad_alloc&) {
        result = {};
        result.error = OpenError::OutOfMemory;
        return result;
    }
}

} // namespace rw
