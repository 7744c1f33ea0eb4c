#pragma once

#include "model/replaymodel.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace rw {

// Parses the full JSON of one record on demand (drawers, exports) from the
// mapped bytes with nlohmann_json, keeping the file's key order. Nesting
// deeper than `maxDepth` is refused instead of building a deep tree.
std::optional<nlohmann::ordered_json> parseEventJson(const ReplayModel& model, const EventRecord& rec,
                                                     std::string* error = nullptr, int maxDepth = 64);

std::optional<nlohmann::ordered_json> parseJsonText(std::string_view text, std::string* error = nullptr,
                                                    int maxDepth = 64);

// The same for documents whose key order does not matter (bundle members):
// linear in the size of the text, whatever the length of its arrays.
std::optional<nlohmann::json> parseJsonValue(std::string_view text, std::size_t maxDepth, std::string* error = nullptr);

} // namespace rw
