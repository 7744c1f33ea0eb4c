#pragma once

#include "model/chunkresult.h"
#include "model/jsonscan.h"

#include <atomic>
#include <string_view>

namespace rw {

// Splits one slice of a JSONL file into lines and indexes each: blank lines
// are skipped, hostile lines (too long, too deep, NUL bytes, bad encoding) are
// reported and kept as raw records, the rest go through LineParser.
//
// `file` is the whole file (for offsets and the "last line" test); the slice is
// [begin, end) and starts at a line start.
// `primary` is the format of the file's first record: a line of the other
// format (a run document in an interceptor log, or the reverse) is read as
// what it is, with a MIXED_FORMAT finding.
void indexChunk(std::string_view file, std::size_t begin, std::size_t end, const LoadLimits& limits,
                ChunkResult& out, const std::atomic<bool>* cancel, Format primary = Format::Interceptor);

// The format of the first non-blank line of a JSONL file, by its structure.
Format firstRecordFormat(std::string_view file, const LoadLimits& limits);



} // namespace rw
