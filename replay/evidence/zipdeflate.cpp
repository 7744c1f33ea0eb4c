#include "replay/evidence/zipdeflate.h"

#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <cstdint>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace rw {

namespace {

constexpr std::size_t kWindow = 32u << 10; // deflate's largest distance

struct Chunk
{
    std::string out;
    uLong crc = 0;
    bool ok = false;
};

// One chunk, primed with the window before it; the last one finishes the stream.
void deflateChunk(std::string_view all, std::size_t begin, std::size_t end, int level, Chunk& chunk)
{
    const std::size_t size = end - begin;
    const bool last = end == all.size();
    chunk.crc = crc32_z(0, reinterpret_cast<const Bytef*>(all.data() + begin), size);
    isal_zstream s;
    isal_deflate_init(&s);
    s.level = static_cast<std::uint32_t>(level);
    // the level's work memory, kept per thread: a fresh one per chunk costs more than the chunk
    thread_local std::vector<std::uint8_t> levelBuffer;
    levelBuffer.resize(level >= 3 ? ISAL_DEF_LVL3_DEFAULT : level == 2 ? ISAL_DEF_LVL2_DEFAULT
                       : level == 1                     ? ISAL_DEF_LVL1_DEFAULT
                                                        : ISAL_DEF_LVL0_DEFAULT);
    s.level_buf = levelBuffer.data();
    s.level_buf_size = static_cast<std::uint32_t>(levelBuffer.size());
    if (begin > 0) {
        const std::size_t from = begin - std::min(begin, kWindow);
        if (isal_deflate_set_dict(&s, reinterpret_cast<std::uint8_t*>(const_cast<char*>(all.data() + from)),
                                  static_cast<std::uint32_t>(begin - from)) != COMP_OK)
            return;
    }
    // incompressible input grows by the headers of stored blocks: a few bytes per 64 KiB
    chunk.out.resize(size + size / 64 + 1024);
    s.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(all.data() + begin));
    s.avail_in = static_cast<std::uint32_t>(size);
    s.next_out = reinterpret_cast<std::uint8_t*>(chunk.out.data());
    s.avail_out = static_cast<std::uint32_t>(chunk.out.size());
    s.flush = last ? NO_FLUSH : SYNC_FLUSH; // a sync flush ends on a byte boundary, so chunks concatenate
    s.end_of_stream = last ? 1 : 0;
    const int rc = isal_deflate(&s);
    const bool done = rc == COMP_OK && s.avail_in == 0 &&
                      (last ? s.internal_state.state == ZSTATE_END : s.internal_state.state == ZSTATE_NEW_HDR);
    chunk.out.resize(s.total_out);
    chunk.out.shrink_to_fit(); // the bound is about the input's size: do not hold it for every chunk
    chunk.ok = done;
}

} // namespace

DeflatedMember deflateChunked(std::string_view bytes, int level, unsigned threads, std::size_t chunkBytes,
                              const std::atomic<bool>* stop)
{
    chunkBytes = std::clamp<std::size_t>(chunkBytes, kWindow, 1u << 30); // avail_in is 32-bit
    const std::size_t count = std::max<std::size_t>(1, (bytes.size() + chunkBytes - 1) / chunkBytes);
    std::vector<Chunk> chunks(count);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < count && !(stop && *stop); i = next++)
            deflateChunk(bytes, i * chunkBytes, std::min(bytes.size(), (i + 1) * chunkBytes), level, chunks[i]);
    };
    const unsigned extra = static_cast<unsigned>(std::min<std::size_t>(count, std::max(1u, threads))) - 1;
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < extra; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();

    DeflatedMember result;
    std::size_t total = 0;
    for (const Chunk& c : chunks) {
        if (!c.ok)
            return result;
        total += c.out.size();
    }
    result.data.reserve(total);
    uLong crc = crc32_z(0, nullptr, 0);
    for (std::size_t i = 0; i < count; ++i) {
        result.data += chunks[i].out;
        std::string().swap(chunks[i].out);
        const std::size_t size = std::min(bytes.size(), (i + 1) * chunkBytes) - std::min(bytes.size(), i * chunkBytes);
        crc = crc32_combine64(crc, chunks[i].crc, static_cast<z_off64_t>(size));
    }
    result.crc = static_cast<std::uint32_t>(crc);
    result.ok = true;
    return result;
}

} // namespace rw
