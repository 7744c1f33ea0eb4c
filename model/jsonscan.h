#pragma once

#include <cstddef>
#include <string_view>

namespace rw {

// Index past JSON whitespace from i.
std::size_t skipJsonSpace(std::string_view s, std::size_t i);
// 3 when the text opens with a UTF-8 byte order mark, else 0.
std::size_t skipUtf8Bom(std::string_view s);
// End (one past the closing bracket) of the JSON value opening at `begin`, or
// npos when the text ends first. String-aware; does not validate.
std::size_t jsonValueEnd(std::string_view s, std::size_t begin);
// The elements of a JSON array's text, counted at its top level without
// building it: 0 for anything but a non-empty array. String-aware; does not
// validate.
std::size_t jsonArrayLength(std::string_view text);
// A run document (top-level `run_id` and a `steps` list, no `event_type`),
// judged by the top-level keys alone, for lines too long to parse as events.
bool looksLikeRunDocument(std::string_view text);
// Largest nesting depth of a JSON text, counting only brackets outside strings;
// stops counting once `limit` is exceeded.
std::size_t jsonNestingDepth(std::string_view text, std::size_t limit);

} // namespace rw
