#include "app/cli/batchfacts.h"

#include <algorithm>
#include <vector>

namespace rw {

using Json = nlohmann::ordered_json;

std::string factText(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json factsChecked(Json in)
{
    Json f = Json::object();
    const auto copyIf = [&](const char* key, auto isRight, Json fallback) {
        const auto it = in.find(key);
        f[key] = it != in.end() && isRight(*it) ? std::move(*it) : std::move(fallback);
    };
    const auto isString = [](const Json& j) { return j.is_string(); };
    const auto isStringOrNull = [](const Json& j) { return j.is_string() || j.is_null(); };
    const auto isStrings = [](const Json& j) {
        return j.is_array() && std::all_of(j.begin(), j.end(), [](const Json& x) { return x.is_string(); });
    };
    copyIf("run_id", isString, "");
    copyIf("agent_id", isString, "");
    copyIf("file", isString, "");
    copyIf("started_at", isStringOrNull, nullptr);
    copyIf("worst", isStringOrNull, nullptr);
    copyIf("clean", [](const Json& j) { return j.is_boolean(); }, true);
    for (const char* key : {"baseline", "granted", "used", "escalated"})
        copyIf(key, isStrings, Json::array());
    copyIf("uses", [](const Json& j) { return j.is_object(); }, Json::object());
    Json location = Json::object();
    const auto at = in.find("location");
    for (const char* key : {"line", "offset", "length"})
        location[key] = at != in.end() && at->is_object() && at->contains(key) && (*at)[key].is_number_unsigned()
                            ? (*at)[key]
                            : Json(0);
    f["location"] = std::move(location);
    // every key of an anomaly or a check the merge reads, as a string (steps: a list of numbers)
    static const std::vector<const char*> kAnomaly = {"anomaly_id", "fingerprint", "detector", "rule_id", "severity", "message"};
    static const std::vector<const char*> kCheck = {"policy", "check", "result"};
    for (const auto& [list, keys] : {std::pair{"anomalies", &kAnomaly}, std::pair{"policy_checks", &kCheck}}) {
        Json items = Json::array();
        if (const auto it = in.find(list); it != in.end() && it->is_array())
            for (Json& item : *it) {
                if (!item.is_object())
                    continue;
                Json one = Json::object();
                for (const char* k : *keys)
                    one[k] = item.contains(k) && item[k].is_string() ? item[k] : Json("");
                if (keys == &kCheck) {
                    Json steps = Json::array();
                    if (item.contains("steps") && item["steps"].is_array())
                        for (const Json& n : item["steps"])
                            if (n.is_number_integer())
                                steps.push_back(n);
                    one["steps"] = std::move(steps);
                }
                items.push_back(std::move(one));
            }
        f[list] = std::move(items);
    }
    return f;
}

} // namespace rw
