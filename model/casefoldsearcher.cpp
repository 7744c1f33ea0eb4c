#include "model/casefoldsearcher.h"

namespace rw {

CaseFoldSearcher::CaseFoldSearcher(std::string_view needleLower) : m_needle(needleLower), m_border(needleLower.size(), 0)
{
    std::size_t k = 0;
    for (std::size_t i = 1; i < m_needle.size(); ++i) {
        while (k > 0 && m_needle[i] != m_needle[k])
            k = m_border[k - 1];
        if (m_needle[i] == m_needle[k])
            ++k;
        m_border[i] = k;
    }
}

std::size_t CaseFoldSearcher::find(std::string_view text, std::size_t from) const
{
    const std::size_t n = m_needle.size();
    if (n == 0)
        return from <= text.size() ? from : npos;
    if (from >= text.size() || text.size() - from < n)
        return npos;
    const char first = m_needle[0];
    std::size_t k = 0; // needle bytes matched so far
    for (std::size_t i = from; i < text.size(); ++i) {
        const char c = asciiLower(text[i]);
        if (k == 0) {
            // the common case: skip quickly to a possible start
            if (c != first)
                continue;
            if (text.size() - i < n)
                return npos;
        } else {
            while (k > 0 && c != m_needle[k])
                k = m_border[k - 1];
            if (k == 0 && c != first)
                continue;
        }
        if (++k == n)
            return i + 1 - n;
    }
    return npos;
}

} // namespace rw
