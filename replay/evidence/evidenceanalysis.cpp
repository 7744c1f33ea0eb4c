#include "replay/evidence/evidenceanalysis.h"

#include "model/jsonscan.h"
#include <algorithm>

#include <map>
#include <set>
#include <unordered_map>

namespace rw {

namespace {

using Json = nlohmann::json;

void add(VerifyReport& r, std::string item, CheckStatus status, std::string detail)
{
    r.items.push_back({std::move(item), status, std::move(detail), CheckHint::None});
}

std::string text(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::uint64_t> count(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_number_unsigned() ? std::optional<std::uint64_t>(it->get<std::uint64_t>()) : std::nullopt;
}

// every configuration file the report names: {sha256 -> path}
std::map<std::string, std::string> namedFiles(const Json& config)
{
    std::map<std::string, std::string> files;
    const auto one = [&](const Json& source) {
        if (source.is_object() && !text(source, "sha256").empty())
            files.emplace(text(source, "sha256"), text(source, "path"));
    };
    if (!config.is_object())
        return files;
    for (const char* key : {"profile", "exfil"})
        if (config.contains(key))
            one(config[key]);
    for (const char* key : {"behaviour", "sequence_profiles"})
        if (config.contains(key) && config[key].is_array())
            for (const Json& source : config[key])
                one(source);
    return files;
}

struct RecordKey
{
    std::uint64_t source, offset, length;
    bool operator==(const RecordKey& o) const { return source == o.source && offset == o.offset && length == o.length; }
};
struct RecordKeyHash
{
    std::size_t operator()(const RecordKey& k) const
    {
        return std::hash<std::uint64_t>()(k.source * 0x9E3779B97F4A7C15ull ^ k.offset * 31 ^ k.length);
    }
};

// what the witness's pointer finds in the record, as the witness words it
// (a string as its text, anything else as compact JSON); nullopt when the
// record is not JSON or the pointer finds nothing
std::optional<std::string> pointed(std::string_view record, const std::string& pointer)
{
    if (jsonNestingDepth(record, 65) > 64)
        return std::nullopt;
    const Json j = Json::parse(record, nullptr, false);
    if (j.is_discarded())
        return std::nullopt;
    try {
        const Json& at = j.at(Json::json_pointer(pointer));
        return at.is_string() ? at.get<std::string>() : at.dump();
    } catch (const Json::exception&) {
        return std::nullopt;
    }
}

} // namespace

void checkBundleAnalysis(VerifyReport& r, const BundleRead& bundle, const Json& manifest,
                         const std::vector<IndexEntry>* index, const std::vector<std::string_view>* records)
{
    // the configuration members, with their hashes (checked against the manifest by the member items)
    std::map<std::string, MemberDigest> configMembers;
    for (const BundleEntry& e : bundle.entries)
        if (e.name.rfind(kAnalysisConfigPrefix, 0) == 0)
            configMembers.emplace(e.name, bundle.digest(e));
    const BundleEntry* reportEntry = bundle.find(kAnalysisReportMember);
    if (!reportEntry && configMembers.empty())
        return; // no analysis in this bundle
    if (!reportEntry) {
        add(r, "analysis report", CheckStatus::Fail, "analysis/config/ members without analysis/report.json");
        return;
    }
    const std::string& bytes = reportEntry->bytes;
    Json report = bytes.size() <= (512u << 20) && jsonNestingDepth(bytes, 65) <= 64 ? Json::parse(bytes, nullptr, false)
                                                                                     : Json(Json::value_t::discarded);
    if (report.is_discarded() || !report.is_object() || text(report, "schema") != kAnalysisSchema ||
        count(report, "version") != std::optional<std::uint64_t>(1) || !report.contains("runs") ||
        !report["runs"].is_array() || !report.contains("config") || !report["config"].is_object()) {
        add(r, "analysis report", CheckStatus::Fail,
            std::string("analysis/report.json is not an analysis report (") + kAnalysisSchema + ", version 1)");
        return;
    }

    // the witnesses, and the records they name
    struct Seen
    {
        std::string anomaly, file, sha256, pointer, value;
        std::uint64_t offset = 0, length = 0;
    };
    std::vector<Seen> witnesses;
    std::size_t anomalies = 0;
    for (const Json& run : report["runs"]) {
        if (!run.is_object() || !run.contains("anomalies") || !run["anomalies"].is_array())
            continue;
        for (const Json& a : run["anomalies"]) {
            ++anomalies;
            if (!a.is_object() || !a.contains("witness") || !a["witness"].is_array())
                continue;
            for (const Json& w : a["witness"])
                if (w.is_object())
                    witnesses.push_back({text(a, "anomaly_id"), text(w, "file"), text(w, "sha256"), text(w, "pointer"),
                                         text(w, "value"), count(w, "offset").value_or(UINT64_MAX),
                                         count(w, "length").value_or(UINT64_MAX)});
                else
                    witnesses.push_back({text(a, "anomaly_id"), {}, {}, {}, {}, UINT64_MAX, UINT64_MAX});
        }
    }
    add(r, "analysis report", CheckStatus::Pass,
        std::to_string(report["runs"].size()) + " runs, " + std::to_string(anomalies) + " anomalies, " +
            std::to_string(witnesses.size()) + " witnesses");

    // the configuration: the files the report names, exactly those, by hash
    const std::map<std::string, std::string> named = namedFiles(report["config"]);
    std::set<std::string> present;
    std::string problem;
    for (const auto& [name, digest] : configMembers) {
        present.insert(digest.sha256);
        if (!named.count(digest.sha256) && problem.empty())
            problem = name + " is not a file the analysis names (SHA-256 " + digest.sha256 + ")";
    }
    for (const auto& [sha, path] : named)
        if (!present.count(sha) && problem.empty())
            problem = "the analysis names " + path + " (SHA-256 " + sha + "), which the bundle does not hold";
    add(r, "analysis configuration", problem.empty() ? CheckStatus::Pass : CheckStatus::Fail,
        problem.empty() ? std::to_string(configMembers.size()) + (configMembers.size() == 1 ? " file" : " files") +
                              ", each the one the analysis names"
                        : problem);

    // the witnesses: each an exported record, at its offset, holding its value
    if (!index || !records || records->size() != index->size()) {
        add(r, "analysis witnesses", witnesses.empty() ? CheckStatus::Pass : CheckStatus::Fail,
            witnesses.empty() ? "no witnesses" : "the exported lines cannot be read: no witness can be checked");
        return;
    }
    const auto sourcesIt = manifest.find("sources");
    const Json sources = sourcesIt != manifest.end() && sourcesIt->is_array() ? *sourcesIt : Json::array();
    std::unordered_map<RecordKey, std::size_t, RecordKeyHash> needed;
    for (const Seen& w : witnesses)
        for (std::size_t s = 0; s < sources.size(); ++s)
            if (!w.sha256.empty() && text(sources[s], "sha256") == w.sha256)
                needed.emplace(RecordKey{s, w.offset, w.length}, SIZE_MAX);
    for (std::size_t i = 0; i < index->size(); ++i) {
        const IndexEntry& e = (*index)[i];
        const auto source = e.get(IndexEntry::Source), offset = e.get(IndexEntry::ByteOffset), length = e.get(IndexEntry::Bytes);
        if (!source || !offset || !length)
            continue;
        if (const auto it = needed.find(RecordKey{*source, *offset, *length}); it != needed.end() && it->second == SIZE_MAX)
            it->second = i;
    }
    std::size_t bad = 0;
    std::string first;
    const auto fail = [&](const Seen& w, const std::string& why) {
        if (bad++ == 0)
            first = "anomaly " + w.anomaly + ": " + why;
    };
    for (const Seen& w : witnesses) {
        std::size_t record = SIZE_MAX;
        for (std::size_t s = 0; s < sources.size() && record == SIZE_MAX; ++s)
            if (!w.sha256.empty() && text(sources[s], "sha256") == w.sha256)
                if (const auto it = needed.find(RecordKey{s, w.offset, w.length}); it != needed.end())
                    record = it->second;
        if (record == SIZE_MAX) {
            // a witness in a configuration file (a sequence profile's entry): inside that member
            const auto config = std::find_if(configMembers.begin(), configMembers.end(),
                                             [&](const auto& m) { return m.second.sha256 == w.sha256; });
            if (config != configMembers.end() && w.offset <= config->second.bytes &&
                w.length <= config->second.bytes - w.offset)
                continue;
            fail(w, "its witness (" + w.file + ", byte " + std::to_string(w.offset) + ", " + std::to_string(w.length) +
                        " bytes) is not among the exported records");
            continue;
        }
        if (w.pointer.empty())
            continue; // the record itself is the witness: its bytes are checked against the index's hash
        const std::optional<std::string> value = pointed((*records)[record], w.pointer);
        if (!value)
            fail(w, "the exported record at byte " + std::to_string(w.offset) + " has nothing at " + w.pointer);
        else if (!w.value.empty() && *value != w.value)
            fail(w, "the exported record at byte " + std::to_string(w.offset) + " holds '" + *value + "' at " + w.pointer +
                        ", the witness '" + w.value + "'");
    }
    add(r, "analysis witnesses", bad ? CheckStatus::Fail : CheckStatus::Pass,
        bad ? std::to_string(bad) + " of " + std::to_string(witnesses.size()) + " witnesses do not hold; first: " + first
            : std::to_string(witnesses.size()) + " witnesses found in the exported records, each with its value");
}

} // namespace rw
