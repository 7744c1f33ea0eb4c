#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rw {

// Raw deflate data of a ZIP member and the CRC-32 of its uncompressed bytes.
struct DeflatedMember
{
    std::string data;
    std::uint32_t crc = 0;
    bool ok = false;
};

// Deflates `bytes` on up to `threads` threads, as pigz does: the input is cut
// into chunks, each compressed on its own with the 32 KiB before it as its
// dictionary and ended by a sync flush (the last one finishes the stream), and
// the outputs are concatenated. The result is one ordinary deflate stream any
// inflater reads; it is a little larger than a single-threaded one. Exports
// write members of hundreds of MiB, which one core compresses slower than the
// loader reads them.
// `stop`, when set, abandons the work between chunks (the result is not ok).
DeflatedMember deflateChunked(std::string_view bytes, int level, unsigned threads, std::size_t chunkBytes = 1u << 20,
                              const std::atomic<bool>* stop = nullptr);

} // namespace rw
