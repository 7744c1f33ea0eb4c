#pragma once


#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace rw {

// Handle of a string in a StringPool. 0 always means "absent" (JSON null or
// missing key), which is different from the empty string.
using StrId = std::uint32_t;
inline constexpr StrId kNoStr = 0;

// Holds the strings of a loaded file. Most views point straight into the
// memory-mapped file (a JSON string without escapes is its own value), so
// interning costs one hash probe and no copy. Strings that needed unescaping
// are copied into an arena owned by the pool.
//
// Interned strings are deduplicated; "unique" strings (event ids, timestamps)
// skip the hash table because they almost never repeat.
class StringPool
{
public:
    StringPool();

    // `text` must stay valid as long as the pool (it lives in the mapping).
    StrId intern(std::string_view text);
    StrId intern(std::string_view text, std::uint64_t hash);
    StrId internCopy(std::string_view text);
    StrId addUnique(std::string_view text);
    StrId addUniqueCopy(std::string_view text);

    std::string_view view(StrId id) const { return m_views[id]; }
    std::size_t size() const { return m_views.size(); }
    // Looks a string up without adding it; kNoStr if it is not interned.
    StrId find(std::string_view text) const;

    // Moves all strings of `other` into this pool and returns, for every id of
    // `other`, its id here. Interned strings are deduplicated across pools.
    std::vector<StrId> absorb(StringPool&& other);

    // A copy with the same ids for the same file mapped again at `newBase`
    // (it grew, and the live view extends its model instead of reading it all
    // again): a view into the old mapping [oldBase, oldBase + oldSize) points
    // at the same offset of the new one, any other string is copied into the
    // copy's own arena. Nothing of the copy refers to the old mapping.
    StringPool rebasedCopy(const char* oldBase, std::size_t oldSize, const char* newBase) const;

    std::size_t memoryBytes() const;

private:
    std::string_view copyToArena(std::string_view text);
    void grow();
    void reserveInterned(std::size_t count);
    std::size_t probe(std::string_view text, std::uint64_t hash) const;

    std::vector<std::string_view> m_views;
    std::vector<std::uint8_t> m_interned;
    // open addressing: slot holds id (0 = empty); m_hashes keeps the full hash
    std::vector<StrId> m_slots;
    std::vector<std::uint64_t> m_slotHash; // full hash: growing never re-reads the strings
    std::size_t m_internedCount = 0;
    std::vector<std::unique_ptr<char[]>> m_arena;
    char* m_current = nullptr; // the small-string block being filled
    std::size_t m_arenaUsed = 0;
    std::size_t m_arenaCap = 0;
    std::size_t m_arenaBytes = 0;
};

std::uint64_t hashBytes(std::string_view text);

} // namespace rw
