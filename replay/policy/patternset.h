#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rw {

// Many lower-cased patterns searched in untrusted text at once (Aho-Corasick
// over ASCII-lowered bytes). Built once per policy engine; each search is one
// pass over the text whatever the number and length of the patterns, where
// checking pattern after pattern with a naive search took minutes for one
// 60 KB pattern against a 12 MB argument or 60k patterns against 4 MB.
//
// The answer is the lowest index of a pattern that occurs, which is what
// upstream reports when it tries the patterns in order.
class PatternSet
{
public:
    PatternSet() = default;
    explicit PatternSet(const std::vector<std::string>& patternsLower);

    bool empty() const { return m_patternCount == 0; }
    // Lowest index of a pattern found in `text`, -1 when none. An empty
    // pattern is found in every text, as a substring test says.
    int lowestMatch(std::string_view text) const;

private:
    static constexpr std::int32_t kNone = INT32_MAX;
    static std::uint64_t edgeKey(std::int32_t state, unsigned char c)
    {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(state)) << 8) | c;
    }
    std::int32_t child(std::int32_t state, unsigned char c) const; // -1 when there is no such edge
    std::int32_t step(std::int32_t state, unsigned char c) const;

    std::size_t m_patternCount = 0;
    std::vector<std::int32_t> m_fail;     // longest proper suffix that is also a trie state
    std::vector<std::int32_t> m_lowest;   // lowest pattern index ending at this state or any of its suffixes
    std::int32_t m_rootNext[256] = {};    // the root's edges, dense: most steps start there
    std::unordered_map<std::uint64_t, std::int32_t> m_edges; // (state, byte) -> state, for the other states
};

} // namespace rw
