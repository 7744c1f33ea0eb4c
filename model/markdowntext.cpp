#include "model/markdowntext.h"

#include "model/visibletext.h"

#include <algorithm>

namespace rw {

std::string markdownCode(std::string_view value)
{
    const std::string text = visibleText(value);
    std::size_t longest = 0, run = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    if (longest == 0)
        return "`" + text + "`";
    // CommonMark: a longer fence; a space on each side keeps an edge backtick inside
    const std::string fence(longest + 1, '`');
    return fence + " " + text + " " + fence;
}

std::string markdownText(std::string_view value)
{
    const std::string text = visibleText(value);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool afterBracket = i > 0 && text[i - 1] == ']';
        if (c == '<' || c == '&' || c == '`' || c == '\\' || (afterBracket && (c == '(' || c == '[')))
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace rw
