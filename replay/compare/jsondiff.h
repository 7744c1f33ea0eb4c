#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rw {

// One difference between two JSON documents, at a JSON pointer (RFC 6901).
struct JsonChange
{
    enum class Kind : std::uint8_t { Added, Removed, Changed };
    Kind kind = Kind::Changed;
    std::string pointer;
    std::string left;  // compact JSON of the value, empty when added
    std::string right; // empty when removed
};

// Structural difference: objects by key (order ignored), arrays by position,
// anything else by value. Stops after `maxChanges` (a hostile pair of records
// could differ everywhere); `truncated` says so.
std::vector<JsonChange> diffJson(const nlohmann::ordered_json& left, const nlohmann::ordered_json& right,
                                 bool* truncated = nullptr, std::size_t maxChanges = 2000);

// Pretty JSON (two-space indent) and the JSON pointer each line shows, so a
// view can mark exactly the lines a change touches.
struct PointerText
{
    std::string text;
    std::vector<std::string> linePointers;
};
PointerText prettyJsonWithPointers(const nlohmann::ordered_json& json);

// True when the line at `linePointer` shows `changePointer` or something inside it.
bool pointerCovers(const std::string& changePointer, const std::string& linePointer);

} // namespace rw
