#include "model/stringpool.h"

#include <cstring>

namespace rw {

namespace {
constexpr std::size_t kArenaBlock = 64 * 1024;
}

std::uint64_t hashBytes(std::string_view text)
{
    // FNV-1a over 8-byte words, then a final avalanche: fast on the short
    // strings we intern (ids, names, enum words) and good enough for a table
    // with full-key comparison.
    std::uint64_t h = 0xcbf29ce484222325ull ^ text.size();
    const char* p = text.data();
    std::size_t n = text.size();
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h = (h ^ tail) * 0x100000001b3ull;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ull;
    h ^= h >> 32;
    return h;
}

StringPool::StringPool()
{
    m_views.emplace_back();
    m_interned.push_back(0);
    m_slots.assign(1024, kNoStr);
    m_slotHash.assign(1024, 0);
}

std::size_t StringPool::probe(std::string_view text, std::uint64_t hash) const
{
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = hash & mask;
    while (true) {
        const StrId id = m_slots[i];
        if (id == kNoStr || (m_slotHash[i] == hash && m_views[id] == text))
            return i;
        i = (i + 1) & mask;
    }
}

void StringPool::grow()
{
    reserveInterned(m_slots.size());
}

void StringPool::reserveInterned(std::size_t count)
{
    std::size_t size = m_slots.size();
    while (count * 4 > size * 3 - 4)
        size *= 2;
    if (size == m_slots.size())
        return;
    std::vector<StrId> oldSlots = std::move(m_slots);
    std::vector<std::uint64_t> oldHash = std::move(m_slotHash);
    m_slots.assign(size, kNoStr);
    m_slotHash.assign(size, 0);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t s = 0; s < oldSlots.size(); ++s) {
        const StrId id = oldSlots[s];
        if (id == kNoStr)
            continue;
        const std::uint64_t h = oldHash[s];
        std::size_t i = h & mask;
        while (m_slots[i] != kNoStr)
            i = (i + 1) & mask;
        m_slots[i] = id;
        m_slotHash[i] = oldHash[s];
    }
}

StrId StringPool::find(std::string_view text) const
{
    const std::size_t slot = probe(text, hashBytes(text));
    return m_slots[slot];
}

StrId StringPool::intern(std::string_view text)
{
    return intern(text, hashBytes(text));
}

StrId StringPool::intern(std::string_view text, std::uint64_t h)
{
    std::size_t slot = probe(text, h);
    if (m_slots[slot] != kNoStr)
        return m_slots[slot];
    if ((m_internedCount + 1) * 4 > m_slots.size() * 3) {
        grow();
        slot = probe(text, h);
    }
    const auto id = static_cast<StrId>(m_views.size());
    m_views.push_back(text);
    m_interned.push_back(1);
    m_slots[slot] = id;
    m_slotHash[slot] = h;
    ++m_internedCount;
    return id;
}

StrId StringPool::internCopy(std::string_view text)
{
    const StrId existing = find(text);
    if (existing != kNoStr)
        return existing;
    return intern(copyToArena(text));
}

StrId StringPool::addUnique(std::string_view text)
{
    const auto id = static_cast<StrId>(m_views.size());
    m_views.push_back(text);
    m_interned.push_back(0);
    return id;
}

StrId StringPool::addUniqueCopy(std::string_view text)
{
    return addUnique(copyToArena(text));
}

std::string_view StringPool::copyToArena(std::string_view text)
{
    if (text.empty())
        return std::string_view("", 0);
    if (text.size() > kArenaBlock / 4) {
        // big strings get a block of their own so blocks stay dense
        auto block = std::make_unique<char[]>(text.size());
        std::memcpy(block.get(), text.data(), text.size());
        std::string_view v(block.get(), text.size());
        m_arena.push_back(std::move(block));
        m_arenaBytes += text.size();
        return v;
    }
    if (m_arenaCap - m_arenaUsed < text.size()) {
        m_arena.push_back(std::make_unique<char[]>(kArenaBlock));
        m_current = m_arena.back().get();
        m_arenaUsed = 0;
        m_arenaCap = kArenaBlock;
        m_arenaBytes += kArenaBlock;
    }
    char* dst = m_current + m_arenaUsed;
    std::memcpy(dst, text.data(), text.size());
    m_arenaUsed += text.size();
    return {dst, text.size()};
}

std::vector<StrId> StringPool::absorb(StringPool&& other)
{
    std::vector<StrId> remap(other.m_views.size(), kNoStr);
    m_views.reserve(m_views.size() + other.m_views.size());
    m_interned.reserve(m_interned.size() + other.m_views.size());
    reserveInterned(m_internedCount + other.m_internedCount);
    // interned strings come with their stored hash, so the (scattered) string
    // bytes are only read to confirm a hash match
    for (std::size_t s = 0; s < other.m_slots.size(); ++s) {
        const StrId id = other.m_slots[s];
        if (id != kNoStr)
            remap[id] = intern(other.m_views[id], other.m_slotHash[s]);
    }
    for (std::size_t i = 1; i < other.m_views.size(); ++i)
        if (!other.m_interned[i])
            remap[i] = addUnique(other.m_views[i]);
    // the views now reference other's arena blocks: keep them alive here
    for (auto& block : other.m_arena)
        m_arena.push_back(std::move(block));
    m_arenaBytes += other.m_arenaBytes;
    other.m_arena.clear();
    return remap;
}

StringPool StringPool::rebasedCopy(const char* oldBase, std::size_t oldSize, const char* newBase) const
{
    StringPool out;
    out.m_views.resize(m_views.size());
    out.m_interned = m_interned;
    out.m_slots = m_slots;
    out.m_slotHash = m_slotHash;
    out.m_internedCount = m_internedCount;
    // addresses compared as integers: the old mapping and the arena are unrelated objects
    const auto from = reinterpret_cast<std::uintptr_t>(oldBase);
    for (std::size_t i = 0; i < m_views.size(); ++i) {
        const std::string_view v = m_views[i];
        const auto at = reinterpret_cast<std::uintptr_t>(v.data());
        if (v.empty())
            out.m_views[i] = v; // null (absent) or a static ""
        else if (at >= from && at - from <= oldSize && v.size() <= oldSize - (at - from))
            out.m_views[i] = std::string_view(newBase + (at - from), v.size());
        else
            out.m_views[i] = out.copyToArena(v);
    }
    return out;
}

std::size_t StringPool::memoryBytes() const
{
    return m_views.capacity() * sizeof(std::string_view) + m_interned.capacity() +
           m_slots.capacity() * sizeof(StrId) + m_slotHash.capacity() * 8 + m_arenaBytes;
}

} // namespace rw
