#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
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

// The fields of one index entry the verifier reads, each absent when missing
// or of another type (a hostile index has the wrong types in the right places).
// Compact: an index has millions of entries.
class IndexEntry
{
public:
    enum Field : std::uint8_t { Bytes, RecordOffset, Source, ByteOffset, FieldCount };
    std::optional<std::uint64_t> get(Field f) const
    {
        return m_valid & (1u << f) ? std::optional<std::uint64_t>(m_values[f]) : std::nullopt;
    }
    void set(Field f, std::optional<std::uint64_t> v);
    bool hasRecordOffsetKey() const { return m_recordOffsetKey; } // present, whatever its type
    void markRecordOffsetKey() { m_recordOffsetKey = true; }
    // whether `sha256` is a string of exactly these 64 characters
    bool sha256Is(std::string_view hex) const { return m_hasSha && hex == std::string_view(m_sha.data(), m_sha.size()); }
    void setSha256(std::optional<std::string_view> hex);

private:
    std::array<std::uint64_t, FieldCount> m_values{};
    std::array<char, 64> m_sha{};
    std::uint8_t m_valid = 0;
    bool m_hasSha = false;
    bool m_recordOffsetKey = false;
};

// audit/index.json as columns: a list of values, each fully validated JSON,
// nesting at most `maxDepth`. Each entry is parsed on its own with one small
// parser: an index of millions of entries is read in about the time it takes
// to hash it, without a tree of it in memory (one took minutes). nullopt when
// it is not a JSON list; an entry that is not an object has no fields.
std::optional<std::vector<IndexEntry>> readIndex(std::string_view text, std::size_t maxDepth = 64);

RecordSlices sliceRecords(std::string_view member, const std::vector<IndexEntry>& index, bool offsetsRequired);

// One entry of audit/index.json, canonical JSON (the same bytes canonicalJson
// gives), appended to `out`; `traceIdJson` is indexTraceIdJson(trace id),
// escaped once per trace, and `recordSha256` the record's 64 hex digits.
std::string indexTraceIdJson(const std::string& traceId);
void appendIndexEntry(std::string& out, std::size_t line, std::string_view traceIdJson, std::size_t source,
                      std::uint64_t sourceLine, std::uint64_t byteOffset, std::uint64_t recordOffset, std::uint64_t recordBytes,
                      std::string_view recordSha256);

// A lower bound of one index entry's size, for the limits checked before an export.
std::size_t indexEntryMinBytes(std::string_view traceId);

} // namespace rw
