#pragma once

#include "model/casefoldsearcher.h"

#include <string>
#include <string_view>
#include <vector>

namespace rw {

// A case-insensitive glob where `*` matches any run of bytes, matched in time
// linear in the text: the first segment is a prefix, the last a suffix, and
// the segments between are found left to right, each at its leftmost place
// (leftmost is always right for `*`-only globs, so there is no backtracking).
class GlobMatcher
{
public:
    GlobMatcher() = default;
    explicit GlobMatcher(std::string_view patternLower);

    bool matches(std::string_view text) const;

private:
    bool m_hasStar = false;
    std::string m_prefix;                   // before the first `*` (the whole pattern when there is none)
    std::string m_suffix;                   // after the last `*`
    std::vector<CaseFoldSearcher> m_middle; // non-empty segments between stars
};

} // namespace rw
