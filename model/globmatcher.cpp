#include "model/globmatcher.h"

namespace rw {

namespace {

bool equalsLower(std::string_view text, std::string_view lowered)
{
    if (text.size() != lowered.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (asciiLower(text[i]) != lowered[i])
            return false;
    return true;
}

} // namespace

GlobMatcher::GlobMatcher(std::string_view pattern)
{
    const std::size_t firstStar = pattern.find('*');
    if (firstStar == std::string_view::npos) {
        m_prefix = pattern;
        return;
    }
    m_hasStar = true;
    const std::size_t lastStar = pattern.rfind('*');
    m_prefix = pattern.substr(0, firstStar);
    m_suffix = pattern.substr(lastStar + 1);
    std::size_t start = firstStar + 1;
    while (start < lastStar) {
        const std::size_t end = pattern.find('*', start);
        if (end > start)
            m_middle.emplace_back(pattern.substr(start, end - start));
        start = end + 1;
    }
}

bool GlobMatcher::matches(std::string_view text) const
{
    if (!m_hasStar)
        return equalsLower(text, m_prefix);
    if (text.size() < m_prefix.size() + m_suffix.size())
        return false;
    if (!equalsLower(text.substr(0, m_prefix.size()), m_prefix) ||
        !equalsLower(text.substr(text.size() - m_suffix.size()), m_suffix))
        return false;
    // the middle segments must fit between the prefix and the suffix
    const std::string_view middle = text.substr(m_prefix.size(), text.size() - m_prefix.size() - m_suffix.size());
    std::size_t at = 0;
    for (const CaseFoldSearcher& segment : m_middle) {
        const std::size_t found = segment.find(middle, at);
        if (found == CaseFoldSearcher::npos)
            return false;
        at = found + segment.needle().size();
    }
    return true;
}

} // namespace rw
