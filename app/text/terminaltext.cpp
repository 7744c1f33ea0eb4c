#include "app/text/terminaltext.h"

#include "model/visibletext.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace rw {

namespace {

// East Asian wide and fullwidth characters and the emoji blocks take two
// columns on a terminal; counting them as two keeps cells within their width.
bool isWide(std::uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
           (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
           (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
           (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
           (cp >= 0x1f900 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

// One unit of escaped text that must stay whole: an escape, or one UTF-8
// encoded character. Escaped text is valid UTF-8 and every backslash in it
// starts an escape, so the lengths below are exact.
struct Unit
{
    std::size_t bytes;
    std::size_t columns;
};

Unit unitAt(std::string_view s, std::size_t i)
{
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == '\\' && i + 1 < s.size()) {
        std::size_t len = 2; // \\ \n \r \t
        switch (s[i + 1]) {
        case 'x': len = 4; break;
        case 'u': len = 6; break;
        case 'U': len = 10; break;
        default: break;
        }
        len = std::min(len, s.size() - i);
        return {len, len};
    }
    if (b < 0x80)
        return {1, 1};
    const std::size_t len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    if (i + len > s.size())
        return {s.size() - i, 1};
    std::uint32_t cp = b & (len == 4 ? 0x07u : len == 3 ? 0x0fu : 0x1fu);
    for (std::size_t k = 1; k < len; ++k)
        cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
    return {len, isWide(cp) ? 2u : 1u};
}

} // namespace

void appendTerminalText(std::string& out, std::string_view value) { appendVisible(out, value); }

std::string terminalText(std::string_view value) { return visibleText(value); }

std::size_t terminalColumns(std::string_view escaped)
{
    std::size_t columns = 0;
    for (std::size_t i = 0; i < escaped.size();) {
        const auto b = static_cast<unsigned char>(escaped[i]);
        if (b < 0x80 && b != '\\') { // fast path for plain ASCII
            ++columns;
            ++i;
            continue;
        }
        const Unit u = unitAt(escaped, i);
        columns += u.columns;
        i += u.bytes;
    }
    return columns;
}

std::string terminalCell(std::string_view value, std::size_t width)
{
    if (width == 0)
        return {};
    std::string text = visibleText(value);
    std::size_t columns = terminalColumns(text);
    if (columns > width) {
        // keep whole units while they leave one column for the `~`; note two
        // units past the cut to see whether it falls inside a number
        struct Piece
        {
            std::size_t at, bytes;
        };
        std::vector<Piece> pieces;
        std::size_t used = 0, kept = 0, pos = 0;
        bool full = false;
        while (pos < text.size()) {
            const Unit u = unitAt(text, pos);
            full = full || used + u.columns > width - 1;
            if (full && pieces.size() >= kept + 2)
                break;
            pieces.push_back({pos, u.bytes});
            if (!full) {
                used += u.columns;
                ++kept;
            }
            pos += u.bytes;
        }
        // nor inside a number: `12345~` of 1234567 would read as a value
        auto is = [&](std::size_t k, bool separator) {
            if (k >= pieces.size() || pieces[k].bytes != 1)
                return false; // escapes hold digits, but are no numbers
            const char c = text[pieces[k].at];
            return separator ? c == '.' || c == ',' : c >= '0' && c <= '9';
        };
        auto inside = [&](std::size_t k) {
            return k > 0 && ((is(k - 1, false) && (is(k, false) || (is(k, true) && is(k + 1, false)))) ||
                             (k >= 2 && is(k - 1, true) && is(k - 2, false) && is(k, false)));
        };
        while (inside(kept)) {
            --kept;
            --used; // digits and separators are one column each
        }
        text.resize(pieces[kept].at);
        text += '~';
        columns = used + 1;
    }
    text.append(width - columns, ' ');
    return text;
}

std::string numberCell(const std::string& number, std::size_t width)
{
    std::string out = number;
    if (out.size() < width)
        out.append(width - out.size(), ' ');
    return out;
}

} // namespace rw
