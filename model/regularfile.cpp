#include "model/regularfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rw {

FileType fileTypeOf(mode_t mode)
{
    if (S_ISREG(mode))
        return FileType::Regular;
    if (S_ISDIR(mode))
        return FileType::Directory;
    if (S_ISFIFO(mode))
        return FileType::Fifo;
    if (S_ISCHR(mode))
        return FileType::CharDevice;
    if (S_ISBLK(mode))
        return FileType::BlockDevice;
    if (S_ISSOCK(mode))
        return FileType::Socket;
    if (S_ISLNK(mode))
        return FileType::Symlink;
    return FileType::Other;
}

RegularFile::~RegularFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

int RegularFile::release()
{
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

std::unique_ptr<RegularFile> RegularFile::open(const std::string& path, std::uint64_t maxBytes, ReadFailure* failure)
{
    ReadFailure dummy;
    ReadFailure& f = failure ? *failure : dummy;
    f = {};
    auto fail = [&](ReadError e, int err, FileType type = FileType::Missing) -> std::unique_ptr<RegularFile> {
        f.error = e;
        f.errnoValue = err;
        f.type = type;
        return nullptr;
    };
    // Refused before open where we can tell: opening some devices has effects
    // of its own. The fstat after open is the check that counts.
    struct stat pre{};
    if (::stat(path.c_str(), &pre) == 0 && !S_ISREG(pre.st_mode))
        return fail(S_ISDIR(pre.st_mode) ? ReadError::IsDirectory : ReadError::NotRegularFile, S_ISDIR(pre.st_mode) ? EISDIR : 0,
                    fileTypeOf(pre.st_mode));
    // O_NOCTTY: a terminal swapped in after the stat must not become our
    // controlling terminal before fstat refuses it
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        const int err = errno;
        if (err == ENXIO || err == ENODEV) { // a socket, or a device without a driver: say what it is
            struct stat st{};
            if (::stat(path.c_str(), &st) == 0)
                return fail(ReadError::NotRegularFile, err, fileTypeOf(st.st_mode));
        }
        return fail(err == ENOENT || err == ENOTDIR ? ReadError::NotFound
                    : err == EACCES || err == EPERM ? ReadError::PermissionDenied
                    : err == EISDIR                 ? ReadError::IsDirectory
                                                    : ReadError::Other,
                    err, err == EISDIR ? FileType::Directory : FileType::Missing);
    }
    std::unique_ptr<RegularFile> file(new RegularFile);
    file->m_fd = fd;
    struct stat st{};
    if (::fstat(fd, &st) != 0)
        return fail(ReadError::Other, errno);
    const FileType type = fileTypeOf(st.st_mode);
    if (type == FileType::Directory)
        return fail(ReadError::IsDirectory, EISDIR, type);
    if (type != FileType::Regular)
        return fail(ReadError::NotRegularFile, 0, type);
    // reads of a regular file never block; clear the flag all the same so
    // that a descriptor handed on behaves as an ordinary one
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    file->m_size = static_cast<std::uint64_t>(st.st_size);
    file->m_limit = maxBytes;
    if (file->m_size > maxBytes) {
        f.size = file->m_size;
        f.limit = maxBytes;
        return fail(ReadError::TooLarge, EFBIG, type);
    }
    return file;
}

std::optional<std::string> RegularFile::readAll(ReadFailure* failure)
{
    ReadFailure dummy;
    ReadFailure& f = failure ? *failure : dummy;
    f = {};
    std::string bytes;
    bytes.reserve(static_cast<std::size_t>(m_size));
    char chunk[1 << 16];
    for (;;) {
        const ssize_t n = ::read(m_fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            f.error = ReadError::ReadFailed;
            f.errnoValue = errno;
            return std::nullopt;
        }
        if (n == 0)
            break;
        bytes.append(chunk, static_cast<std::size_t>(n));
        if (bytes.size() > m_limit) { // it grew since open
            f.error = ReadError::TooLarge;
            f.type = FileType::Regular;
            f.size = bytes.size();
            f.limit = m_limit;
            return std::nullopt;
        }
    }
    return bytes;
}

std::optional<std::string> readRegularFile(const std::string& path, std::uint64_t maxBytes, ReadFailure* failure)
{
    const std::unique_ptr<RegularFile> file = RegularFile::open(path, maxBytes, failure);
    return file ? file->readAll(failure) : std::nullopt;
}

std::string readFailureReason(const ReadFailure& failure)
{
    auto what = [](FileType t) -> std::string {
        switch (t) {
        case FileType::Fifo: return "a FIFO (named pipe)";
        case FileType::CharDevice: return "a character device";
        case FileType::BlockDevice: return "a block device";
        case FileType::Socket: return "a socket";
        case FileType::Directory: return "a directory";
        case FileType::Symlink: return "a symbolic link";
        default: return "a special file";
        }
    };
    switch (failure.error) {
    case ReadError::None: return {};
    case ReadError::NotFound: return "file not found";
    case ReadError::PermissionDenied: return "permission denied";
    case ReadError::IsDirectory: return "is a directory";
    case ReadError::NotRegularFile: return "is " + what(failure.type) + ", not a regular file";
    case ReadError::TooLarge:
        return "file is " + std::to_string(failure.size) + " bytes, more than the limit of " + std::to_string(failure.limit);
    case ReadError::ReadFailed: return std::string("read error: ") + std::strerror(failure.errnoValue);
    case ReadError::Other:
        return std::string("cannot be opened") + (failure.errnoValue ? std::string(": ") + std::strerror(failure.errnoValue) : "");
    }
    return {};
}

} // namespace rw
