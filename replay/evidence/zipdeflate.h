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
// inflater reads. Compressed with ISA-L's igzip (`level` 0-3): about five times
// zlib's speed at its level 3 for a similar size, as exports write members of
// hundreds of MiB, which zlib on one core compresses far slower than the loader
// reads them. The CRC-32 is zlib's, combined across chunks.
// `stop`, when set, abandons the work between chunks (the result is not ok).
DeflatedMember deflateChunked(std::string_view bytes, int level, unsigned threads, std::size_t chunkBytes = 1u << 20,
                              const std::atomic<bool>* stop = nullptr);

} // namespace rw
