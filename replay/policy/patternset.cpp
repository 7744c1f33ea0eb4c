#include "replay/policy/patternset.h"

#include "model/casefoldsearcher.h"

#include <algorithm>

namespace rw {

PatternSet::PatternSet(const std::vector<std::string>& patterns) : m_patternCount(patterns.size())
{
    // the trie; children kept per state for the breadth-first pass below
    std::vector<std::vector<std::pair<unsigned char, std::int32_t>>> children(1);
    std::vector<std::int32_t> own(1, kNone);
    std::fill(std::begin(m_rootNext), std::end(m_rootNext), -1);
    for (std::size_t p = 0; p < patterns.size(); ++p) {
        std::int32_t state = 0;
        for (const char ch : patterns[p]) {
            // taken as given: an upper-case byte never meets the lowered text, as before
            const auto c = static_cast<unsigned char>(ch);
            std::int32_t next = child(state, c);
            if (next < 0) {
                next = static_cast<std::int32_t>(own.size());
                own.push_back(kNone);
                children.emplace_back();
                children[static_cast<std::size_t>(state)].emplace_back(c, next);
                if (state == 0)
                    m_rootNext[c] = next;
                else
                    m_edges.emplace(edgeKey(state, c), next);
            }
            state = next;
        }
        own[static_cast<std::size_t>(state)] = std::min(own[static_cast<std::size_t>(state)], static_cast<std::int32_t>(p));
    }
    for (std::int32_t& next : m_rootNext)
        if (next < 0)
            next = 0;

    // failure links and the lowest match per state, breadth first so a
    // state's suffixes are done before it
    m_fail.assign(own.size(), 0);
    m_lowest.assign(own.size(), kNone);
    m_lowest[0] = own[0];
    std::vector<std::int32_t> queue;
    queue.reserve(own.size());
    for (const auto& [c, s] : children[0]) {
        m_lowest[static_cast<std::size_t>(s)] = std::min(own[static_cast<std::size_t>(s)], m_lowest[0]);
        queue.push_back(s);
    }
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::int32_t u = queue[head];
        for (const auto& [c, v] : children[static_cast<std::size_t>(u)]) {
            const std::int32_t f = step(m_fail[static_cast<std::size_t>(u)], c);
            m_fail[static_cast<std::size_t>(v)] = f;
            m_lowest[static_cast<std::size_t>(v)] = std::min(own[static_cast<std::size_t>(v)], m_lowest[static_cast<std::size_t>(f)]);
            queue.push_back(v);
        }
    }
}

std::int32_t PatternSet::child(std::int32_t state, unsigned char c) const
{
    if (state == 0)
        return m_rootNext[c] > 0 ? m_rootNext[c] : -1;
    const auto it = m_edges.find(edgeKey(state, c));
    return it == m_edges.end() ? -1 : it->second;
}

// the automaton's transition: follow failure links until an edge fits (each
// link shortens the match, so a whole text costs at most twice its length)
std::int32_t PatternSet::step(std::int32_t state, unsigned char c) const
{
    while (state != 0) {
        const std::int32_t next = child(state, c);
        if (next >= 0)
            return next;
        state = m_fail[static_cast<std::size_t>(state)];
    }
    return m_rootNext[c];
}

int PatternSet::lowestMatch(std::string_view text) const
{
    if (m_patternCount == 0)
        return -1;
    std::int32_t best = m_lowest[0];
    std::int32_t state = 0;
    for (std::size_t i = 0; i < text.size() && best != 0; ++i) {
        state = step(state, static_cast<unsigned char>(asciiLower(text[i])));
        best = std::min(best, m_lowest[static_cast<std::size_t>(state)]);
    }
    return best == kNone ? -1 : best;
}

} // namespace rw
