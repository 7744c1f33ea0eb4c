#pragma once

// Small helpers over simdjson On-Demand 3.0 (Debian 12), shared by the line
// parser and the run-trace importer. Include only from .cpp files: simdjson.h
// is heavy to compile.
#include <simdjson.h>

#include <string_view>

namespace rw::sj {

namespace od = simdjson::ondemand;

// The key of a field without copying it when it has no escapes (nearly
// always): the bytes between the quotes in the input. Escaped keys are
// unescaped so that `"trace\u005fid"` still reads as trace_id.
inline simdjson::error_code keyOf(simdjson::simdjson_result<od::field>& field, std::string_view& key)
{
    od::raw_json_string raw;
    if (auto err = field.key().get(raw))
        return err;
    const char* begin = raw.raw();
    const char* p = begin;
    // stage 1 validated the string, so an unescaped closing quote exists
    bool escaped = false;
    while (*p != '"') {
        if (*p == '\\') {
            escaped = true;
            break;
        }
        ++p;
    }
    if (!escaped) {
        key = std::string_view(begin, static_cast<std::size_t>(p - begin));
        return simdjson::SUCCESS;
    }
    return field.unescaped_key().get(key);
}

// True when nothing but whitespace follows the root value.
inline bool atEnd(od::document& doc)
{
    return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

} // namespace rw::sj
