#include "decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>

namespace rw {

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
bool grow(Inflated& out, std::uint64_t limit, std::size_t stored)
{
    if (out.size >= limit) {
        out.tooLarge = true;
        return false;
    }
    const std::size_t want = std::max<std::size_t>({out.bytes.size() * 2, stored * 4, 1u << 20});
    out.bytes.resize(static_cast<std::size_t>(std::min<std::uint64_t>(want, limit)));
    return true;
}

void inflateGzip(std::string_view in, Inflated& out, std::uint64_t limit)
{
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
        if (out.size == out.bytes.size() && !grow(out, limit, in.size()))
            break;
        const std::size_t room = std::min<std::size_t>(out.bytes.size() - out.size, 1u << 30);
        zs.next_out = reinterpret_cast<Bytef*>(out.bytes.data() + out.size);
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
    while (input.pos < input.size) {
        if (out.size == out.bytes.size() && !grow(out, limit, in.size()))
            break;
        ZSTD_outBuffer output{out.bytes.data() + out.size, out.bytes.size() - out.size, 0};
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
        if (out.size == out.bytes.size() && !grow(out, limit, in.size()))
            break;
        ZSTD_outBuffer output{out.bytes.data() + out.size, out.bytes.size() - out.size, 0};
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
    out.bytes.resize(out.size + padding, '\0');
    out.bytes.shrink_to_fit();
    return out;
}

} // namespace rw
