// profiles/<agent>.json: a tool-sequence baseline written by batch analysis
// (reference §3.8), read with the bounded JSON parser of model/eventjson.
// nlohmann keeps no positions and keeps the last of two equal keys silently,
// so the members are also located by a scan of the (by then valid) text:
// every finding gets its line and column, and a repeated key is an error as
// it is in the YAML files.
#include "replay/analysis/configchecker.h"
#include "replay/analysis/configloader.h"

#include "model/eventjson.h"
#include "model/jsonscan.h"

#include <cstdio>
#include <limits>
#include <set>

namespace rw::analysis {

namespace {

constexpr const char* kSchema = "replay-workbench/sequence-profile";
constexpr std::size_t kMaxDepth = 8; // the format nests two levels

struct Member
{
    std::string key;
    std::size_t keyAt = 0;
    std::size_t valueAt = 0;
};

// one past the end of the string, number or literal at `i` (valid JSON)
std::size_t scalarEnd(std::string_view text, std::size_t i)
{
    if (i >= text.size())
        return i;
    if (text[i] == '"') {
        for (++i; i < text.size() && text[i] != '"'; ++i)
            if (text[i] == '\\')
                ++i;
        return i + 1;
    }
    while (i < text.size() && std::string_view(",}] \t\r\n").find(text[i]) == std::string_view::npos)
        ++i;
    return i;
}

// The members of the object opening at `at`, in file order.
std::vector<Member> membersOf(std::string_view text, std::size_t at)
{
    std::vector<Member> out;
    std::size_t i = skipJsonSpace(text, at + 1);
    while (i < text.size() && text[i] == '"') {
        Member m;
        m.keyAt = i;
        const std::size_t keyEnd = scalarEnd(text, i);
        // the key as nlohmann decodes it, escapes and all
        const std::optional<nlohmann::json> key = parseJsonValue(text.substr(i, keyEnd - i), 1);
        m.key = key && key->is_string() ? key->get<std::string>() : std::string();
        m.valueAt = skipJsonSpace(text, skipJsonSpace(text, keyEnd) + 1); // past the colon
        const char open = m.valueAt < text.size() ? text[m.valueAt] : '\0';
        const std::size_t valueEnd =
            open == '{' || open == '[' ? jsonValueEnd(text, m.valueAt) : scalarEnd(text, m.valueAt);
        out.push_back(std::move(m));
        i = skipJsonSpace(text, valueEnd);
        if (i < text.size() && text[i] == ',')
            i = skipJsonSpace(text, i + 1);
    }
    return out;
}

// a member's value; null should the scan and the parser ever disagree
const nlohmann::json& valueOf(const nlohmann::json& object, const std::string& key)
{
    static const nlohmann::json kNull;
    const auto it = object.find(key);
    return it == object.end() ? kNull : *it;
}

class ProfileReader
{
public:
    ProfileReader(std::string_view text, ConfigChecker& c) : m_text(text), m_c(c) {}

    void error(std::size_t at, const std::string& message)
    {
        const auto [line, column] = textPosition(m_text, at);
        m_c.add(BundleDiagnostic::Level::Error, line, column, message);
    }

    // the members of an object, with an error for each repeated key
    std::vector<Member> members(std::size_t at)
    {
        std::vector<Member> out = membersOf(m_text, at);
        std::set<std::string> keys;
        for (const Member& m : out)
            if (!keys.insert(m.key).second)
                error(m.keyAt, "duplicate key '" + m.key + "'");
        return out;
    }

    void unknownKey(const Member& m, const std::vector<std::string_view>& known, const std::string& where)
    {
        YamlNode at;
        std::tie(at.line, at.column) = textPosition(m_text, m.keyAt);
        at.value = m.key;
        m_c.unknownKey(at, known, where);
    }

    std::optional<std::int64_t> count(const nlohmann::json& v, std::size_t at, const std::string& what)
    {
        if (v.is_number_unsigned() && v.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max())
            return static_cast<std::int64_t>(v.get<std::uint64_t>());
        error(at, "'" + what + "' must be a non-negative whole number, got " + v.dump());
        return std::nullopt;
    }

    // {"name": count, ...}
    void counts(const nlohmann::json& v, std::size_t at, const std::string& what,
                std::map<std::string, std::int64_t>& out)
    {
        if (!v.is_object()) {
            error(at, "'" + what + "' must be an object of counts");
            return;
        }
        for (const Member& m : members(at)) {
            if (what == "transitions" && m.key.find('|') == std::string::npos)
                error(m.keyAt, "transition '" + m.key + "' must be written 'from|to'");
            if (const auto n = count(valueOf(v, m.key), m.valueAt, what + "." + m.key))
                out[m.key] = *n;
        }
    }

    void builtFrom(const nlohmann::json& v, std::size_t at, SequenceProfile& profile)
    {
        if (!v.is_object()) {
            error(at, "'built_from' must be an object");
            return;
        }
        for (const Member& m : members(at)) {
            const nlohmann::json& x = valueOf(v, m.key);
            if (m.key == "runs") {
                ConfigChecker::assign(profile.runs, count(x, m.valueAt, "built_from.runs"));
            } else if (m.key == "first" || m.key == "last" || m.key == "inputs_sha256") {
                if (!x.is_string())
                    error(m.valueAt, "'built_from." + m.key + "' must be a string");
            } else {
                unknownKey(m, {"runs", "first", "last", "inputs_sha256"}, "built_from");
            }
        }
    }

private:
    std::string_view m_text;
    ConfigChecker& m_c;
};

void readMember(ProfileReader& r, const Member& m, const nlohmann::json& v, SequenceProfile& profile,
                bool& sawSchema)
{
    const std::string& k = m.key;
    if (k == "schema") {
        sawSchema = true;
        if (v != kSchema)
            r.error(m.valueAt, std::string("'schema' must be \"") + kSchema + "\", got " + v.dump());
    } else if (k == "version") {
        if (v != 1)
            r.error(m.valueAt,
                    "'version' must be 1 (the only version of sequence profiles), got " + v.dump());
    } else if (k == "agent") {
        if (v.is_string() && !v.get<std::string>().empty())
            profile.agent = v.get<std::string>();
        else
            r.error(m.valueAt, "'agent' must be a non-empty string (an agent_id glob)");
    } else if (k == "ngram") {
        if (v != 2)
            r.error(m.valueAt, "'ngram' must be 2 (transitions are pairs of tools), got " + v.dump());
    } else if (k == "built_from") {
        r.builtFrom(v, m.valueAt, profile);
    } else if (k == "tools") {
        r.counts(v, m.valueAt, k, profile.tools);
    } else if (k == "first_tools") {
        r.counts(v, m.valueAt, k, profile.firstTools);
    } else if (k == "transitions") {
        r.counts(v, m.valueAt, k, profile.transitions);
    } else if (k == "permissions") {
        r.counts(v, m.valueAt, k, profile.permissions);
    } else if (k == "destinations") {
        r.counts(v, m.valueAt, k, profile.destinations);
    } else {
        r.unknownKey(m,
                     {"schema", "version", "agent", "ngram", "built_from", "tools", "first_tools",
                      "transitions", "permissions", "destinations"},
                     "the sequence profile");
    }
}

// "[json.exception.parse_error.101] parse error at line 3, column 5: syntax
// error ..." -> 3, 5 and the part after the position
BundleDiagnostic jsonError(const std::string& file, const std::string& what)
{
    BundleDiagnostic d{file, 0, 0, BundleDiagnostic::Level::Error, "invalid JSON: " + what};
    int line = 0, column = 0;
    const std::size_t at = what.find(" at line ");
    if (at != std::string::npos &&
        std::sscanf(what.c_str() + at, " at line %d, column %d", &line, &column) == 2) {
        d.line = line;
        d.column = column;
        const std::size_t colon = what.find(": ", at);
        d.message = "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2));
    }
    return d;
}

} // namespace

std::optional<SequenceProfile> parseSequenceProfile(std::string_view bytes, const std::string& file,
                                                    std::vector<BundleDiagnostic>& diagnostics)
{
    ConfigChecker c(file, diagnostics);
    if (bytes.size() > YamlLimits().maxBytes) {
        c.add(BundleDiagnostic::Level::Error, 0, 0,
              "file is " + std::to_string(bytes.size()) + " bytes; sequence profiles are limited to " +
                  std::to_string(YamlLimits().maxBytes));
        return std::nullopt;
    }
    std::string why;
    const std::optional<nlohmann::json> doc = parseJsonValue(bytes, kMaxDepth, &why);
    if (!doc) {
        diagnostics.push_back(jsonError(file, why));
        return std::nullopt;
    }
    const std::size_t start = skipJsonSpace(bytes, skipUtf8Bom(bytes));
    ProfileReader r(bytes, c);
    if (!doc->is_object()) {
        r.error(start, "a sequence profile must be a JSON object");
        return std::nullopt;
    }
    SequenceProfile profile;
    profile.source = c.source(bytes);
    bool sawSchema = false;
    for (const Member& m : r.members(start))
        readMember(r, m, valueOf(*doc, m.key), profile, sawSchema);
    if (!sawSchema)
        r.error(start, std::string("not a sequence profile: no \"schema\": \"") + kSchema + "\"");
    else if (!doc->contains("version"))
        r.error(start, "a sequence profile needs \"version\": 1");
    if (!doc->contains("agent"))
        r.error(start, "a sequence profile needs \"agent\" (an agent_id glob)");
    if (c.failed())
        return std::nullopt;
    return profile;
}

std::optional<SequenceProfile> loadSequenceProfile(const std::string& path,
                                                   std::vector<BundleDiagnostic>& diagnostics)
{
    return loadConfigFile(path, diagnostics, parseSequenceProfile);
}

} // namespace rw::analysis
