#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rw {

enum class Compression : std::uint8_t { None, Gzip, Zstd };

// Compression named by the stream's magic bytes (never by the file name:
// logrotate's `.1.gz` and a `.log` that is really gzip both happen).
Compression compressionOf(std::string_view bytes);
const char* compressionName(Compression c);

struct FreeDeleter
{
    void operator()(char* p) const;
};

struct Inflated
{
    // the decompressed stream, then `padding` zero bytes; grown with realloc,
    // which moves pages instead of copying them (a 1 GiB stream doubles cheaply)
    std::unique_ptr<char, FreeDeleter> bytes;
    std::size_t capacity = 0;
    std::size_t size = 0;   // decompressed bytes (without the padding)
    std::string damage;     // non-empty: the stream is damaged or cut here; what came before is kept
    bool tooLarge = false;  // stopped at the limit
};

// Decompresses gzip (several members, as `cat a.gz b.gz` makes) or zstd (several
// frames) into memory, up to `limit` bytes, followed by `padding` zero bytes
// (simdjson reads past the end of the last line).
Inflated inflateAll(std::string_view stored, Compression c, std::uint64_t limit, std::size_t padding);

} // namespace rw
