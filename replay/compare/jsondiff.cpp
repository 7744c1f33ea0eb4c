#include "replay/compare/jsondiff.h"

namespace rw {

namespace {

using Json = nlohmann::ordered_json;

std::string escapeToken(const std::string& key)
{
    std::string out;
    for (const char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string compact(const Json& j)
{
    std::string s = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (s.size() > 240)
        s = s.substr(0, 239) + "…";
    return s;
}

struct Differ
{
    std::vector<JsonChange> out;
    std::size_t max = 0;
    bool truncated = false;

    void add(JsonChange::Kind kind, const std::string& pointer, const Json* l, const Json* r)
    {
        if (out.size() >= max) {
            truncated = true;
            return;
        }
        out.push_back({kind, pointer, l ? compact(*l) : std::string(), r ? compact(*r) : std::string()});
    }

    void diff(const Json& l, const Json& r, const std::string& pointer)
    {
        if (truncated)
            return;
        if (l.is_object() && r.is_object()) {
            for (auto it = l.begin(); it != l.end(); ++it) {
                const std::string p = pointer + "/" + escapeToken(it.key());
                const auto other = r.find(it.key());
                if (other == r.end())
                    add(JsonChange::Kind::Removed, p, &it.value(), nullptr);
                else
                    diff(it.value(), *other, p);
            }
            for (auto it = r.begin(); it != r.end(); ++it)
                if (!l.contains(it.key()))
                    add(JsonChange::Kind::Added, pointer + "/" + escapeToken(it.key()), nullptr, &it.value());
            return;
        }
        if (l.is_array() && r.is_array()) {
            const std::size_t common = std::min(l.size(), r.size());
            for (std::size_t i = 0; i < common; ++i)
                diff(l[i], r[i], pointer + "/" + std::to_string(i));
            for (std::size_t i = common; i < l.size(); ++i)
                add(JsonChange::Kind::Removed, pointer + "/" + std::to_string(i), &l[i], nullptr);
            for (std::size_t i = common; i < r.size(); ++i)
                add(JsonChange::Kind::Added, pointer + "/" + std::to_string(i), nullptr, &r[i]);
            return;
        }
        if (l != r)
            add(JsonChange::Kind::Changed, pointer, &l, &r);
    }
};

void pretty(const Json& j, const std::string& pointer, int indent, const std::string& prefix, bool comma, PointerText& out)
{
    const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
    auto line = [&](const std::string& text, const std::string& p) {
        out.text += text;
        out.text += '\n';
        out.linePointers.push_back(p);
    };
    const char* tail = comma ? "," : "";
    if ((j.is_object() || j.is_array()) && !j.empty()) {
        const bool obj = j.is_object();
        line(pad + prefix + (obj ? "{" : "["), pointer);
        std::size_t n = 0;
        for (auto it = j.begin(); it != j.end(); ++it, ++n) {
            const bool more = n + 1 < j.size();
            if (obj) {
                const std::string key = Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace);
                pretty(it.value(), pointer + "/" + escapeToken(it.key()), indent + 1, key + ": ", more, out);
            } else {
                pretty(it.value(), pointer + "/" + std::to_string(n), indent + 1, std::string(), more, out);
            }
        }
        line(pad + (obj ? "}" : "]") + tail, pointer);
        return;
    }
    line(pad + prefix + j.dump(-1, ' ', false, Json::error_handler_t::replace) + tail, pointer);
}

} // namespace

std::vector<JsonChange> diffJson(const Json& left, const Json& right, bool* truncated, std::size_t maxChanges)
{
    Differ d;
    d.max = maxChanges;
    d.diff(left, right, std::string());
    if (truncated)
        *truncated = d.truncated;
    return std::move(d.out);
}

PointerText prettyJsonWithPointers(const Json& json)
{
    PointerText out;
    pretty(json, std::string(), 0, std::string(), false, out);
    return out;
}

bool pointerCovers(const std::string& changePointer, const std::string& linePointer)
{
    if (linePointer.size() < changePointer.size() || linePointer.compare(0, changePointer.size(), changePointer) != 0)
        return false;
    return linePointer.size() == changePointer.size() || linePointer[changePointer.size()] == '/';
}

} // namespace rw
