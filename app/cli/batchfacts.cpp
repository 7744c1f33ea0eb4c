#include "app/cli/batchfacts.h"

#include <climits>

namespace rw {

using Json = nlohmann::ordered_json;

std::string factText(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

namespace {

std::vector<std::string> texts(const Json& j, const char* key)
{
    std::vector<std::string> out;
    const auto it = j.find(key);
    if (it == j.end() || !it->is_array())
        return out;
    for (const Json& s : *it)
        if (s.is_string())
            out.push_back(s.get<std::string>());
        else
            return {}; // a list with anything but strings in it is no list of ours
    return out;
}

std::uint64_t count(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

const Json* member(const Json& j, const char* key, bool (Json::*is)() const noexcept)
{
    const auto it = j.find(key);
    return it != j.end() && ((*it).*is)() ? &*it : nullptr;
}

} // namespace

RunFacts factsFromJson(const Json& in)
{
    RunFacts f;
    if (!in.is_object())
        return f;
    f.runId = factText(in, "run_id");
    f.agentId = factText(in, "agent_id");
    f.file = factText(in, "file");
    f.form = factText(in, "form");
    f.startedAt = factText(in, "started_at");
    f.worst = factText(in, "worst");
    if (const Json* clean = member(in, "clean", &Json::is_boolean))
        f.clean = clean->get<bool>();
    f.baseline = texts(in, "baseline");
    f.granted = texts(in, "granted");
    f.used = texts(in, "used");
    f.escalated = texts(in, "escalated");
    if (const Json* uses = member(in, "uses", &Json::is_object))
        for (const auto& [permission, n] : uses->items())
            if (n.is_number_integer() && !(n.is_number_unsigned() && n.get<std::uint64_t>() > INT64_MAX))
                f.uses.emplace_back(permission, n.get<std::int64_t>());
    if (const Json* at = member(in, "location", &Json::is_object)) {
        f.line = count(*at, "line");
        f.offset = count(*at, "offset");
        f.length = count(*at, "length");
    }
    if (const Json* list = member(in, "anomalies", &Json::is_array))
        for (const Json& a : *list)
            if (a.is_object())
                f.anomalies.push_back({factText(a, "anomaly_id"), factText(a, "fingerprint"), factText(a, "detector"),
                                       factText(a, "rule_id"), factText(a, "severity"), factText(a, "message")});
    if (const Json* list = member(in, "policy_checks", &Json::is_array))
        for (const Json& c : *list) {
            if (!c.is_object())
                continue;
            CheckFacts check{factText(c, "policy"), factText(c, "check"), factText(c, "result"), {}};
            if (const Json* steps = member(c, "steps", &Json::is_array))
                for (const Json& n : *steps)
                    // (an unsigned number past INT64_MAX is no step of ours)
                    if (n.is_number_integer() && !(n.is_number_unsigned() && n.get<std::uint64_t>() > INT64_MAX))
                        check.steps.push_back(n.get<std::int64_t>());
            f.checks.push_back(std::move(check));
        }
    return f;
}

} // namespace rw
