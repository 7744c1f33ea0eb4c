#pragma once

#include "model/chunkresult.h"

#include <memory>
#include <string_view>

namespace rw {

// Importer for the run-trace format of the second seed: one JSON document per
// agent run (`run_id`, `agent_id`, `steps[]`, `permissions_summary`), either
// one (possibly pretty-printed) document, a JSON array of them, or JSONL.
// Each run becomes a trace and each step one event whose bytes are the step's
// own JSON object in the file. See docs/formats.md for the mapping.
class RunTraceImporter
{
public:
    // True when the file holds (pretty-printed) JSON documents rather than
    // JSONL: it opens with `[`, or its first line is not a complete value while
    // the value starting there spans several lines and is complete JSON.
    // Decided by structure, never by substrings, so a JSONL log whose first
    // record merely mentions `run_id` is still read line by line.
    static bool isDocumentLayout(std::string_view file);

    // Documents one after another (one, several concatenated, or a JSON array
    // of them). Run documents become traces; an interceptor event written as
    // a document is read as one with a MIXED_FORMAT finding; anything else is
    // a finding at its byte offset, and the documents around it are kept.
    static void importDocuments(std::string_view file, const LoadLimits& limits, ChunkResult& out);

    // One run document on one line of a JSONL file; its steps and findings
    // get `line` (slice-local, as the chunk indexer counts).
    RunTraceImporter(std::string_view file, const LoadLimits& limits, ChunkResult& out);
    ~RunTraceImporter();
    RunTraceImporter(const RunTraceImporter&) = delete;
    RunTraceImporter& operator=(const RunTraceImporter&) = delete;
    void importLine(std::size_t begin, std::size_t end, std::uint64_t line);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace rw
