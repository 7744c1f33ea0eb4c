#pragma once

// Whole-text JSON validation at simdjson's speed, for text this tool copies
// through without reading it (a batch part's run rows): grammar, UTF-8 and a
// nesting limit. Qt Core and simdjson only; thread-safe (a parser per thread).
#include <cstddef>
#include <string_view>

namespace rw {

// true when `text` is exactly one JSON object (whitespace around it allowed),
// valid UTF-8, nested at most `maxDepth` levels
bool isJsonObjectText(std::string_view text, std::size_t maxDepth);

} // namespace rw
