#include "model/jsonscan.h"

// Byte-level scanners over JSON text: string-aware, no validation, no
// allocation. They decide layout and limits before a real parser runs.
namespace rw {

std::size_t skipJsonSpace(std::string_view s, std::size_t i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        ++i;
    return i;
}

std::size_t skipUtf8Bom(std::string_view s) { return s.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

namespace {

// The scan both of the next two make: from the value opening at `begin` to its
// closing bracket, string-aware; `onTopComma` hears each comma directly
// inside that value. Returns one past the closing bracket, or npos.
template <typename OnTopComma>
std::size_t scanValue(std::string_view s, std::size_t begin, OnTopComma onTopComma)
{
    std::size_t depth = 0;
    bool inString = false;
    for (std::size_t i = begin; i < s.size(); ++i) {
        const char c = s[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        } else if (c == ',' && depth == 1) {
            onTopComma();
        }
    }
    return std::string_view::npos;
}

} // namespace

// End (one past the closing bracket) of the JSON value opening at `begin`, or
// npos when the file ends first. String-aware; does not validate.
std::size_t jsonValueEnd(std::string_view s, std::size_t begin)
{
    return scanValue(s, begin, [] {});
}

std::size_t jsonArrayLength(std::string_view s)
{
    const std::size_t open = skipJsonSpace(s, 0);
    if (open >= s.size() || s[open] != '[')
        return 0;
    const std::size_t first = skipJsonSpace(s, open + 1);
    if (first >= s.size() || s[first] == ']')
        return 0;
    std::size_t n = 1;
    scanValue(s, open, [&n] { ++n; });
    return n;
}

// A line too long for an audit event may still be a whole run (a run of
// 200,000 steps is one long line in JSONL): tell by the top-level keys, read
// by structure (string- and depth-aware), never by substrings.
bool looksLikeRunDocument(std::string_view text)
{
    if (text.empty() || text.front() != '{')
        return false;
    bool runId = false, steps = false, eventType = false;
    std::size_t depth = 0;
    bool expectKey = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            const std::size_t start = i + 1;
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\')
                    ++i;
            if (depth == 1 && expectKey) {
                const std::string_view key = text.substr(start, i - start);
                runId = runId || key == "run_id";
                eventType = eventType || key == "event_type";
                if (key == "steps") {
                    std::size_t v = i + 1;
                    while (v < text.size() && (text[v] == ' ' || text[v] == ':' || text[v] == '\t'))
                        ++v;
                    steps = steps || (v < text.size() && text[v] == '[');
                }
                expectKey = false;
            }
        } else if (c == '{' || c == '[') {
            ++depth;
            expectKey = c == '{' && depth == 1;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 1) {
            expectKey = true;
        }
    }
    return runId && steps && !eventType;
}

std::size_t jsonNestingDepth(std::string_view text, std::size_t limit)
{
    std::size_t depth = 0;
    std::size_t maxDepth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > maxDepth) {
                maxDepth = depth;
                if (maxDepth > limit)
                    return maxDepth;
            }
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return maxDepth;
}

} // namespace rw
