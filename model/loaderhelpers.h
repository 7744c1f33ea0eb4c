#pragma once

// The loader's own helpers (model/auditloader.cpp only): where a file is cut
// into slices, a per-slice memo of vocabulary words, and the worker pool that
// hands an exception back to the caller.
#include "model/stringpool.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace rw::loader {

// Slice boundaries at line starts; more slices than threads so that a slow
// slice (long lines) does not leave a core idle.
inline std::vector<std::size_t> sliceBoundaries(std::string_view bytes, unsigned slices)
{
    std::vector<std::size_t> bounds{0};
    for (unsigned i = 1; i < slices; ++i) {
        std::size_t cut = bytes.size() * i / slices;
        cut = std::max(cut, bounds.back());
        const void* nl = std::memchr(bytes.data() + cut, '\n', bytes.size() - cut);
        if (!nl)
            break;
        const auto next = static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data()) + 1;
        if (next > bounds.back() && next < bytes.size())
            bounds.push_back(next);
    }
    bounds.push_back(bytes.size());
    return bounds;
}

// The vocabulary value of an interned word, remembered per string id: a file
// says "allowed" or "low" millions of times with a handful of ids, so the
// name table is searched a few times per slice rather than once per record.
template <class E, E (*FromText)(std::string_view)>
class WordMemo
{
public:
    explicit WordMemo(const StringPool& pool) : m_pool(pool) {}

    E operator()(StrId id)
    {
        Slot& slot = m_slots[id & (kSlots - 1)];
        if (slot.id != id) {
            slot.id = id;
            slot.value = FromText(m_pool.view(id));
        }
        return slot.value;
    }

private:
    static constexpr std::size_t kSlots = 16;
    struct Slot
    {
        StrId id = kNoStr; // kNoStr reads as the empty word: None
        E value{};
    };
    const StringPool& m_pool;
    std::array<Slot, kSlots> m_slots{};
};

template <typename Fn> void runParallel(unsigned threads, std::size_t jobs, Fn&& fn)
{
    // An exception in a worker (bad_alloc on a hostile file) must reach the
    // caller, not std::terminate: keep the first, finish, join, rethrow.
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto worker = [&] {
        try {
            for (std::size_t j = next++; j < jobs; j = next++)
                fn(j);
        } catch (...) {
            std::lock_guard lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            next = jobs;
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::min<std::size_t>(threads, jobs); ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
}

} // namespace rw::loader
