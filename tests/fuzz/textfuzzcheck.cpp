#include "tests/fuzz/textfuzzcheck.h"

#include "app/text/terminaltext.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace rwfuzz {

namespace {

// Decodes one well-formed UTF-8 character; 0 when the bytes are not one.
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp)
{
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (b < 0x80) {
        cp = b;
        return 1;
    }
    if ((b & 0xe0) == 0xc0) {
        len = 2;
        cp = b & 0x1fu;
        min = 0x80;
    } else if ((b & 0xf0) == 0xe0) {
        len = 3;
        cp = b & 0x0fu;
        min = 0x800;
    } else if ((b & 0xf8) == 0xf0) {
        len = 4;
        cp = b & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size())
        return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (c & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

bool forbidden(std::uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xad || cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xfeff || (cp >= 0xe0000 && cp <= 0xe007f);
}

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

std::optional<std::uint32_t> hex(std::string_view s)
{
    std::uint32_t v = 0;
    for (const char c : s) {
        const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return std::nullopt;
        v = v << 4 | static_cast<std::uint32_t>(d);
    }
    return v;
}

// True when position `at` of escaped text lies between two digits of one
// number (digits joined by at most one '.' or ','), not counting escapes.
bool cutsNumber(std::string_view out, std::size_t at)
{
    // plain characters only: mark the bytes that belong to escapes
    std::string plain(out.size(), 1);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] != '\\')
            continue;
        const char kind = i + 1 < out.size() ? out[i + 1] : ' ';
        const std::size_t len = kind == 'x' ? 4 : kind == 'u' ? 6 : kind == 'U' ? 10 : 2;
        for (std::size_t k = i; k < std::min(out.size(), i + len); ++k)
            plain[k] = 0;
        i += len - 1;
    }
    auto digit = [&](std::size_t i) { return i < out.size() && plain[i] && out[i] >= '0' && out[i] <= '9'; };
    auto sep = [&](std::size_t i) { return i < out.size() && plain[i] && (out[i] == '.' || out[i] == ','); };
    if (at == 0)
        return false;
    return (digit(at - 1) && (digit(at) || (sep(at) && digit(at + 1)))) ||
           (at >= 2 && sep(at - 1) && digit(at - 2) && digit(at));
}

} // namespace

std::string terminalSafetyProblem(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        std::uint32_t cp = 0;
        const std::size_t len = decode(text, i, cp);
        if (len == 0)
            return "invalid UTF-8 at byte " + std::to_string(i);
        if (forbidden(cp)) {
            char hexText[16];
            std::snprintf(hexText, sizeof hexText, "U+%04X", static_cast<unsigned>(cp));
            return std::string("control or hidden character ") + hexText + " at byte " + std::to_string(i);
        }
        i += len;
    }
    return {};
}

std::optional<std::string> unescapeVisible(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '\\') {
            out += s[i++];
            continue;
        }
        if (i + 1 >= s.size())
            return std::nullopt;
        const char kind = s[i + 1];
        const std::size_t digits = kind == 'x' ? 2 : kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
        if (digits == 0) {
            const char* plain = kind == '\\' ? "\\" : kind == 'n' ? "\n" : kind == 'r' ? "\r" : kind == 't' ? "\t" : nullptr;
            if (!plain)
                return std::nullopt;
            out += plain;
            i += 2;
            continue;
        }
        if (i + 2 + digits > s.size())
            return std::nullopt;
        const auto v = hex(s.substr(i + 2, digits));
        if (!v)
            return std::nullopt;
        if (kind == 'x')
            out += static_cast<char>(*v);
        else
            appendUtf8(out, *v);
        i += 2 + digits;
    }
    return out;
}

std::string checkTextInput(std::string_view bytes)
{
    const std::string out = rw::terminalText(bytes);
    if (std::string p = terminalSafetyProblem(out); !p.empty())
        return "escaped text: " + p;
    const auto back = unescapeVisible(out);
    if (!back || *back != bytes)
        return "the escaped text does not decode back to the input";
    const std::size_t columns = rw::terminalColumns(out);
    const std::size_t maxWidth = std::min<std::size_t>(columns + 2, 96);
    for (std::size_t w = 0; w <= maxWidth; ++w) {
        const std::string cell = rw::terminalCell(bytes, w);
        if (std::string p = terminalSafetyProblem(cell); !p.empty())
            return "cell of width " + std::to_string(w) + ": " + p;
        if (rw::terminalColumns(cell) != w)
            return "cell of width " + std::to_string(w) + " has " + std::to_string(rw::terminalColumns(cell)) + " columns";
        if (w == 0)
            continue;
        if (w >= columns) {
            if (cell.compare(0, out.size(), out) != 0 || cell.find_first_not_of(' ', out.size()) != std::string::npos)
                return "an uncut cell of width " + std::to_string(w) + " is not the text padded";
            continue;
        }
        const std::size_t mark = cell.find_last_not_of(' ');
        if (mark == std::string::npos || cell[mark] != '~')
            return "a cut cell of width " + std::to_string(w) + " has no ~";
        const std::string_view kept(cell.data(), mark);
        if (out.compare(0, kept.size(), kept) != 0 || !unescapeVisible(kept))
            return "a cut cell of width " + std::to_string(w) + " splits a character or an escape";
        if (cutsNumber(out, kept.size()))
            return "a cut cell of width " + std::to_string(w) + " cuts a number";
    }
    return {};
}

} // namespace rwfuzz
