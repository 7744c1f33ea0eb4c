#include "replay/evidence/evidencecustody.h"

#include "model/eventjson.h"
#include "replay/evidence/evidencebundle.h"

#include <optional>
#include <stdexcept>

namespace rw {

namespace {

std::optional<nlohmann::json> parseEntry(const std::string& bytes)
{
    if (bytes.size() > (1u << 20))
        return std::nullopt;
    return parseJsonValue(bytes, 8); // an entry is one flat object
}

std::string quoted(const std::string& key) { return "\"" + key + "\""; }

// What differs between an entry and what it must be, in words.
std::string difference(const nlohmann::json& actual, const nlohmann::json& expected)
{
    for (auto it = actual.begin(); it != actual.end(); ++it)
        if (!expected.contains(it.key()))
            return "has a field the custody format does not define: " + quoted(it.key());
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (!actual.contains(it.key()))
            return "lacks the field " + quoted(it.key());
        if (actual[it.key()] != it.value())
            return it.key() == "prev_sha256" ? "breaks the hash chain" : "has another " + quoted(it.key()) + " than the signed manifest records";
    }
    return "is not in canonical form";
}

} // namespace

nlohmann::json exportCustodyClaims(const std::string& tool, const std::string& version, const std::string& createdAt,
                                   const std::string& examiner, std::size_t traces)
{
    return {{"action", "export"}, {"at", createdAt}, {"by", examiner}, {"tool", tool + " " + version}, {"traces", traces}};
}

std::string expectedExportEntry(const nlohmann::json& manifest, const std::string& manifestSha256)
{
    if (!manifest.is_object())
        return {};
    nlohmann::json claims;
    const auto recorded = manifest.find("custody_export");
    if (recorded != manifest.end()) {
        if (!recorded->is_object() || recorded->contains("prev_sha256"))
            return {};
        claims = *recorded;
    } else {
        // format 1: the export entry repeated these manifest fields
        const auto tool = manifest.find("tool");
        const auto created = manifest.find("created_at");
        const auto examiner = manifest.find("examiner");
        const auto selection = manifest.find("selection");
        if (tool == manifest.end() || !tool->is_object() || !tool->contains("name") || !(*tool)["name"].is_string() ||
            !tool->contains("version") || !(*tool)["version"].is_string() || created == manifest.end() || !created->is_string() ||
            examiner == manifest.end() || !examiner->is_string() || selection == manifest.end() || !selection->is_object() ||
            !selection->contains("trace_ids") || !(*selection)["trace_ids"].is_array())
            return {};
        claims = exportCustodyClaims((*tool)["name"].get<std::string>(), (*tool)["version"].get<std::string>(),
                                     created->get<std::string>(), examiner->get<std::string>(), (*selection)["trace_ids"].size());
    }
    claims["prev_sha256"] = manifestSha256;
    return canonicalJson(claims);
}

std::string custodyEntryProblem(const std::string& name, const std::string& bytes, std::size_t n,
                                const nlohmann::json& manifest, const std::string& manifestSha256, const std::string& prevSha256)
{
    const auto entry = parseEntry(bytes);
    if (!entry || !entry->is_object())
        return name + " is not a JSON object";
    if (n == 1) {
        const std::string expected = expectedExportEntry(manifest, manifestSha256);
        if (expected.empty())
            return name + ": the manifest does not record the export entry (custody_export)";
        if (bytes == expected)
            return {};
        return name + " " + difference(*entry, nlohmann::json::parse(expected)) + " (the export entry is bound to the signed manifest)";
    }
    // a recorded verification: exactly these fields, all strings, canonical
    nlohmann::json shape = nlohmann::json::object();
    for (const char* key : {"action", "at", "by", "tool", "result", "prev_sha256"}) {
        const auto it = entry->find(key);
        if (it == entry->end() || !it->is_string())
            return name + " lacks the field " + quoted(key) + " (a string)";
        shape[key] = *it;
    }
    if ((*entry)["prev_sha256"] != prevSha256)
        return name + " breaks the hash chain";
    const std::string action = (*entry)["action"].get<std::string>();
    const std::string result = (*entry)["result"].get<std::string>();
    const std::size_t dash = name.find('-', std::char_traits<char>::length(kCustodyPrefix));
    if (dash == std::string::npos || name.substr(dash + 1) != action + ".json" || action == "export")
        return name + ": its action " + quoted(action) + " does not match its name";
    if (result != "pass" && result != "fail")
        return name + ": its result is neither \"pass\" nor \"fail\"";
    if (canonicalJson(*entry) != bytes || entry->size() != shape.size())
        return name + " " + difference(*entry, shape);
    return {};
}

} // namespace rw
