#pragma once

#include "model/chunkresult.h"

#include <memory>
#include <string_view>

namespace rw {

// Parses one interceptor audit record (one JSON object) with simdjson
// On-Demand into an EventRecord, interning strings into the chunk's pool.
// One instance per worker thread; not thread-safe.
class LineParser
{
public:
    explicit LineParser(ChunkResult& out, const LoadLimits& limits);
    ~LineParser();
    LineParser(const LineParser&) = delete;
    LineParser& operator=(const LineParser&) = delete;

    // RunDocument: the line is a whole run-trace document (top-level `run_id`
    // and a `steps` list, no `event_type`); nothing was added for it.
    enum class Status { Ok, InvalidJson, InvalidUtf8, NotAnObject, RunDocument };

    // `text` must be followed by at least SourceFile::kPadding readable bytes.
    // On failure `errorDetail` names the parser error. Field-level findings
    // (wrong types, missing timestamp) are added to the chunk's diagnostics.
    Status parse(std::string_view text, std::uint64_t line, std::uint64_t offset, EventRecord& rec,
                 std::int64_t recordIndex, std::string& errorDetail);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Applies upstream's reading rules after the fields were extracted: legacy
// event_type inference, default risk level. Shared with the run-trace importer.
void applyReadingRules(EventRecord& rec, StringPool& pool);

} // namespace rw
