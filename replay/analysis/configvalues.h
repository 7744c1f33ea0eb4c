#pragma once

// The small value languages of the analysis files, read from one scalar:
// severity and risk words, durations, ">=" thresholds, UTC hour windows and
// exfiltration sequence step names. Each returns the value, or nullopt and
// sets `why` to the rest of a message that starts with the key's name
// ("must be info, warn or critical, got 'crit'; did you mean 'critical'?").
// Kept apart from the YAML walk so that the JSON reader and the tests use
// the same words.
#include "replay/analysis/analysisconfig.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rw::analysis {

// info, warn (or warning), critical; any case
std::optional<Severity> severityFromWord(std::string_view word, std::string& why);
// low and medium -> Info, high -> Warn, critical -> Critical; any case
std::optional<Severity> riskFromWord(std::string_view word, std::string& why);
// a positive whole number with a unit: 500ms, 30s, 5m, 2h; in microseconds
std::optional<std::int64_t> durationFromText(std::string_view text, std::string& why);
// untrusted -> true, any -> false (exfiltration sequence destinations)
std::optional<bool> untrustedOnlyFromWord(std::string_view word, std::string& why);
// ">=1MB", "1 MiB", "1048576": B, KB, MB, GB (powers of 1000) and KiB, MiB,
// GiB (powers of 1024); ">=" may be left out
std::optional<std::int64_t> bytesFromText(std::string_view text, std::string& why);
// ">=10000", "10000": a plain count
std::optional<std::int64_t> rowsFromText(std::string_view text, std::string& why);
// "01:00-04:00" (UTC) as minutes of the day; the end may be 24:00, and an end
// before the start wraps past midnight
std::optional<std::pair<int, int>> hoursFromText(std::string_view text, std::string& why);
// large_read, encode, external_write, each with an optional "?" suffix
std::optional<SequenceStep> sequenceStepFromText(std::string_view text, std::string& why);
// a whole number of at most 18 digits, no sign: configuration counts
std::optional<std::int64_t> wholeNumber(std::string_view text);

} // namespace rw::analysis
