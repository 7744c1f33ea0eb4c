#pragma once

// Small helpers over simdjson On-Demand 3.0 (Debian 12), shared by the line
// parser and the run-trace importer. Include only from .cpp files: simdjson.h
// is heavy to compile.
#include <simdjson.h>

#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    // Stage 1 validated the string, so an unescaped closing quote exists, and
    // the input is padded: reading 16 bytes at a time past it is safe.
    for (const char* p = begin;; p += 16) {
#if defined(__SSE2__)
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const auto quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
        const auto slashes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
        if (slashes & (quotes ? (quotes & (0u - quotes)) - 1u : 0xFFFFu))
            break; // an escape before the end: unescape below
        if (quotes) {
            key = std::string_view(begin, static_cast<std::size_t>(p - begin) + static_cast<std::size_t>(__builtin_ctz(quotes)));
            return simdjson::SUCCESS;
        }
#else
        for (const char* q = p; q < p + 16; ++q) {
            if (*q == '\\')
                return field.unescaped_key().get(key);
            if (*q == '"') {
                key = std::string_view(begin, static_cast<std::size_t>(q - begin));
                return simdjson::SUCCESS;
            }
        }
#endif
    }
    return field.unescaped_key().get(key);
}

// True when nothing but whitespace follows the root value.
inline bool atEnd(od::document& doc)
{
    return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

} // namespace rw::sj
