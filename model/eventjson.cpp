#include "eventjson.h"

namespace rw {

std::optional<nlohmann::ordered_json> parseJsonText(std::string_view text, std::string* error, int maxDepth)
{
    bool tooDeep = false;
    // The callback sees every value with its depth; dropping values below the
    // limit keeps the tree shallow, and the flag turns the result into an error.
    auto limit = [&](int depth, nlohmann::ordered_json::parse_event_t, nlohmann::ordered_json&) {
        if (depth > maxDepth) {
            tooDeep = true;
            return false;
        }
        return true;
    };
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(text.begin(), text.end(), limit, false);
    if (tooDeep) {
        if (error)
            *error = "nesting deeper than " + std::to_string(maxDepth);
        return std::nullopt;
    }
    if (j.is_discarded()) {
        if (error) {
            // parse again with exceptions only to learn the position of the error
            try {
                const auto ignored = nlohmann::ordered_json::parse(text.begin(), text.end());
                (void)ignored;
                *error = "invalid JSON";
            } catch (const nlohmann::ordered_json::exception& e) {
                *error = e.what();
            }
        }
        return std::nullopt;
    }
    return j;
}

std::optional<nlohmann::ordered_json> parseEventJson(const ReplayModel& model, const EventRecord& rec,
                                                     std::string* error, int maxDepth)
{
    return parseJsonText(model.raw(rec), error, maxDepth);
}

} // namespace rw
