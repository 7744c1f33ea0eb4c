#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rw {

// Finds an ASCII-lower-cased needle in text of any case, in time linear in
// the text plus the needle (Knuth-Morris-Pratt over the lowered bytes). The
// needle comes from a user (a filter term, a glob segment) and the text from
// an audit file, so a naive search could be made to take len(text) x
// len(needle) steps; this one never looks at a text byte more than twice.
class CaseFoldSearcher
{
public:
    static constexpr std::size_t npos = std::string_view::npos;

    CaseFoldSearcher() = default;
    explicit CaseFoldSearcher(std::string_view needleLower);

    // Offset of the first occurrence at or after `from`, npos when none.
    std::size_t find(std::string_view text, std::size_t from = 0) const;
    bool foundIn(std::string_view text) const { return find(text) != npos; }
    const std::string& needle() const { return m_needle; }

private:
    std::string m_needle;
    std::vector<std::size_t> m_border; // KMP failure function: longest proper border of needle[0..i]
};

// ASCII lower-casing as the filter and the policy engine have always done it.
inline char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

} // namespace rw
