#include "model/decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace rw {

void FreeDeleter::operator()(char* p) const { std::free(p); }

Compression compressionOf(std::string_view b)
{
    if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1F && static_cast<unsigned char>(b[1]) == 0x8B)
        return Compression::Gzip;
    if (b.size() >= 4 && std::memcmp(b.data(), "\x28\xB5\x2F\xFD", 4) == 0)
        return Compression::Zstd;
    return Compression::None;
}

const char* compressionName(Compression c)
{
    switch (c) {
    case Compression::Gzip: return "gzip";
    case Compression::Zstd: return "zstd";
    case Compression::None: break;
    }
    return "none";
}

namespace {

// Room for the next piece of output: doubling, capped at the limit.
bool grow(Inflated& out, std::uint64_t limit, std::size_t hint)
{
    if (out.size >= limit) {
        out.tooLarge = true;
        return false;
    }
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(std::max<std::size_t>({out.capacity * 2, hint, 1u << 20}), limit));
    char* p = static_cast<char*>(std::realloc(out.bytes.get(), want));
    if (!p)
        throw std::bad_alloc();
    out.bytes.release();
    out.bytes.reset(p);
    out.capacity = want;
    return true;
}

void inflateGzip(std::string_view in, Inflated& out, std::uint64_t limit)
{
    // a single member's trailer holds its size modulo 4 GiB: a good first guess
    std::size_t hint = in.size() * 4;
    if (in.size() >= 18) {
        const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
        const std::size_t isize = t[0] | (t[1] << 8) | (t[2] << 16) | (static_cast<std::size_t>(t[3]) << 24);
        hint = std::max(hint, isize + 1);
    }
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) {
        out.damage = "zlib could not start";
        return;
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    std::size_t consumed = 0;
    while (true) {
        // zlib counts in 32 bits: feed at most 1 GiB at a time
        const std::size_t chunkIn = std::min<std::size_t>(in.size() - consumed, 1u << 30);
        zs.avail_in = static_cast<uInt>(chunkIn);
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
        if (out.size == out.capacity && !grow(out, limit, hint))
            break;
        const std::size_t room = std::min<std::size_t>(out.capacity - out.size, 1u << 30);
        zs.next_out = reinterpret_cast<Bytef*>(out.bytes.get() + out.size);
        zs.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        out.size += room - zs.avail_out;
        consumed += chunkIn - zs.avail_in;
        if (rc == Z_STREAM_END) {
            // another member follows (concatenated .gz files), or the end
            if (consumed + 2 <= in.size() && compressionOf(in.substr(consumed)) == Compression::Gzip) {
                inflateReset(&zs);
                continue;
            }
            if (consumed < in.size() && in.find_first_not_of('\0', consumed) != std::string_view::npos)
                out.damage = std::to_string(in.size() - consumed) + " bytes after the end of the gzip data";
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            out.damage = std::string("damaged gzip data (") + (zs.msg ? zs.msg : "zlib error") + ") after " +
                         std::to_string(out.size) + " decompressed bytes";
            break;
        }
        if (rc == Z_BUF_ERROR && zs.avail_out != 0 && consumed >= in.size()) {
            out.damage = "the gzip data is cut short after " + std::to_string(out.size) + " decompressed bytes";
            break;
        }
    }
    inflateEnd(&zs);
}

void inflateZstd(std::string_view in, Inflated& out, std::uint64_t limit)
{
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    if (!dctx) {
        out.damage = "zstd could not start";
        return;
    }
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    std::size_t last = 1;
    // the first frame usually says its size: one allocation instead of doublings
    std::size_t hint = in.size() * 4;
    if (const unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
        declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR)
        hint = std::max<std::size_t>(hint, static_cast<std::size_t>(std::min<unsigned long long>(declared + 1, limit)));
    while (input.pos < input.size) {
        if (out.size == out.capacity && !grow(out, limit, hint))
            break;
        ZSTD_outBuffer output{out.bytes.get() + out.size, out.capacity - out.size, 0};
        last = ZSTD_decompressStream(dctx, &output, &input);
        out.size += output.pos;
        if (ZSTD_isError(last)) {
            out.damage = std::string("damaged zstd data (") + ZSTD_getErrorName(last) + ") after " +
                         std::to_string(out.size) + " decompressed bytes";
            break;
        }
    }
    // flush what the decoder still holds
    while (out.damage.empty() && !out.tooLarge && last != 0) {
        if (out.size == out.capacity && !grow(out, limit, hint))
            break;
        ZSTD_outBuffer output{out.bytes.get() + out.size, out.capacity - out.size, 0};
        const std::size_t before = output.pos;
        last = ZSTD_decompressStream(dctx, &output, &input);
        out.size += output.pos;
        if (ZSTD_isError(last)) {
            out.damage = std::string("damaged zstd data (") + ZSTD_getErrorName(last) + ")";
            break;
        }
        if (output.pos == before && last != 0) {
            out.damage = "the zstd data is cut short after " + std::to_string(out.size) + " decompressed bytes";
            break;
        }
    }
    ZSTD_freeDCtx(dctx);
}

} // namespace

Inflated inflateAll(std::string_view stored, Compression c, std::uint64_t limit, std::size_t padding)
{
    Inflated out;
    if (c == Compression::Gzip)
        inflateGzip(stored, out, limit);
    else if (c == Compression::Zstd)
        inflateZstd(stored, out, limit);
    if (out.capacity < out.size + padding) {
        char* p = static_cast<char*>(std::realloc(out.bytes.get(), out.size + padding));
        if (!p)
            throw std::bad_alloc();
        out.bytes.release();
        out.bytes.reset(p);
        out.capacity = out.size + padding;
    }
    std::memset(out.bytes.get() + out.size, 0, padding);
    return out;
}

} // namespace rw
