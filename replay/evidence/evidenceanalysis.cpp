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
// (`unhashed`: a file named by path without its SHA-256, or a source that is no object)
std::map<std::string, std::string> namedFiles(const Json& config, bool& unhashed)
{
    std::map<std::string, std::string> files;
    const auto one = [&](const Json& source) {
        const bool builtIn = source.is_object() && source.contains("built_in");
        if (!source.is_object() || (!builtIn && text(source, "sha256").size() != 64))
            unhashed = true;
        else if (!builtIn)
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
    // the keys come from a hostile report: mixed (splitmix64), never the identity
    static std::uint64_t mix(std::uint64_t x)
    {
        x += 0x9E3779B97F4A7C15ull;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        return x ^ (x >> 31);
    }
    std::size_t operator()(const RecordKey& k) const
    {
        return static_cast<std::size_t>(mix(mix(mix(k.source) ^ k.offset) ^ k.length));
    }
};

// a record parsed once for all the witnesses in it (discarded when it is no JSON)
Json parsedRecord(std::string_view record)
{
    if (jsonNestingDepth(record, 65) > 64)
        return Json(Json::value_t::discarded);
    return Json::parse(record, nullptr, false);
}

// what the witness's pointer finds in the record, as the witness words it
// (a string as its text, anything else as compact JSON); nullopt when the
// record is not JSON or the pointer finds nothing
std::optional<std::string> pointed(const Json& j, const std::string& pointer)
{
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
    Json report = bytes.size() <= kMaxAnalysisReportBytes && jsonNestingDepth(bytes, 65) <= 64
                      ? Json::parse(bytes, nullptr, false)
                      : Json(Json::value_t::discarded);
    if (report.is_discarded() || !report.is_object() || text(report, "schema") != kAnalysisSchema ||
        count(report, "version") != std::optional<std::uint64_t>(1) || !report.contains("runs") ||
        !report["runs"].is_array() || !report.contains("config") || !report["config"].is_object()) {
        add(r, "analysis report", CheckStatus::Fail,
            std::string("analysis/report.json is not an analysis report (") + kAnalysisSchema + ", version 1)");
        return;
    }

    // the witnesses, and the records they name: every anomaly has its list,
    // every witness its fields with their types (a report that leaves one out
    // claims what nothing checks)
    struct Seen
    {
        std::string anomaly, file, sha256, pointer, value;
        std::uint64_t offset = 0, length = 0;
        bool complete = false;
    };
    std::vector<Seen> witnesses;
    std::size_t anomalies = 0, shapeless = 0;
    for (const Json& run : report["runs"]) {
        if (!run.is_object() || !run.contains("anomalies") || !run["anomalies"].is_array()) {
            ++shapeless;
            continue;
        }
        for (const Json& a : run["anomalies"]) {
            ++anomalies;
            if (!a.is_object() || !a.contains("witness") || !a["witness"].is_array() || a["witness"].empty()) {
                ++shapeless;
                continue;
            }
            for (const Json& w : a["witness"]) {
                if (witnesses.size() >= kMaxAnalysisWitnesses)
                    break;
                Seen seen{text(a, "anomaly_id"), {}, {}, {}, {}, 0, 0, false};
                if (w.is_object()) {
                    seen = {text(a, "anomaly_id"), text(w, "file"), text(w, "sha256"), text(w, "pointer"), text(w, "value"),
                            count(w, "offset").value_or(UINT64_MAX), count(w, "length").value_or(UINT64_MAX), false};
                    seen.complete = w.contains("pointer") && w["pointer"].is_string() && w.contains("value") &&
                                    w["value"].is_string() && seen.sha256.size() == 64 && seen.offset != UINT64_MAX &&
                                    seen.length != UINT64_MAX;
                }
                witnesses.push_back(std::move(seen));
            }
        }
    }
    if (witnesses.size() >= kMaxAnalysisWitnesses) {
        add(r, "analysis report", CheckStatus::Fail,
            "more than " + std::to_string(kMaxAnalysisWitnesses) + " witnesses: not a report this tool writes");
        return;
    }
    add(r, "analysis report", shapeless ? CheckStatus::Fail : CheckStatus::Pass,
        shapeless ? std::to_string(shapeless) + " runs or anomalies without their anomalies or witnesses"
                  : std::to_string(report["runs"].size()) + " runs, " + std::to_string(anomalies) + " anomalies, " +
                        std::to_string(witnesses.size()) + " witnesses");

    // the configuration: the files the report names, exactly those, by hash
    bool unhashed = false;
    const std::map<std::string, std::string> named = namedFiles(report["config"], unhashed);
    std::set<std::string> present;
    std::string problem = unhashed ? "the analysis names a configuration file without its SHA-256" : std::string();
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
    // the sources by hash, once (a report may name millions of witnesses)
    std::unordered_map<std::string, std::vector<std::uint64_t>> sourcesOf;
    if (const auto it = manifest.find("sources"); it != manifest.end() && it->is_array())
        for (std::size_t i = 0; i < it->size(); ++i)
            sourcesOf[text((*it)[i], "sha256")].push_back(i);
    std::unordered_map<RecordKey, std::size_t, RecordKeyHash> needed;
    for (const Seen& w : witnesses)
        if (const auto it = sourcesOf.find(w.sha256); w.complete && it != sourcesOf.end())
            for (const std::uint64_t source : it->second)
                needed.emplace(RecordKey{source, w.offset, w.length}, SIZE_MAX);
    for (std::size_t i = 0; i < index->size() && !needed.empty(); ++i) {
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
    std::unordered_map<std::size_t, Json> parsed; // each witnessed record parsed once
    for (const Seen& w : witnesses) {
        if (!w.complete) {
            fail(w, "a witness without its file hash, byte range, pointer or value");
            continue;
        }
        std::size_t record = SIZE_MAX;
        if (const auto it = sourcesOf.find(w.sha256); it != sourcesOf.end())
            for (const std::uint64_t source : it->second)
                if (const auto at = needed.find(RecordKey{source, w.offset, w.length}); at != needed.end() && record == SIZE_MAX)
                    record = at->second;
        if (record == SIZE_MAX) {
            // a witness in a configuration file (a sequence profile's entry): the file the
            // report names under that hash, the range inside its member
            const auto config = std::find_if(configMembers.begin(), configMembers.end(),
                                             [&](const auto& m) { return m.second.sha256 == w.sha256; });
            const auto name = named.find(w.sha256);
            if (config != configMembers.end() && name != named.end() && name->second == w.file &&
                w.offset <= config->second.bytes && w.length <= config->second.bytes - w.offset)
                continue;
            fail(w, "its witness (" + w.file + ", byte " + std::to_string(w.offset) + ", " + std::to_string(w.length) +
                        " bytes) is not among the exported records");
            continue;
        }
        if (w.pointer.empty())
            continue; // the record itself is the witness: its bytes are checked against the index's hash
        auto cached = parsed.find(record);
        if (cached == parsed.end())
            cached = parsed.emplace(record, parsedRecord((*records)[record])).first;
        const std::optional<std::string> value = pointed(cached->second, w.pointer);
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
