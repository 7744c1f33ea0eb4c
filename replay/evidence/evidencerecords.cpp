#include "replay/evidence/evidencerecords.h"

#include "model/jsonscan.h"
#include "model/sourcefile.h"
#include "replay/evidence/evidencebundle.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

namespace rw {

void IndexEntry::set(Field f, std::optional<std::uint64_t> v)
{
    m_values[f] = v.value_or(0);
    m_valid = static_cast<std::uint8_t>(v ? m_valid | (1u << f) : m_valid & ~(1u << f));
}

void IndexEntry::setSha256(std::optional<std::string_view> hex)
{
    m_hasSha = hex && hex->size() == m_sha.size();
    if (m_hasSha)
        std::copy(hex->begin(), hex->end(), m_sha.begin());
}

namespace {

// End of the list element starting at `begin`: the first comma or closing
// bracket outside strings and nested values. The element itself is validated
// by the JSON parser; this only has to find where it stops.
std::size_t elementEnd(std::string_view s, std::size_t begin)
{
    std::size_t depth = 0;
    for (std::size_t i = begin; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"') {
            // to the closing quote: one not preceded by an odd run of backslashes
            for (;;) {
                const void* q = std::memchr(s.data() + i + 1, '"', s.size() - i - 1);
                if (!q)
                    return std::string_view::npos;
                i = static_cast<std::size_t>(static_cast<const char*>(q) - s.data());
                std::size_t slashes = 0;
                while (s[i - 1 - slashes] == '\\')
                    ++slashes;
                if (slashes % 2 == 0)
                    break;
            }
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return i;
            --depth;
        } else if (c == ',' && depth == 0) {
            return i;
        }
    }
    return std::string_view::npos;
}

bool readEntry(simdjson::dom::parser& parser, std::string_view text, IndexEntry& e)
{
    simdjson::dom::element value;
    if (parser.parse(text.data(), text.size()).get(value) != simdjson::SUCCESS)
        return false;
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return true; // valid JSON, but no fields: the slicing says which entry
    // every field in order, so a repeated key ends with its last value, as in
    // the other JSON readers of the verifier
    for (const simdjson::dom::key_value_pair field : object) {
        auto unsignedValue = [&]() -> std::optional<std::uint64_t> {
            // integers only: 5.0 and -1 are not lengths or offsets
            std::uint64_t v = 0;
            if (!field.value.is_uint64() && !field.value.is_int64())
                return std::nullopt;
            return field.value.get_uint64().get(v) == simdjson::SUCCESS ? std::optional<std::uint64_t>(v) : std::nullopt;
        };
        const std::string_view key = field.key;
        if (key == "bytes") {
            e.set(IndexEntry::Bytes, unsignedValue());
        } else if (key == "record_offset") {
            e.set(IndexEntry::RecordOffset, unsignedValue());
            e.markRecordOffsetKey();
        } else if (key == "source") {
            e.set(IndexEntry::Source, unsignedValue());
        } else if (key == "byte_offset") {
            e.set(IndexEntry::ByteOffset, unsignedValue());
        } else if (key == "sha256") {
            std::string_view v;
            e.setSha256(field.value.get_string().get(v) == simdjson::SUCCESS ? std::optional<std::string_view>(v) : std::nullopt);
        }
    }
    return true;
}

} // namespace

std::optional<std::vector<IndexEntry>> readIndex(std::string_view text, std::size_t maxDepth)
{
    if (maxDepth < 2)
        return std::nullopt;
    // one parser for every entry: its buffers are allocated once, for the largest entry
    simdjson::dom::parser parser;
    if (parser.allocate(4096, maxDepth - 1) != simdjson::SUCCESS)
        return std::nullopt;
    std::size_t i = skipJsonSpace(text, 0);
    if (i >= text.size() || text[i] != '[')
        return std::nullopt;
    std::vector<IndexEntry> out;
    out.reserve(text.size() / 160); // about the size of one of our entries
    i = skipJsonSpace(text, i + 1);
    if (i < text.size() && text[i] == ']') {
        i = skipJsonSpace(text, i + 1);
        return i == text.size() ? std::optional(std::move(out)) : std::nullopt;
    }
    std::size_t end = i;
    while (true) {
        end = elementEnd(text, i);
        // an element ends at a comma or at the list's closing bracket, nothing else
        if (end == std::string_view::npos || (text[end] != ',' && text[end] != ']'))
            return std::nullopt;
        IndexEntry e;
        if (!readEntry(parser, text.substr(i, end - i), e))
            return std::nullopt;
        out.push_back(e);
        if (text[end] == ']')
            break;
        i = end + 1;
    }
    // only whitespace may follow the closing bracket
    const std::size_t close = end + 1;
    return skipJsonSpace(text, close) == text.size() ? std::optional(std::move(out)) : std::nullopt;
}

RecordSlices sliceRecords(std::string_view member, const std::vector<IndexEntry>& index, bool offsetsRequired)
{
    RecordSlices out;
    out.records.reserve(index.size());
    std::uint64_t at = 0;
    for (std::size_t i = 0; i < index.size(); ++i) {
        const IndexEntry& e = index[i];
        auto which = [&] { return "index entry " + std::to_string(i + 1); };
        const std::optional<std::uint64_t> bytes = e.get(IndexEntry::Bytes), recordOffset = e.get(IndexEntry::RecordOffset);
        if (!bytes) {
            out.problem = which() + " has no length (bytes)";
            break;
        }
        const std::uint64_t length = *bytes;
        if (e.hasRecordOffsetKey() && !recordOffset) {
            out.problem = which() + ": record_offset is not a number";
            break;
        }
        if (!e.hasRecordOffsetKey() && offsetsRequired) {
            out.problem = which() + " has no record_offset";
            break;
        }
        const std::uint64_t offset = recordOffset.value_or(at);
        if (offset != at) {
            out.problem = which() + " starts at byte " + std::to_string(offset) + " of audit/lines.jsonl, the record before it ends at " +
                          std::to_string(at);
            break;
        }
        if (length >= member.size() - std::min<std::uint64_t>(member.size(), offset) || member[offset + length] != '\n') {
            out.problem = which() + " does not end where its length says (no line break after " + std::to_string(length) + " bytes)";
            break;
        }
        out.records.push_back(member.substr(offset, length));
        at = offset + length + 1;
    }
    if (out.problem.empty() && at != member.size())
        out.problem = std::to_string(member.size() - at) + " bytes of audit/lines.jsonl after the last indexed record";
    if (!out.problem.empty())
        out.records.clear();
    return out;
}

std::string indexTraceIdJson(const std::string& traceId)
{
    return canonicalJson(nlohmann::json(traceId));
}

void appendIndexEntry(std::string& out, std::size_t line, std::string_view traceIdJson, std::size_t source,
                      std::uint64_t sourceLine, std::uint64_t byteOffset, std::uint64_t recordOffset, std::uint64_t recordBytes,
                      std::string_view recordSha256)
{
    // written directly, in the key order of canonicalJson (sorted): a JSON
    // object per record made exports of millions of records take minutes
    auto number = [&out](const char* key, std::uint64_t v) {
        out += key;
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
        out.append(digits, static_cast<std::size_t>(end - digits));
    };
    number("{\"byte_offset\":", byteOffset);
    number(",\"bytes\":", recordBytes);
    number(",\"line\":", line);
    number(",\"record_offset\":", recordOffset);
    out += ",\"sha256\":\"";
    out.append(recordSha256.data(), recordSha256.size());
    number("\",\"source\":", source);
    number(",\"source_line\":", sourceLine);
    out += ",\"trace_id\":";
    out.append(traceIdJson.data(), traceIdJson.size());
    out += '}';
}

std::size_t indexEntryMinBytes(std::string_view traceId)
{
    // the field names, the 64 hex digits, one digit per number, the separator
    return 170 + traceId.size();
}

} // namespace rw
