#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace rw {

struct ReadFailure;

// Why a file could not be opened. Wording is up to the caller.
enum class OpenError : std::uint8_t { None, NotFound, IsDirectory, NotRegularFile, PermissionDenied, MapFailed, Other };

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

    const char* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    std::string_view bytes() const { return {m_data, m_size}; }
    const std::string& path() const { return m_path; }
    // Pages of the mapping that vanished because the file was truncated on
    // disk after it was opened (logrotate's copytruncate does this). Reading
    // them would raise SIGBUS; a process-wide handler maps zero pages there
    // instead and counts them, so the app stays up and can say so.
    std::uint64_t vanishedPages() const;

private:
    SourceFile() = default;

    const char* m_data = nullptr;
    std::size_t m_size = 0;
    void* m_mapBase = nullptr;
    std::size_t m_mapLength = 0;
    std::unique_ptr<char[]> m_heap;
    std::string m_path;
    int m_guardSlot = -1;
};

// SHA-256 of a byte range (OpenSSL libcrypto, which uses SHA-NI when present:
// about ten times QCryptographicHash's speed here), as lowercase hex.
std::string sha256Hex(std::string_view bytes);

} // namespace rw
