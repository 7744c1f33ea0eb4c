#include "model/visibletext.h"

namespace rw {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the well-formed UTF-8 sequence at p (Unicode table 3-7: no
// overlongs, no surrogates, nothing past U+10FFFF), 0 when there is none.
std::size_t sequenceLength(const unsigned char* p, std::size_t left, std::uint32_t& cp)
{
    const unsigned char b = p[0];
    auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xbf) {
        return i < left && p[i] >= lo && p[i] <= hi;
    };
    if (b >= 0xc2 && b <= 0xdf) {
        if (!cont(1))
            return 0;
        cp = (b & 0x1fu) << 6 | (p[1] & 0x3fu);
        return 2;
    }
    if (b >= 0xe0 && b <= 0xef) {
        const unsigned char lo = b == 0xe0 ? 0xa0 : 0x80, hi = b == 0xed ? 0x9f : 0xbf;
        if (!cont(1, lo, hi) || !cont(2))
            return 0;
        cp = (b & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
        return 3;
    }
    if (b >= 0xf0 && b <= 0xf4) {
        const unsigned char lo = b == 0xf0 ? 0x90 : 0x80, hi = b == 0xf4 ? 0x8f : 0xbf;
        if (!cont(1, lo, hi) || !cont(2) || !cont(3))
            return 0;
        cp = (b & 0x07u) << 18 | (p[1] & 0x3fu) << 12 | (p[2] & 0x3fu) << 6 | (p[3] & 0x3fu);
        return 4;
    }
    return 0;
}

void appendByteEscape(std::string& out, unsigned char b)
{
    switch (b) {
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\\': out += "\\\\"; return;
    default: break;
    }
    out += "\\x";
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
}

void appendCodePointEscape(std::string& out, std::uint32_t cp)
{
    const int digits = cp > 0xffff ? 8 : 4;
    out += cp > 0xffff ? "\\U" : "\\u";
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        out += kHex[(cp >> shift) & 0xf];
}

// Bytes that always leave the fast path: C0, backslash, DEL and anything
// non-ASCII (which is then decoded and checked).
bool slowByte(unsigned char b) { return b < 0x20 || b == '\\' || b >= 0x7f; }

} // namespace

bool isHiddenCodePoint(std::uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
        return true; // C0, DEL, C1 (U+009B is a CSI on many terminals)
    if (cp < 0xad)
        return false;
    switch (cp) {
    case 0x00ad: // soft hyphen
    case 0x034f: // combining grapheme joiner
    case 0x061c: // Arabic letter mark
    case 0x115f: case 0x1160: case 0x3164: case 0xffa0: // Hangul fillers
    case 0x17b4: case 0x17b5: // Khmer inherent vowels
    case 0xfeff: // zero-width no-break space / BOM
        return true;
    default: break;
    }
    return (cp >= 0x180b && cp <= 0x180f)      // Mongolian selectors and vowel separator
           || (cp >= 0x200b && cp <= 0x200f)   // zero-width space/joiners, LRM, RLM
           || (cp >= 0x2028 && cp <= 0x202e)   // line/paragraph separators, bidi embeddings and overrides
           || (cp >= 0x2060 && cp <= 0x206f)   // word joiner, invisible operators, isolates, deprecated formats
           || (cp >= 0xfe00 && cp <= 0xfe0f)   // variation selectors
           || (cp >= 0xfff9 && cp <= 0xfffb)   // interlinear annotation
           || (cp >= 0x1bca0 && cp <= 0x1bca3) // shorthand format controls
           || (cp >= 0x1d173 && cp <= 0x1d17a) // musical format controls
           || (cp >= 0xe0000 && cp <= 0xe007f) // tag characters
           || (cp >= 0xe0100 && cp <= 0xe01ef); // variation selectors supplement
}

namespace {

enum class Style { Text, Json };

void appendJsonEscape(std::string& out, std::uint32_t cp)
{
    if (cp > 0xffff) { // a surrogate pair, as JSON writes it
        cp -= 0x10000;
        appendJsonEscape(out, 0xd800 + (cp >> 10));
        appendJsonEscape(out, 0xdc00 + (cp & 0x3ff));
        return;
    }
    appendCodePointEscape(out, cp);
}

void appendStyled(std::string& out, std::string_view text, Style style)
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    // JSON text keeps its own backslashes, line breaks and tabs
    auto passes = [style](unsigned char b) {
        return !slowByte(b) || (style == Style::Json && (b == '\\' || b == '\n' || b == '\t'));
    };
    std::size_t i = 0;
    while (i < n) {
        std::size_t run = i;
        while (run < n && passes(p[run]))
            ++run;
        out.append(text.data() + i, run - i);
        i = run;
        if (i == n)
            break;
        const unsigned char b = p[i];
        if (b < 0x80) {
            if (style == Style::Json)
                appendJsonEscape(out, b);
            else
                appendByteEscape(out, b);
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        const std::size_t len = sequenceLength(p + i, n - i, cp);
        if (len == 0) {
            appendByteEscape(out, b); // one invalid byte at a time, so nothing valid after it is lost
            ++i;
        } else {
            if (!isHiddenCodePoint(cp))
                out.append(text.data() + i, len);
            else if (style == Style::Json)
                appendJsonEscape(out, cp);
            else
                appendCodePointEscape(out, cp);
            i += len;
        }
    }
}

} // namespace

void appendVisible(std::string& out, std::string_view text) { appendStyled(out, text, Style::Text); }

std::string visibleJson(std::string_view json)
{
    std::string out;
    out.reserve(json.size());
    appendStyled(out, json, Style::Json);
    return out;
}

QString visibleJsonText(std::string_view json)
{
    const std::string v = visibleJson(json);
    return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
}

std::size_t utf8SequenceAt(std::string_view text, std::size_t i, std::uint32_t& cp)
{
    if (i >= text.size())
        return 0;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + i;
    if (p[0] < 0x80) {
        cp = p[0];
        return 1;
    }
    return sequenceLength(p, text.size() - i, cp);
}

std::string visibleText(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    appendVisible(out, text);
    return out;
}

bool needsVisibleEscape(std::string_view text)
{
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t i = 0; i < text.size();) {
        if (!slowByte(p[i])) {
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        const std::size_t len = p[i] < 0x80 ? 0 : sequenceLength(p + i, text.size() - i, cp);
        if (len == 0 || isHiddenCodePoint(cp))
            return true;
        i += len;
    }
    return false;
}

QString visibleUtf8(std::string_view utf8)
{
    if (!needsVisibleEscape(utf8))
        return QString::fromUtf8(utf8.data(), static_cast<qsizetype>(utf8.size()));
    const std::string v = visibleText(utf8);
    return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
}

QString visibleText(const QString& text)
{
    // UTF-16 -> UTF-8 turns a lone surrogate into U+FFFD, which is visible
    const QByteArray utf8 = text.toUtf8();
    const std::string_view view(utf8.constData(), static_cast<std::size_t>(utf8.size()));
    return needsVisibleEscape(view) ? visibleUtf8(view) : text;
}

} // namespace rw
