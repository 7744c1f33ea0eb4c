#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace rw {

// audit/lines.jsonl holds each exported record's exact bytes, each followed
// by one LF. A record may itself span lines (a step of a pretty-printed run
// trace), so the member is never split on LF: audit/index.json gives every
// record's `record_offset` and length (`bytes`) in it, and the records must
// tile the member exactly (no byte before, between or after them besides the
// one LF each). Format 1 had no record_offset: the running position is used.
struct RecordSlices
{
    std::vector<std::string_view> records; // one per index entry, when no problem
    std::string problem;                   // what does not fit, or empty
};
RecordSlices sliceRecords(std::string_view member, const nlohmann::json& index, bool offsetsRequired);

// One entry of audit/index.json, canonical JSON.
std::string indexEntryJson(std::size_t line, const std::string& traceId, std::size_t source, std::uint64_t sourceLine,
                           std::uint64_t byteOffset, std::uint64_t recordOffset, std::string_view record);

// A lower bound of one index entry's size, for the limits checked before an export.
std::size_t indexEntryMinBytes(std::string_view traceId);

} // namespace rw
