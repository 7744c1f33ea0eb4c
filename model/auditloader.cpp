#include "model/auditloader.h"

#include "model/chunkindexer.h"
#include "model/loaderhelpers.h"
#include "model/formatsniff.h"
#include "model/runstreamimporter.h"
#include "model/runtraceimporter.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <numeric>
#include <thread>

namespace rw {

using namespace loader;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

} // namespace

LoadResult AuditLoader::loadFile(const std::string& path, const LoadOptions& options, const Progress& progress,
                                 const std::atomic<bool>* cancel)
{
    LoadResult result;
    auto file = SourceFile::open(path, &result.error, &result.errnoValue);
    if (!file)
        return result;
    try {
        return build(std::move(file), options, progress, cancel, {});
    } catch (const std::bad_alloc&) {
        // a limit error, never an abort: the caller says the file needs more memory than there is
        result.error = OpenError::OutOfMemory;
        return result;
    }
}

std::unique_ptr<ReplayModel> AuditLoader::loadBytes(std::string_view bytes, const std::string& name,
                                                    const LoadOptions& options)
{
    return build(SourceFile::fromBytes(bytes, name), options, {}, nullptr, {}).model;
}

LoadResult AuditLoader::build(std::unique_ptr<SourceFile> file, const LoadOptions& options,
                              const Progress& progress, const std::atomic<bool>* cancel, const Kept& kept)
{
    const auto t0 = Clock::now();
    LoadResult result;
    std::unique_ptr<ReplayModel> model(new ReplayModel);
    model->m_file = std::move(file);
    const std::string_view bytes = model->m_file->bytes();
    LoadStats& stats = model->m_stats;
    stats.bytes = bytes.size();

    auto startHash = [&model, &options] {
        if (!options.hash) {
            std::promise<std::string> none;
            none.set_value({});
            model->m_sha256 = none.get_future().share();
            model->m_sha256Seconds = std::make_shared<double>(0);
            return;
        }
        auto seconds = std::make_shared<double>(0);
        model->m_sha256Seconds = seconds;
        const std::string_view b = model->m_file->storedBytes(); // the file as stored, compressed or not
        const SourceFile* source = model->m_file.get(); // the model waits for the hash before it goes
        const auto policy = options.hashWhenAsked ? std::launch::deferred : std::launch::async;
        model->m_sha256 = std::async(policy, [b, seconds, source] {
                              const auto h0 = Clock::now();
                              std::string hex = sha256Hex(b);
                              *seconds = secondsSince(h0);
                              // a hash of bytes that are not the file's would be fabricated evidence
                              if (source->checkUnchanged().loadedBytesSuspect)
                                  hex.clear();
                              return hex;
                          }).share();
    };
    if (options.hashConcurrently && !options.hashWhenAsked)
        startHash();

    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads = options.limits.threads ? options.limits.threads : hw;
    std::vector<ChunkResult> chunks;

    // the interceptor log's lines from `from` on, in slices on all cores (after the kept records of an extension)
    auto indexLines = [&](std::size_t from, Format primary) {
        constexpr std::size_t kMinSlice = 1u << 20;
        const std::string_view rest = bytes.substr(from);
        const auto slices = static_cast<unsigned>(
            std::clamp<std::size_t>(rest.size() / kMinSlice, 1, static_cast<std::size_t>(threads) * 8));
        std::vector<std::size_t> bounds = sliceBoundaries(rest, slices);
        for (std::size_t& b : bounds)
            b += from;
        const std::size_t first = chunks.size();
        chunks.resize(first + bounds.size() - 1);
        // each slice keeps its share of the stored findings (and of the
        // unreadable lines kept as records): memory stays bounded by the limit
        LoadLimits limits = options.limits;
        if (limits.maxStoredDiagnosticsPerChunk == 0)
            limits.maxStoredDiagnosticsPerChunk =
                std::max<std::size_t>(std::min<std::size_t>(limits.maxStoredDiagnostics, 1000),
                                      (limits.maxStoredDiagnostics + chunks.size() - 1) / chunks.size());
        std::mutex progressMutex;
        std::uint64_t done = 0;
        runParallel(threads, bounds.size() - 1, [&](std::size_t i) {
            indexChunk(bytes, bounds[i], bounds[i + 1], limits, chunks[first + i], cancel, primary);
            if (progress) {
                std::lock_guard lock(progressMutex);
                done += bounds[i + 1] - bounds[i];
                progress(done, rest.size());
            }
        });
        stats.threads = std::min<unsigned>(threads, static_cast<unsigned>(bounds.size() - 1));
    };

    const FileSniff sniff = kept.previous ? FileSniff{} : sniffFile(bytes);
    Format primary = Format::Interceptor;
    if (kept.previous) {
        primary = kept.previous->format();
        model->m_format = primary;
        chunks.push_back(keptChunk(kept));
        indexLines(kept.cut, primary);
    } else if (bytes.empty()) {
        chunks.emplace_back().addDiagnostic(0, 0, DiagnosticCode::EmptyFile, {}, -1);
    } else if (sniff.kind == FileKind::Utf16 || sniff.kind == FileKind::Utf32) {
        chunks.emplace_back().addDiagnostic(
            1, 0, sniff.kind == FileKind::Utf16 ? DiagnosticCode::Utf16Encoding : DiagnosticCode::Utf32Encoding,
            std::string(fileKindName(sniff)) + (sniff.byteOrderMark ? " with a byte order mark" : " without a byte order mark"),
            -1);
    } else if (sniff.kind != FileKind::Text) {
        // named, never read line by line: a stored ZIP would otherwise yield the lines inside it
        chunks.emplace_back().addDiagnostic(0, 0, DiagnosticCode::BinaryFile, fileKindName(sniff), -1);
    } else if (hasOnlyCrLineEnds(bytes)) {
        chunks.emplace_back().addDiagnostic(0, 0, DiagnosticCode::CrOnlyLineEndings, {}, -1);
    } else if (RunTraceImporter::isDocumentLayout(bytes)) {
        model->m_format = Format::RunTrace;
        RunTraceImporter::importDocuments(bytes, options.limits, chunks.emplace_back());
    } else if (options.runStream || RunStreamImporter::isStreamLayout(bytes)) {
        // one slice: a run's events are stitched together across the whole file
        model->m_format = Format::RunTrace;
        RunStreamImporter::importStream(bytes, options.limits, chunks.emplace_back());
    } else {
        primary = firstRecordFormat(bytes, options.limits);
        model->m_format = primary;
        indexLines(0, primary);
    }
    if (const SourceFile& f = *model->m_file; f.compression() != Compression::None)
        chunks.front().addDiagnostic(0, 0, DiagnosticCode::Compressed,
                                     std::string(compressionName(f.compression())) + ", " +
                                         std::to_string(f.storedBytes().size()) + " bytes stored, " +
                                         std::to_string(bytes.size()) + " decompressed" +
                                         (f.decompressionDamage().empty() ? std::string()
                                                                          : "; " + f.decompressionDamage() +
                                                                                "; what came before is loaded"),
                                     -1);
    stats.chunks = static_cast<unsigned>(chunks.size());
    stats.parseSeconds = secondsSince(t0);
    // The merge below is mostly serial, so the hash gets the other core from here on.
    if ((!options.hashConcurrently || options.hashWhenAsked) && !(cancel && cancel->load()))
        startHash();
    if (cancel && cancel->load()) {
        result.cancelled = true;
        return result;
    }

    // --- merge the slices in file order ---------------------------------
    std::vector<std::vector<StrId>> remaps(chunks.size());
    std::size_t totalEvents = 0, totalProv = 0, totalLists = 0, totalDiags = 0;
    std::size_t totalRuns = 0, totalSteps = 0, totalPerms = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        if (i == 0 && kept.previous) {
            // the kept records' ids stay: their strings move to this mapping
            const std::string_view was = kept.previous->bytes();
            model->m_pool = kept.previous->m_pool.rebasedCopy(was.data(), was.size(), bytes.data());
            remaps[0].resize(model->m_pool.size());
            std::iota(remaps[0].begin(), remaps[0].end(), StrId{0});
        } else {
            remaps[i] = model->m_pool.absorb(std::move(chunks[i].pool));
        }
        totalEvents += chunks[i].events.size();
        totalProv += chunks[i].provenance.size();
        totalLists += chunks[i].lists.size();
        totalRuns += chunks[i].runs.size();
        totalSteps += chunks[i].runSteps.size();
        totalPerms += chunks[i].runPermissions.size();
        totalDiags += chunks[i].diagnostics.size();
    }
    model->m_slices.resize(chunks.size());
    model->m_sliceStart.resize(chunks.size() + 1);
    std::vector<std::uint64_t>& idHashes = model->m_idHashes;
    idHashes.assign(totalEvents, 0);
    model->m_provenance.resize(totalProv);
    model->m_lists.resize(totalLists);
    model->m_runs.resize(totalRuns);
    model->m_runSteps.resize(totalSteps);
    model->m_runPermissions.resize(totalPerms);
    struct Base
    {
        std::size_t events = 0, prov = 0, lists = 0;
        std::uint64_t lines = 0;
        std::size_t runs = 0, steps = 0, perms = 0;
    };
    std::vector<Base> bases(chunks.size());
    for (std::size_t i = 1; i < chunks.size(); ++i) {
        bases[i] = {bases[i - 1].events + chunks[i - 1].events.size(),
                    bases[i - 1].prov + chunks[i - 1].provenance.size(),
                    bases[i - 1].lists + chunks[i - 1].lists.size(), bases[i - 1].lines + chunks[i - 1].lines,
                    bases[i - 1].runs + chunks[i - 1].runs.size(), bases[i - 1].steps + chunks[i - 1].runSteps.size(),
                    bases[i - 1].perms + chunks[i - 1].runPermissions.size()};
    }
    runParallel(threads, chunks.size(), [&](std::size_t c) {
        const std::vector<StrId>& map = remaps[c];
        const Base& b = bases[c];
        ChunkResult& chunk = chunks[c];
        if (c == 0 && kept.previous) {
            // the kept records: already the model's ids, indexes and lines
            std::copy(chunk.provenance.begin(), chunk.provenance.end(), model->m_provenance.begin());
            std::copy(chunk.lists.begin(), chunk.lists.end(), model->m_lists.begin());
            std::copy(chunk.idHashes.begin(), chunk.idHashes.end(), idHashes.begin());
            return;
        }
        WordMemo<Decision, decisionFromText> decisionOf(model->m_pool);
        WordMemo<Risk, riskFromText> riskOf(model->m_pool);
        for (std::size_t e = 0; e < chunk.events.size(); ++e) {
            EventRecord& rec = chunk.events[e];
            for (StrId& s : rec.str)
                s = map[s];
            rec.decision = decisionOf(rec.s(Field::Decision));
            rec.risk = riskOf(rec.s(Field::RiskLevel));
            rec.provenance.first += static_cast<std::uint32_t>(b.prov);
            rec.requestedCaps.first += static_cast<std::uint32_t>(b.lists);
            rec.grantedCaps.first += static_cast<std::uint32_t>(b.lists);
            rec.violations.first += static_cast<std::uint32_t>(b.lists);
            // lines are slice-local (a document import is one slice at line 0)
            rec.line += static_cast<std::uint32_t>(b.lines);
        }
        for (std::size_t p = 0; p < chunk.provenance.size(); ++p) {
            ProvenanceItem item = chunk.provenance[p];
            item.sourceType = map[item.sourceType];
            item.sourceName = map[item.sourceName];
            item.trustLevel = map[item.trustLevel];
            item.sourceHash = map[item.sourceHash];
            item.originUri = map[item.originUri];
            model->m_provenance[b.prov + p] = item;
        }
        if (chunk.idHashes.size() == chunk.events.size())
            std::copy(chunk.idHashes.begin(), chunk.idHashes.end(), idHashes.begin() + static_cast<std::ptrdiff_t>(b.events));
        else
            for (std::size_t e = 0; e < chunk.events.size(); ++e)
                if (const EventRecord& rec = chunk.events[e]; rec.s(Field::EventId) != kNoStr)
                    idHashes[b.events + e] = hashBytes(model->str(rec, Field::EventId)) | 1;
        for (std::size_t l = 0; l < chunk.lists.size(); ++l)
            model->m_lists[b.lists + l] = map[chunk.lists[l]];
        // run-trace side tables: slice-local indexes and ids become the model's
        for (std::size_t r = 0; r < chunk.runs.size(); ++r) {
            RunInfo run = chunk.runs[r];
            for (StrId* id : {&run.runId, &run.agentId, &run.trigger, &run.status, &run.policyVersion,
                              &run.startedAt, &run.completedAt})
                *id = map[*id];
            for (Span32* span : {&run.granted, &run.denied, &run.escalated})
                span->first += static_cast<std::uint32_t>(b.perms);
            run.line += static_cast<std::uint32_t>(b.lines);
            model->m_runs[b.runs + r] = run;
        }
        for (std::size_t k = 0; k < chunk.runSteps.size(); ++k) {
            RunStep step = chunk.runSteps[k];
            step.event += static_cast<std::uint32_t>(b.events);
            step.run += static_cast<std::uint32_t>(b.runs);
            for (StrId* id : {&step.resultStatus, &step.resultData, &step.approval, &step.alternatives, &step.selection})
                *id = map[*id];
            model->m_runSteps[b.steps + k] = step;
        }
        for (std::size_t k = 0; k < chunk.runPermissions.size(); ++k) {
            RunPermission p = chunk.runPermissions[k];
            for (StrId* id : {&p.permission, &p.approvedBy, &p.approvalId, &p.reason, &p.raw})
                *id = map[*id];
            model->m_runPermissions[b.perms + k] = p;
        }
        for (Diagnostic& d : chunk.diagnostics)
            if (d.line > 0)
                d.line += b.lines;
    });

    for (std::size_t c = 0; c < chunks.size(); ++c) {
        model->m_sliceStart[c + 1] = model->m_sliceStart[c] + chunks[c].events.size();
        model->m_slices[c] = std::move(chunks[c].events);
    }
    model->m_diagnostics.reserve(std::min(totalDiags, options.limits.maxStoredDiagnostics));
    auto addDiagnostic = [&](Diagnostic&& d) {
        ++stats.diagnosticCounts[static_cast<std::size_t>(d.code)];
        if (model->m_diagnostics.size() < options.limits.maxStoredDiagnostics)
            model->m_diagnostics.push_back(std::move(d));
    };
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        stats.lines += chunks[c].lines;
        stats.blankLines += chunks[c].blankLines;
        stats.crlfLines += chunks[c].crlfLines;
        stats.unstoredRecords += chunks[c].unstoredRecords;
        for (std::size_t k = 0; k < kDiagnosticCodeCount; ++k)
            stats.diagnosticCounts[k] += chunks[c].unstoredDiagnostics[k];
        for (Diagnostic& d : chunks[c].diagnostics) {
            if (d.record >= 0)
                d.record += static_cast<std::int64_t>(bases[c].events);
            addDiagnostic(std::move(d));
        }
    }
    if (stats.crlfLines > 0)
        addDiagnostic({0, 0, DiagnosticCode::CrlfLineEndings, std::to_string(stats.crlfLines) + (stats.crlfLines == 1 ? " line" : " lines"), -1});
    chunks.clear();

    // --- duplicate event ids (upstream keeps both; so do we, but say so) --
    {
        // hashes were taken by the workers; the scattered id bytes are only
        // read again when two hashes agree
        std::vector<std::uint32_t> slots(std::bit_ceil(std::max<std::size_t>(16, totalEvents * 2)), UINT32_MAX);
        const std::size_t mask = slots.size() - 1;
        for (std::size_t i = 0; i < totalEvents; ++i) {
            const std::uint64_t h = idHashes[i];
            const EventRecord& rec = model->event(i);
            if (h == 0 || rec.has(EventFlag::Rejected))
                continue;
            std::size_t slot = h & mask;
            while (slots[slot] != UINT32_MAX) {
                const EventRecord& other = model->event(slots[slot]);
                if (idHashes[slots[slot]] == h && model->str(other, Field::EventId) == model->str(rec, Field::EventId)) {
                    if (i < kept.events)
                        break; // a kept record's finding was kept with it
                    const std::string_view id = model->str(rec, Field::EventId);
                    addDiagnostic({rec.line, rec.offset, DiagnosticCode::DuplicateEventId,
                                   std::string(id.substr(0, 80)) + " (first at line " + std::to_string(other.line) +
                                       ")",
                                   static_cast<std::int64_t>(i)});
                    model->mutableEvent(i).flags |= EventFlag::HasWarnings;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            if (slots[slot] == UINT32_MAX)
                slots[slot] = static_cast<std::uint32_t>(i);
        }
    }

    // findings in file order, whatever pass found them
    std::stable_sort(model->m_diagnostics.begin(), model->m_diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.offset < b.offset; });

    // --- group by trace id, file order (CSR) -----------------------------
    {
        std::vector<std::uint32_t> traceOf(model->m_pool.size(), UINT32_MAX);
        std::vector<std::uint32_t> eventTrace(totalEvents, UINT32_MAX);
        for (std::size_t i = 0; i < totalEvents; ++i) {
            const EventRecord& rec = model->event(i);
            if (rec.has(EventFlag::Rejected)) {
                ++stats.rejected;
                continue;
            }
            const StrId id = rec.s(Field::TraceId);
            if (id == kNoStr || model->m_pool.view(id).empty()) {
                ++stats.withoutTrace;
                continue;
            }
            if (traceOf[id] == UINT32_MAX) {
                traceOf[id] = static_cast<std::uint32_t>(model->m_traces.size());
                model->m_traces.push_back({id, 0, 0});
            }
            eventTrace[i] = traceOf[id];
            ++model->m_traces[traceOf[id]].count;
        }
        std::uint32_t running = 0;
        for (TraceEntry& t : model->m_traces) {
            t.first = running;
            running += t.count;
            t.count = 0;
        }
        model->m_traceEvents.resize(running);
        for (std::size_t i = 0; i < eventTrace.size(); ++i) {
            if (eventTrace[i] == UINT32_MAX)
                continue;
            TraceEntry& t = model->m_traces[eventTrace[i]];
            model->m_traceEvents[t.first + t.count++] = static_cast<std::uint32_t>(i);
        }
        model->m_traceDiagnostics.assign(model->m_traces.size(), 0);
        for (const Diagnostic& d : model->m_diagnostics)
            if (d.record >= 0 && static_cast<std::size_t>(d.record) < eventTrace.size() &&
                eventTrace[static_cast<std::size_t>(d.record)] != UINT32_MAX)
                ++model->m_traceDiagnostics[eventTrace[static_cast<std::size_t>(d.record)]];
    }

    if (const SourceFile::Change change = model->m_file->checkUnchanged(); change.changed) {
        std::string detail = change.contentRewritten
                                 ? "rewritten in place (same size, newer modification time)"
                                 : std::to_string(change.sizeAtOpen) + " bytes when opened, " +
                                       std::to_string(change.sizeNow) + " now";
        if (const std::uint64_t pages = model->m_file->vanishedPages())
            detail += "; " + std::to_string(pages) + " page(s) vanished while reading and read as zeros";
        detail += change.loadedBytesSuspect ? "; no SHA-256 is given"
                                            : "; only appended to: the SHA-256 is of the bytes loaded";
        addDiagnostic({0, 0, DiagnosticCode::FileChanged, detail, -1});
    }
    // a non-empty file that gave no event always says why
    if (!bytes.empty() && totalEvents + stats.unstoredRecords == 0) {
        std::uint64_t errors = 0;
        for (std::size_t k = 0; k < kDiagnosticCodeCount; ++k)
            if (diagnosticSeverity(static_cast<DiagnosticCode>(k)) == Severity::Error)
                errors += stats.diagnosticCounts[k];
        addDiagnostic({0, 0, DiagnosticCode::NoEvents,
                       errors > 0                            ? "the findings above say why"
                       : stats.lines > 0 && stats.blankLines == stats.lines ? "every line is blank"
                                                             : "no record is an audit event or a run step",
                       -1});
    }
    // lines past the findings limit were read and counted, not kept
    stats.events = totalEvents + stats.unstoredRecords;
    stats.rejected += stats.unstoredRecords;
    stats.traces = model->m_traces.size();
    if (!bytes.empty() && model->m_file->compression() == Compression::None) {
        const void* lastBreak = ::memrchr(bytes.data(), '\n', bytes.size());
        if (lastBreak)
            model->m_edgeFingerprint = edgeFingerprint(
                bytes, static_cast<std::size_t>(static_cast<const char*>(lastBreak) - bytes.data()) + 1);
    }
    stats.indexSeconds = secondsSince(t0);
    result.model = std::move(model);
    return result;
}

} // namespace rw
