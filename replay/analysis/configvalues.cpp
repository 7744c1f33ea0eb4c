#include "replay/analysis/configvalues.h"

#include "model/casefoldsearcher.h"
#include "replay/policy/yamltree.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

namespace rw::analysis {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), asciiLower);
    return out;
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

// "must be <choices>, got '<word>'" and a guess among the words
std::string notOneOf(std::string_view word, const char* choices, const std::vector<std::string_view>& words)
{
    return "must be " + std::string(choices) + ", got '" + std::string(word) + "'" +
           didYouMean(lower(word), words);
}

template <class T, std::size_t N>
std::optional<T> lookUp(std::string_view word, const std::array<std::pair<std::string_view, T>, N>& table)
{
    const std::string w = lower(word);
    for (const auto& [name, value] : table)
        if (w == name)
            return value;
    return std::nullopt;
}

// a word of `table`, or why not: "must be <choices>, got ..." with a guess
template <class T, std::size_t N>
std::optional<T> oneOf(std::string_view word, const std::array<std::pair<std::string_view, T>, N>& table,
                       const char* choices, std::string& why)
{
    if (std::optional<T> v = lookUp(word, table))
        return v;
    std::vector<std::string_view> words;
    for (const auto& entry : table)
        words.push_back(entry.first);
    why = notOneOf(word, choices, words);
    return std::nullopt;
}

// the digits at the front of `s` as a whole number, removed from `s`
std::optional<std::int64_t> leadingNumber(std::string_view& s)
{
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9')
        ++n;
    const std::optional<std::int64_t> v = wholeNumber(s.substr(0, n));
    s.remove_prefix(n);
    return v;
}

} // namespace

std::optional<std::int64_t> wholeNumber(std::string_view text)
{
    // 18 digits always fit an int64; longer is no count anyone means
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.front() == '-' || text.front() == '+')
        return std::nullopt;
    return v;
}

std::optional<Severity> severityFromWord(std::string_view word, std::string& why)
{
    static constexpr std::array<std::pair<std::string_view, Severity>, 4> kWords = {
        {{"info", Severity::Info},
         {"warn", Severity::Warn},
         {"warning", Severity::Warn},
         {"critical", Severity::Critical}}};
    return oneOf(word, kWords, "info, warn or critical", why);
}

std::optional<Severity> riskFromWord(std::string_view word, std::string& why)
{
    static constexpr std::array<std::pair<std::string_view, Severity>, 4> kWords = {
        {{"low", Severity::Info},
         {"medium", Severity::Info},
         {"high", Severity::Warn},
         {"critical", Severity::Critical}}};
    return oneOf(word, kWords, "low, medium, high or critical", why);
}

std::optional<std::int64_t> durationFromText(std::string_view text, std::string& why)
{
    static constexpr std::array<std::pair<std::string_view, std::int64_t>, 4> kUnits = {
        {{"ms", 1000}, {"s", 1000 * 1000}, {"m", 60LL * 1000 * 1000}, {"h", 3600LL * 1000 * 1000}}};
    std::string_view rest = text;
    const std::optional<std::int64_t> n = leadingNumber(rest);
    const std::optional<std::int64_t> unit = lookUp(rest, kUnits);
    if (!n || !unit || *n == 0) {
        why = "must be a positive duration with a unit (500ms, 30s, 5m, 2h), got '" + std::string(text) + "'";
        return std::nullopt;
    }
    if (*n > std::numeric_limits<std::int64_t>::max() / *unit) {
        why = "is too long: '" + std::string(text) + "'";
        return std::nullopt;
    }
    return *n * *unit;
}

namespace {

// ">=" and a number, with byte units or none
std::optional<std::int64_t> thresholdFromText(std::string_view text, bool byteUnits, std::string& why)
{
    static constexpr std::array<std::pair<std::string_view, std::int64_t>, 8> kUnits = {
        {{"", 1},
         {"b", 1},
         {"kb", 1000},
         {"mb", 1000 * 1000},
         {"gb", 1000LL * 1000 * 1000},
         {"kib", 1024},
         {"mib", 1024 * 1024},
         {"gib", 1024LL * 1024 * 1024}}};
    std::string_view rest = trimmed(text);
    if (rest.substr(0, 2) == ">=")
        rest = trimmed(rest.substr(2));
    else if (!rest.empty() && (rest.front() == '>' || rest.front() == '<' || rest.front() == '='))
        rest = {}; // another comparison: only "at least" has a meaning here
    const std::optional<std::int64_t> n = leadingNumber(rest);
    const std::optional<std::int64_t> unit =
        byteUnits ? lookUp(trimmed(rest), kUnits)
                  : (rest.empty() ? std::optional<std::int64_t>(1) : std::nullopt);
    if (!n || !unit) {
        why = byteUnits ? "must be a size such as \">=1MB\" (B, KB, MB, GB, KiB, MiB, GiB), got '" +
                              std::string(text) + "'"
                        : "must be a count such as \">=10000\", got '" + std::string(text) + "'";
        return std::nullopt;
    }
    if (*n > std::numeric_limits<std::int64_t>::max() / *unit) {
        why = "is too large: '" + std::string(text) + "'";
        return std::nullopt;
    }
    return *n * *unit;
}

} // namespace

std::optional<std::int64_t> bytesFromText(std::string_view text, std::string& why)
{
    return thresholdFromText(text, true, why);
}

std::optional<std::int64_t> rowsFromText(std::string_view text, std::string& why)
{
    return thresholdFromText(text, false, why);
}

std::optional<bool> untrustedOnlyFromWord(std::string_view word, std::string& why)
{
    static constexpr std::array<std::pair<std::string_view, bool>, 2> kWords = {
        {{"untrusted", true}, {"any", false}}};
    return oneOf(word, kWords, "untrusted or any", why);
}

std::optional<std::pair<int, int>> hoursFromText(std::string_view text, std::string& why)
{
    // HH:MM, two digits each; 24:00 only as an end
    auto minuteOf = [](std::string_view t) -> int {
        t = trimmed(t);
        if (t.size() != 5 || t[2] != ':')
            return -1;
        const std::optional<std::int64_t> h = wholeNumber(t.substr(0, 2)), m = wholeNumber(t.substr(3, 2));
        if (!h || !m || *m > 59 || *h > 24 || (*h == 24 && *m != 0))
            return -1;
        return static_cast<int>(*h * 60 + *m);
    };
    const std::size_t dash = text.find('-');
    const int from = dash == std::string_view::npos ? -1 : minuteOf(text.substr(0, dash));
    const int to = dash == std::string_view::npos ? -1 : minuteOf(text.substr(dash + 1));
    if (from < 0 || to < 0 || from == 24 * 60) {
        why = "must be a UTC window such as \"01:00-04:00\", got '" + std::string(text) + "'";
        return std::nullopt;
    }
    if (from == to) {
        why = "is an empty window: '" + std::string(text) + "'";
        return std::nullopt;
    }
    return std::pair{from, to};
}

std::optional<SequenceStep> sequenceStepFromText(std::string_view text, std::string& why)
{
    SequenceStep step;
    step.optional = !text.empty() && text.back() == '?';
    const std::string_view name = step.optional ? text.substr(0, text.size() - 1) : text;
    if (name != "large_read" && name != "encode" && name != "external_write") {
        why = "must be large_read, encode or external_write (a '?' after it makes it optional), got '" +
              std::string(text) + "'";
        const std::string guess = closestWord(name, {"large_read", "encode", "external_write"});
        if (!guess.empty())
            why += "; did you mean '" + guess + (step.optional ? "?" : "") + "'?";
        return std::nullopt;
    }
    step.name = std::string(name);
    return step;
}

} // namespace rw::analysis
