#pragma once

#include "model/decompress.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st; // OpenSSL's EVP_MD_CTX, kept out of this header

namespace rw {

struct ReadFailure;

// Why a file could not be opened. Wording is up to the caller.
// SizeUnknown: a pseudo-file (/proc, /sys) that reports 0 bytes but has
// content. OutOfMemory: the load needed more memory than there was.
enum class OpenError : std::uint8_t {
    None, NotFound, IsDirectory, NotRegularFile, PermissionDenied, MapFailed, Other, SizeUnknown, OutOfMemory,
    Decompress
};

// The exact bytes of one audit file, opened read-only and memory-mapped, with
// at least kPadding readable bytes after the end so that simdjson can parse the
// last line in place. The file is never written; the mapping is private and
// read-only. Can also wrap an in-memory copy (tests, fuzzing).
class SourceFile
{
public:
    static constexpr std::size_t kPadding = 64;

    ~SourceFile();
    SourceFile(const SourceFile&) = delete;
    SourceFile& operator=(const SourceFile&) = delete;

    // Opens through RegularFile (regular files only); `failure` says which special file was refused.
    static std::unique_ptr<SourceFile> open(const std::string& path, OpenError* error, int* errnoValue = nullptr,
                                            ReadFailure* failure = nullptr);
    static std::unique_ptr<SourceFile> fromBytes(std::string_view bytes, std::string displayName);

    // The bytes as read: for a gzip or zstd file, the decompressed stream
    // (offsets refer to it). storedBytes() are the file's own bytes, which
    // the SHA-256 covers.
    const char* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    std::string_view bytes() const { return {m_data, m_size}; }
    const std::string& path() const { return m_path; }
    std::string_view storedBytes() const { return m_compression == Compression::None ? bytes() : m_stored; }
    Compression compression() const { return m_compression; }
    // non-empty: the compressed data is damaged or cut there; what came before is loaded
    const std::string& decompressionDamage() const { return m_damage; }
    // Decompressed data beyond this is refused (a small file can inflate without bound).
    static constexpr std::uint64_t kMaxDecompressedBytes = 16ull << 30;
    // Pages of the mapping that vanished because the file was truncated on
    // disk after it was opened (logrotate's copytruncate does this). Reading
    // them would raise SIGBUS; a process-wide handler maps zero pages there
    // instead and counts them, so the app stays up and can say so.
    std::uint64_t vanishedPages() const;
    // Modification time (ns since the epoch) when opened; 0 for in-memory
    // copies. The exporter compares it with the file at export time.
    std::int64_t mtimeNs() const { return m_openMtimeNs; }

    // Whether the file on disk still is what was mapped: same size and
    // modification time of the same inode (through the descriptor kept open),
    // and no page vanished under the mapping. A file written, truncated or
    // extended while it was read gives a finding; one whose loaded bytes may
    // have changed gets no SHA-256, never a hash of bytes that were not the file's.
    struct Change
    {
        bool changed = false;
        std::uint64_t sizeAtOpen = 0;
        std::uint64_t sizeNow = 0;
        bool contentRewritten = false; // same size, newer modification time
        // the mapped bytes may no longer be what was read: shrunk, pages
        // vanished, or rewritten in place. Grown only (appended to) is not:
        // the loaded prefix still is the file's first bytes.
        bool loadedBytesSuspect = false;
    };
    Change checkUnchanged() const;
    // Whether both are open on the same file (device and inode): the name
    // may meanwhile be another file's (rotated, replaced). False for in-memory bytes.
    bool sameFileAs(const SourceFile& other) const;
    // Whether the path still names the file that was opened (not rotated, replaced or removed).
    bool stillAtPath() const;

private:
    SourceFile() = default;

    const char* m_data = nullptr;
    std::size_t m_size = 0;
    void* m_mapBase = nullptr;
    std::size_t m_mapLength = 0;
    std::unique_ptr<char[]> m_heap;
    std::string m_path;
    int m_guardSlot = -1;
    Compression m_compression = Compression::None;
    std::string_view m_stored;  // the mapped file when m_data is its decompressed stream
    std::unique_ptr<char, FreeDeleter> m_inflated; // that stream, then kPadding zero bytes
    std::string m_damage;
    int m_fd = -1; // kept open read-only to ask the same inode later
    std::uint64_t m_openSize = 0;
    std::int64_t m_openMtimeNs = 0;
};

// SHA-256 of a byte range (OpenSSL libcrypto, which uses SHA-NI when present:
// about ten times QCryptographicHash's speed here), as lowercase hex.
std::string sha256Hex(std::string_view bytes);
// The same 64 lowercase hex digits written to out[0..63], without allocating.
void sha256HexInto(std::string_view bytes, char* out);

// SHA-256 of bytes that arrive in pieces (a member as it inflates), as lowercase hex.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    std::string finishHex(); // once
    std::string peekHex() const; // of the bytes so far, the hash going on (a live segment's)

private:
    ::evp_md_ctx_st* m_ctx;
};

} // namespace rw
