#include "model/jsonvalidate.h"

#include <simdjson.h>

namespace rw {

bool isJsonObjectText(std::string_view text, std::size_t maxDepth)
{
    // one parser per thread and depth limit: its buffers are kept from text to text
    thread_local simdjson::dom::parser parser;
    thread_local std::size_t depth = 0;
    if (depth != maxDepth) {
        parser = simdjson::dom::parser();
        if (parser.allocate(text.size() + 1, maxDepth) != simdjson::SUCCESS)
            return false;
        depth = maxDepth;
    }
    if (parser.capacity() < text.size() && parser.allocate(text.size(), maxDepth) != simdjson::SUCCESS)
        return false;
    // realloc_if_needed: the text is copied when the bytes after it cannot be read
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS)
        return false;
    return root.type() == simdjson::dom::element_type::OBJECT;
}

} // namespace rw
