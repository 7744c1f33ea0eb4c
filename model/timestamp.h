#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rw {

// Parses an RFC 3339 / ISO-8601 timestamp as the upstream writer emits it
// (`2026-05-17T00:00:00.123456+00:00`) and its common relatives (`Z`, other
// offsets, 0-9 fraction digits, a missing zone taken as UTC). Returns
// microseconds since the Unix epoch, or nothing if the text is not a valid
// date-time (month 13, Feb 30, hour 24, ...).
std::optional<std::int64_t> parseTimestamp(std::string_view text);

// Formats microseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
std::string formatTimestampUtc(std::int64_t micros);

} // namespace rw
