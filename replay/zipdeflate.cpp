#include "zipdeflate.h"

#include <zlib.h>

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
    z_stream s{};
    if (deflateInit2(&s, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return;
    if (begin > 0) {
        const std::size_t from = begin - std::min(begin, kWindow);
        deflateSetDictionary(&s, reinterpret_cast<const Bytef*>(all.data() + from), static_cast<uInt>(begin - from));
    }
    const bool last = end == all.size();
    const std::size_t size = end - begin;
    chunk.crc = crc32_z(0, reinterpret_cast<const Bytef*>(all.data() + begin), size);
    // the bound plus the empty stored block a sync flush writes
    chunk.out.resize(deflateBound(&s, static_cast<uLong>(size)) + 16);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(all.data() + begin));
    s.avail_in = static_cast<uInt>(size);
    s.next_out = reinterpret_cast<Bytef*>(chunk.out.data());
    s.avail_out = static_cast<uInt>(chunk.out.size());
    const int rc = deflate(&s, last ? Z_FINISH : Z_SYNC_FLUSH);
    const bool done = last ? rc == Z_STREAM_END : rc == Z_OK && s.avail_in == 0 && s.avail_out > 0;
    chunk.out.resize(s.total_out);
    chunk.out.shrink_to_fit(); // the bound is about the input's size: do not hold it for every chunk
    deflateEnd(&s);
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
