#include "model/chunkindexer.h"

#include "model/jsonscan.h"
#include "model/lineparser.h"
#include "model/linescan.h"
#include "model/runtraceimporter.h"

#include <cstring>
#include <memory>

namespace rw {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool isBlank(std::string_view s)
{
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v')
            return false;
    return true;
}

bool allNul(std::string_view s)
{
    for (char c : s)
        if (c != '\0')
            return false;
    return true;
}


} // namespace


Format firstRecordFormat(std::string_view file, const LoadLimits& limits)
{
    std::size_t pos = 0;
    while (pos < file.size()) {
        const void* nl = std::memchr(file.data() + pos, '\n', file.size() - pos);
        const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - file.data()) : file.size();
        std::string_view text = file.substr(pos, end - pos);
        if (text.substr(0, 3) == kBom)
            text.remove_prefix(3);
        if (!isBlank(text)) {
            if (text.size() > limits.maxLineBytes)
                return looksLikeRunDocument(text) ? Format::RunTrace : Format::Interceptor;
            ChunkResult scratch;
            LineParser parser(scratch, limits);
            EventRecord rec;
            std::string detail;
            return parser.parse(text, 1, pos, rec, 0, detail) == LineParser::Status::RunDocument ? Format::RunTrace
                                                                                                  : Format::Interceptor;
        }
        pos = end + 1;
    }
    return Format::Interceptor;
}

void indexChunk(std::string_view file, std::size_t begin, std::size_t end, const LoadLimits& limits,
                ChunkResult& out, const std::atomic<bool>* cancel, Format primary)
{
    LineParser parser(out, limits);
    std::unique_ptr<RunTraceImporter> runs; // made at the first run document
    // a run document on one line: its steps become the records
    auto importRun = [&](std::size_t start, std::size_t length, std::uint64_t line) {
        if (!runs)
            runs = std::make_unique<RunTraceImporter>(file, limits, out);
        const std::size_t firstStep = out.events.size();
        runs->importLine(start, start + length, line);
        if (primary == Format::Interceptor)
            out.addDiagnostic(line, start, DiagnosticCode::MixedFormat, "a run-trace document in an interceptor log", -1);
        out.idHashes.resize(out.events.size(), 0);
        for (std::size_t k = firstStep; k < out.events.size(); ++k)
            if (const EventRecord& step = out.events[k]; step.s(Field::EventId) != kNoStr && !step.has(EventFlag::Rejected))
                out.idHashes[k] = hashBytes(out.pool.view(step.s(Field::EventId))) | 1;
    };
    const char* base = file.data();
    std::string errorDetail;
    std::size_t pos = begin;
    out.bytes = end - begin;
    out.diagnosticLimit =
        limits.maxStoredDiagnosticsPerChunk ? limits.maxStoredDiagnosticsPerChunk : limits.maxStoredDiagnostics;

    while (pos < end) {
        if (cancel && (out.lines & 1023) == 0 && cancel->load(std::memory_order_relaxed))
            return;
        const LineScan scan = scanLine(base, pos, end);
        const std::size_t lineEnd = scan.end;
        const bool terminated = lineEnd < end;
        const std::uint64_t line = ++out.lines;
        if (out.events.size() == 64 && out.events.capacity() < 128) {
            // size the slice's arrays from the first records: no regrowth copies.
            // Clamped: a record is never shorter than ~32 bytes of JSON.
            const std::size_t perRecord = std::max<std::size_t>(32, (pos - begin) / 64);
            const std::size_t expected = (end - begin) / perRecord * 9 / 8;
            out.events.reserve(expected);
            out.idHashes.reserve(expected);
        }
        std::size_t start = pos;
        std::size_t stop = lineEnd;
        pos = lineEnd + 1;

        if (stop > start && base[stop - 1] == '\r') {
            --stop;
            ++out.crlfLines;
        }
        std::string_view text(base + start, stop - start);
        const bool bom = text.substr(0, 3) == kBom;
        if (bom) {
            start += 3;
            text.remove_prefix(3);
        }
        const bool blank = isBlank(text);
        if (bom) // attached to the record only when the line becomes one
            out.addDiagnostic(line, start - 3, start == 3 ? DiagnosticCode::BomSkipped : DiagnosticCode::BomInside, {},
                              start == 3 || blank ? -1 : static_cast<std::int64_t>(out.events.size()));
        if (blank) {
            ++out.blankLines;
            continue;
        }

        const auto recordIndex = static_cast<std::int64_t>(out.events.size());
        EventRecord& rec = out.events.emplace_back();
        rec.offset = start;
        rec.length = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), UINT32_MAX));
        rec.line = static_cast<std::uint32_t>(line);
        // Past the slice's findings limit an unreadable line is only counted:
        // keeping ~450 bytes per bad line let a file of junk exhaust memory.
        // `rec` is gone afterwards; every caller continues with the next line.
        auto reject = [&](DiagnosticCode code, std::string detail) {
            if (out.diagnosticsFull()) {
                out.addDiagnostic(line, start, code, {}, -1);
                out.events.pop_back();
                ++out.unstoredRecords;
                return;
            }
            rec.flags = EventFlag::Rejected;
            out.addDiagnostic(line, start, code, std::move(detail), recordIndex);
        };

        if (text.size() > limits.maxLineBytes && text.size() <= limits.maxRunDocumentBytes && !scan.nul &&
            looksLikeRunDocument(text)) {
            out.events.pop_back();
            importRun(start, text.size(), line);
            continue;
        }
        if (text.size() > limits.maxLineBytes) {
            reject(DiagnosticCode::LineTooLong, std::to_string(text.size()) + " bytes > limit " +
                                                    std::to_string(limits.maxLineBytes));
            continue;
        }
        if (scan.nul) {
            if (allNul(text))
                reject(DiagnosticCode::NulPadding, std::to_string(text.size()) + " NUL bytes at offset " +
                                                       std::to_string(start) + ".." +
                                                       std::to_string(start + text.size()));
            else
                reject(DiagnosticCode::NulBytes, "at byte " + std::to_string(static_cast<const char*>(
                                                                   std::memchr(text.data(), 0, text.size())) -
                                                               base));
            continue;
        }
        if (scan.openers > limits.maxDepth) {
            const std::size_t depth = jsonNestingDepth(text, limits.maxDepth);
            if (depth > limits.maxDepth) {
                reject(DiagnosticCode::DepthExceeded, "depth > " + std::to_string(limits.maxDepth));
                continue;
            }
        }

        const bool lastUnterminated = !terminated && lineEnd == file.size();
        const LineParser::Status status = parser.parse(text, line, start, rec, recordIndex, errorDetail);
        if (status == LineParser::Status::RunDocument) {
            out.events.pop_back(); // the run's steps become the records
            importRun(start, text.size(), line);
            continue;
        }
        if (status != LineParser::Status::Ok) {
            if (lastUnterminated)
                reject(DiagnosticCode::IncompleteLastLine, errorDetail);
            else if (status == LineParser::Status::InvalidUtf8)
                reject(DiagnosticCode::InvalidUtf8, errorDetail);
            else if (status == LineParser::Status::NotAnObject)
                reject(DiagnosticCode::NotAnObject, errorDetail);
            else
                reject(DiagnosticCode::InvalidJson, errorDetail);
            continue;
        }
        if (rec.has(EventFlag::Rejected) && out.diagnosticsFull()) {
            // e.g. no timestamp: its finding was counted, the record is not kept
            out.events.pop_back();
            ++out.unstoredRecords;
            continue;
        }
        if (lastUnterminated)
            out.addDiagnostic(line, start, DiagnosticCode::NoFinalNewline, {}, recordIndex);
        if (primary == Format::RunTrace) {
            out.addDiagnostic(line, start, DiagnosticCode::MixedFormat, "an interceptor event among run documents",
                              recordIndex);
            rec.flags |= EventFlag::HasWarnings;
        }
        if (rec.s(Field::EventId) != kNoStr && !rec.has(EventFlag::Rejected)) {
            out.idHashes.resize(out.events.size(), 0);
            out.idHashes.back() = hashBytes(out.pool.view(rec.s(Field::EventId))) | 1;
        }
    }
    out.idHashes.resize(out.events.size(), 0);
}

} // namespace rw
