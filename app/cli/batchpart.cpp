#include "app/cli/batchpart.h"

#include "app/cli/governancejson.h"
#include "app/cli/runrowwriter.h"
#include "model/jsonscan.h"
#include "model/jsonvalidate.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace rw {

using Json = nlohmann::ordered_json;

namespace {

std::string compact(const Json& j)
{
    return j.dump(-1, ' ', true, Json::error_handler_t::replace);
}

} // namespace

BatchPart newBatchPart(const Json& config)
{
    BatchPart part;
    Json& h = part.header;
    h["schema"] = kBatchPartSchema;
    h["version"] = 1;
    h["tool"] = {{"name", "aisecops-replay"}, {"version", RW_VERSION}};
    h["config"] = config;
    h["files"] = Json::array();
    h["problems"] = Json::array();
    h["inputs"] = Json::array();
    h["metrics"] = Json::array();
    return part;
}

void emitBatchPart(const BatchPart& part, const std::function<void(std::string_view)>& sink)
{
    if (part.governance.rows.empty()) {
        sink(compact(part.header) + '\n');
    } else {
        Json header = part.header;
        header["metrics"] = governanceRowsJson(part.governance);
        sink(compact(header) + '\n');
    }
    std::string facts;
    for (const BatchRun& r : part.runs) {
        // the facts first, so a merge reads them without parsing the row
        facts.clear();
        appendRunFacts(facts, r.facts);
        facts += '\n';
        sink(facts);
        sink(r.row);
        sink("\n");
    }
}

std::string batchPartText(const BatchPart& part)
{
    std::string out;
    emitBatchPart(part, [&](std::string_view piece) { out += piece; });
    return out;
}

std::optional<BatchPart> readBatchPart(const std::string& path, std::string& error)
{
    constexpr std::uint64_t kMaxBytes = 8ull << 30;
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        error = ec.message();
        return std::nullopt;
    }
    if (size > kMaxBytes) {
        error = "larger than 8 GiB: not a part this tool wrote";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot be read";
        return std::nullopt;
    }
    // no row of ours comes near this; a longer line is no part, and is never held whole
    constexpr std::size_t kMaxLine = 256u << 20;
    BatchPart part;
    std::string line;
    std::size_t number = 0;
    RunFacts facts;
    std::vector<char> block(1 << 20);
    std::size_t at = 0, filled = 0;
    bool eof = false;
    // the next line into `line`, false at the end; a line over kMaxLine is an error
    const auto nextLine = [&]() -> bool {
        line.clear();
        while (true) {
            if (at == filled) {
                if (eof)
                    return !line.empty();
                in.read(block.data(), static_cast<std::streamsize>(block.size()));
                filled = static_cast<std::size_t>(in.gcount());
                at = 0;
                eof = filled < block.size();
                if (filled == 0)
                    return !line.empty();
            }
            const char* start = block.data() + at;
            const auto* nl = static_cast<const char*>(std::memchr(start, '\n', filled - at));
            const std::size_t take = nl ? static_cast<std::size_t>(nl - start) : filled - at;
            // the header lists every input of the part: it may be longer than any row
            if (line.size() + take > (number == 0 ? 4 * kMaxLine : kMaxLine))
                throw std::length_error("line");
            line.append(start, take);
            at += take + (nl ? 1 : 0);
            if (nl)
                return true;
        }
    };
    while (true) {
        try {
            if (!nextLine())
                break;
        } catch (const std::length_error&) {
            error = "line " + std::to_string(number + 1) + ": longer than 256 MiB: not a part this tool wrote";
            return std::nullopt;
        }
        ++number;
        const auto where = [&] { return "line " + std::to_string(number) + ": "; };
        // a run is two lines: its facts (read), then its row (kept as text, checked to be an object)
        const bool row = number > 1 && number % 2 == 1;
        if (row) {
            // copied into the report as it is: it must be one JSON object and nothing else
            // (simdjson for rows of ours, some KiB; a longer row through nlohmann's
            // accept, whose memory does not grow with the text as a DOM's does)
            constexpr std::size_t kSimdjsonRow = 16u << 20;
            if (line.empty() || line.front() != '{' || jsonNestingDepth(line, 33) > 32 ||
                !(line.size() <= kSimdjsonRow ? isJsonObjectText(line, 64) : Json::accept(line))) {
                error = where() + "not a run row: not a part this tool wrote";
                return std::nullopt;
            }
            part.runs.push_back({std::move(line), std::move(facts)});
            continue;
        }
        if (jsonNestingDepth(line, 33) > 32) {
            error = where() + "nested deeper than 32 levels: not a part this tool wrote";
            return std::nullopt;
        }
        Json value = Json::parse(line, nullptr, false);
        if (value.is_discarded() || !value.is_object()) {
            error = where() + "not a JSON object: not a part this tool wrote";
            return std::nullopt;
        }
        if (number == 1) {
            part.header = std::move(value);
            // the metrics summed as counts (and checked) once, here; the header keeps its shape
            if (const auto metrics = part.header.find("metrics"); metrics != part.header.end()) {
                part.governance = governanceFromJson(*metrics);
                *metrics = Json::array();
            }
        }
        else
            facts = factsFromJson(value);
    }
    if (in.bad()) {
        error = "could not be read to its end";
        return std::nullopt;
    }
    if (number == 0) {
        error = "empty: not a part this tool wrote";
        return std::nullopt;
    }
    if (number % 2 == 0) {
        error = "line " + std::to_string(number) + ": a run's facts without its row: the part is cut short";
        return std::nullopt;
    }
    return part;
}

} // namespace rw
