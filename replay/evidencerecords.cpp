#include "evidencerecords.h"

#include "evidencebundle.h"
#include "sourcefile.h"

#include <algorithm>
#include <optional>

namespace rw {

RecordSlices sliceRecords(std::string_view member, const nlohmann::json& index, bool offsetsRequired)
{
    RecordSlices out;
    if (!index.is_array()) {
        out.problem = "audit/index.json is not a list";
        return out;
    }
    out.records.reserve(index.size());
    std::uint64_t at = 0;
    for (std::size_t i = 0; i < index.size(); ++i) {
        const nlohmann::json& e = index[i];
        const std::string which = "index entry " + std::to_string(i + 1);
        const auto length = e.is_object() && e.contains("bytes") && e["bytes"].is_number_unsigned()
                                ? std::optional<std::uint64_t>(e["bytes"].get<std::uint64_t>())
                                : std::nullopt;
        if (!length) {
            out.problem = which + " has no length (bytes)";
            break;
        }
        const bool hasOffset = e.contains("record_offset");
        if (hasOffset && !e["record_offset"].is_number_unsigned()) {
            out.problem = which + ": record_offset is not a number";
            break;
        }
        if (!hasOffset && offsetsRequired) {
            out.problem = which + " has no record_offset";
            break;
        }
        const std::uint64_t offset = hasOffset ? e["record_offset"].get<std::uint64_t>() : at;
        if (offset != at) {
            out.problem = which + " starts at byte " + std::to_string(offset) + " of audit/lines.jsonl, the record before it ends at " +
                          std::to_string(at);
            break;
        }
        if (*length >= member.size() - std::min<std::uint64_t>(member.size(), offset) || member[offset + *length] != '\n') {
            out.problem = which + " does not end where its length says (no line break after " + std::to_string(*length) + " bytes)";
            break;
        }
        out.records.push_back(member.substr(offset, *length));
        at = offset + *length + 1;
    }
    if (out.problem.empty() && at != member.size())
        out.problem = std::to_string(member.size() - at) + " bytes of audit/lines.jsonl after the last indexed record";
    if (!out.problem.empty())
        out.records.clear();
    return out;
}

std::string indexEntryJson(std::size_t line, const std::string& traceId, std::size_t source, std::uint64_t sourceLine,
                           std::uint64_t byteOffset, std::uint64_t recordOffset, std::string_view record)
{
    return canonicalJson({{"line", line},
                          {"trace_id", traceId},
                          {"source", source},
                          {"source_line", sourceLine},
                          {"byte_offset", byteOffset},
                          {"record_offset", recordOffset},
                          {"bytes", record.size()},
                          {"sha256", sha256Hex(record)}});
}

std::size_t indexEntryMinBytes(std::string_view traceId)
{
    // the field names, the 64 hex digits, one digit per number, the separator
    return 170 + traceId.size();
}

} // namespace rw
