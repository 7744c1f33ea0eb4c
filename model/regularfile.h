#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>

namespace rw {

// What is at a path, as far as we care before reading or writing it.
enum class FileType : std::uint8_t { Missing, Regular, Directory, Fifo, CharDevice, BlockDevice, Socket, Symlink, Other };
FileType fileTypeOf(mode_t mode);

enum class ReadError : std::uint8_t { None, NotFound, PermissionDenied, IsDirectory, NotRegularFile, TooLarge, ReadFailed, Other };

struct ReadFailure
{
    ReadError error = ReadError::None;
    FileType type = FileType::Missing; // with NotRegularFile: which kind of special file
    int errnoValue = 0;
    std::uint64_t size = 0;  // with TooLarge
    std::uint64_t limit = 0; // with TooLarge
};

// Size limits per kind of file, checked before a byte is read.
struct ReadLimits
{
    static constexpr std::uint64_t kKeyFile = 64u << 10;
    static constexpr std::uint64_t kManifest = 16u << 20;
    // a bundle holds at most 3 GiB of members (BundleLimits); stored members
    // plus headers and the directory stay well under 4 GiB
    static constexpr std::uint64_t kEvidenceBundle = 4ull << 30;
    static constexpr std::uint64_t kUnlimited = UINT64_MAX;
};

// The one way we open a file to read it: audit files, bundles, keys, policy
// and capability bundles, verifier sources. Only regular files: a FIFO without
// a writer would block open() and read() for ever, /dev/zero never ends, a
// socket or a directory is a mistake. The path is opened with O_NONBLOCK (so
// that opening a FIFO returns at once) and then checked with fstat on the
// descriptor, so a file swapped between a check and the open cannot slip
// through; the size is compared with the caller's limit before any read.
class RegularFile
{
public:
    ~RegularFile();
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;

    static std::unique_ptr<RegularFile> open(const std::string& path, std::uint64_t maxBytes, ReadFailure* failure);

    int fd() const { return m_fd; }
    std::uint64_t size() const { return m_size; }
    // Gives up the descriptor (to a QFile, a mapping): the caller closes it.
    int release();
    // The whole file (up to the limit given to open): a file that grew past
    // the limit since open is refused rather than cut.
    std::optional<std::string> readAll(ReadFailure* failure);

private:
    RegularFile() = default;

    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::uint64_t m_limit = 0;
};

// Small files (keys, policy bundles, manifests): all the bytes, or nullopt and why.
std::optional<std::string> readRegularFile(const std::string& path, std::uint64_t maxBytes, ReadFailure* failure);

// A short reason for a refused read ("is a FIFO (named pipe), not a regular
// file"), for the messages the readers of replay/ put in their reports and
// diagnostics, like strerror(): they cannot use app/common's wording.
std::string readFailureReason(const ReadFailure& failure);

} // namespace rw
