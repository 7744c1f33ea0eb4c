#include "model/eventjson.h"

#include "model/jsonscan.h"

#include <algorithm>

namespace rw {

namespace {

// nlohmann's parser callback would be the obvious place for a depth limit, but
// its DOM builder scans the whole parent container for discarded values each
// time a value closes, which makes an array of n objects cost n^2 (a 2M-entry
// evidence index took minutes). A byte scan counts the nesting first instead;
// on valid JSON it is exact, and on invalid JSON the parser stops at the first
// error, before any bracket the scan could have miscounted.
template <class Json>
std::optional<Json> parseBounded(std::string_view text, std::size_t maxDepth, std::string* error)
{
    if (jsonNestingDepth(text, maxDepth) > maxDepth) {
        if (error)
            *error = "nesting deeper than " + std::to_string(maxDepth);
        return std::nullopt;
    }
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const std::exception& e) { // parse errors, and bad_alloc on a huge member
        if (error)
            *error = e.what();
        return std::nullopt;
    }
}

} // namespace

std::optional<nlohmann::ordered_json> parseJsonText(std::string_view text, std::string* error, int maxDepth)
{
    return parseBounded<nlohmann::ordered_json>(text, static_cast<std::size_t>(std::max(maxDepth, 0)), error);
}

std::optional<nlohmann::json> parseJsonValue(std::string_view text, std::size_t maxDepth, std::string* error)
{
    return parseBounded<nlohmann::json>(text, maxDepth, error);
}

std::optional<nlohmann::ordered_json> parseEventJson(const ReplayModel& model, const EventRecord& rec,
                                                     std::string* error, int maxDepth)
{
    return parseJsonText(model.raw(rec), error, maxDepth);
}

} // namespace rw
