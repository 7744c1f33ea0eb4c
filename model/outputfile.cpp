#include "model/outputfile.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rw {

namespace {

std::string directoryOf(const std::string& path)
{
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string nameOf(const std::string& path)
{
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The process umask without changing it: umask() would, for a moment, for
// every thread. /proc/self/status has it since Linux 4.7.
mode_t currentUmask()
{
    if (FILE* f = std::fopen("/proc/self/status", "re")) {
        char line[256];
        unsigned value = 0;
        bool found = false;
        while (!found && std::fgets(line, sizeof line, f))
            found = std::sscanf(line, "Umask: %o", &value) == 1;
        std::fclose(f);
        if (found)
            return static_cast<mode_t>(value & 0777);
        return 022;
    }
    return 022;
}

OutputTarget refuse(OutputTarget t, OutputError e, int err = 0, FileType type = FileType::Missing, std::string conflict = {})
{
    t.failure = {e, err, type, std::move(conflict)};
    return t;
}

} // namespace

OutputTarget chooseOutputFile(const std::string& path, OutputRules rules)
{
    OutputTarget t;
    t.requested = path;
    t.path = path;
    t.rules = std::move(rules);
    const bool key = t.rules.kind == OutputKind::SecretKey || t.rules.kind == OutputKind::PublicKey;
    if (path.empty() || path.back() == '/' || nameOf(path) == "." || nameOf(path) == "..")
        return refuse(std::move(t), OutputError::EmptyPath);

    struct stat link{};
    const bool present = ::lstat(path.c_str(), &link) == 0;
    if (!present && errno != ENOENT)
        return refuse(std::move(t), errno == ENOTDIR ? OutputError::NoDirectory : OutputError::CannotCreate, errno);
    if (present && S_ISLNK(link.st_mode)) {
        // a key is never written through a link: the link decides where the secret goes
        if (key)
            return refuse(std::move(t), OutputError::Symlink, 0, FileType::Symlink);
        char resolved[PATH_MAX];
        if (!::realpath(path.c_str(), resolved))
            return refuse(std::move(t), errno == ENOENT ? OutputError::DanglingSymlink : OutputError::CannotCreate, errno,
                          FileType::Symlink);
        // the rename lands on the file the link names; the link stays as it is
        t.path = resolved;
    }
    struct stat st{};
    t.exists = ::stat(t.path.c_str(), &st) == 0;
    if (t.exists) {
        const FileType type = fileTypeOf(st.st_mode);
        if (type == FileType::Directory)
            return refuse(std::move(t), OutputError::IsDirectory, EISDIR, type);
        if (type != FileType::Regular)
            return refuse(std::move(t), OutputError::NotRegularFile, 0, type);
        auto same = [&](const std::string& other) {
            struct stat o{};
            return ::stat(other.c_str(), &o) == 0 && o.st_dev == st.st_dev && o.st_ino == st.st_ino;
        };
        for (const std::string& input : t.rules.inputs)
            if (same(input))
                return refuse(std::move(t), OutputError::SameAsInput, 0, type, input);
        for (const std::string& k : t.rules.keys)
            if (same(k))
                return refuse(std::move(t), OutputError::SameAsKey, 0, type, k);
        if (key && !t.rules.force)
            return refuse(std::move(t), OutputError::KeyExists, EEXIST, type);
        t.mode = st.st_mode & 07777;
        t.device = st.st_dev;
        t.inode = st.st_ino;
        t.changed = st.st_ctim;
        t.owner = st.st_uid;
        t.group = st.st_gid;
    } else {
        if (errno != ENOENT)
            return refuse(std::move(t), errno == ENOTDIR ? OutputError::NoDirectory : OutputError::CannotCreate, errno);
        if (t.rules.kind == OutputKind::InPlace)
            return refuse(std::move(t), OutputError::Missing, ENOENT);
        struct stat dir{};
        if (::stat(directoryOf(t.path).c_str(), &dir) != 0 || !S_ISDIR(dir.st_mode))
            return refuse(std::move(t), OutputError::NoDirectory, ENOENT);
        t.mode = 0666 & ~currentUmask();
    }
    if (t.rules.kind == OutputKind::SecretKey)
        t.mode = 0600;
    return t;
}

OutputFile::~OutputFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_committed && !m_tmpPath.empty())
        ::unlink(m_tmpPath.c_str());
}

std::unique_ptr<OutputFile> OutputFile::create(const OutputTarget& target, OutputFailure* failure)
{
    OutputFailure dummy;
    OutputFailure& f = failure ? *failure : dummy;
    f = target.failure;
    if (!target.ok())
        return nullptr;
    std::unique_ptr<OutputFile> file(new OutputFile);
    file->m_target = target;
    // a hidden name next to the target, random so that nobody can prepare a
    // file or a link under it; O_EXCL|O_NOFOLLOW so that we only ever create
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const std::string dir = directoryOf(target.path);
    // 0600 until commit() gives the final mode: a secret key is never readable by others
    for (int attempt = 0; attempt < 100; ++attempt) {
        unsigned char random[12];
        if (::getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
            f = {OutputError::CannotCreate, errno, FileType::Missing, {}};
            return nullptr;
        }
        std::string name = dir + "/." + nameOf(target.path).substr(0, 64) + ".";
        for (const unsigned char c : random)
            name += kAlphabet[c % (sizeof kAlphabet - 1)];
        name += ".tmp";
        const int fd = ::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            file->m_fd = fd;
            file->m_tmpPath = name;
            return file;
        }
        if (errno != EEXIST) {
            f = {OutputError::CannotCreate, errno, FileType::Missing, {}};
            return nullptr;
        }
    }
    f = {OutputError::CannotCreate, EEXIST, FileType::Missing, {}};
    return nullptr;
}

bool OutputFile::write(std::string_view bytes)
{
    while (!bytes.empty() && m_failure.error == OutputError::None) {
        const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) // a write of 0 bytes makes no progress: treat it as a full disk
            m_failure = {OutputError::WriteFailed, n < 0 ? errno : ENOSPC, FileType::Regular, {}};
        else
            bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return m_failure.error == OutputError::None;
}

OutputFailure OutputFile::commit()
{
    if (m_failure.error != OutputError::None || m_committed)
        return m_failure;
    auto fail = [&](OutputError e, int err) {
        m_failure = {e, err, FileType::Regular, {}};
        return m_failure;
    };
    // an existing file keeps its owner where we may set it (root rewriting a user's bundle)
    if (m_target.exists && (m_target.owner != ::geteuid() || m_target.group != ::getegid()))
        (void)!::fchown(m_fd, m_target.owner, m_target.group);
    if (::fchmod(m_fd, m_target.mode) != 0)
        return fail(OutputError::WriteFailed, errno);
    if (::fsync(m_fd) != 0) // delayed write errors (a full disk on NFS) show up here
        return fail(OutputError::SyncFailed, errno);
    if (::close(m_fd) != 0) {
        m_fd = -1;
        return fail(OutputError::WriteFailed, errno);
    }
    m_fd = -1;
    // the same checks again, just before the rename: nothing may have been
    // swapped in (a FIFO, a link, another file) since the choice
    const OutputTarget now = chooseOutputFile(m_target.requested, m_target.rules);
    if (!now.ok() || now.path != m_target.path || now.exists != m_target.exists ||
        (now.exists && (now.device != m_target.device || now.inode != m_target.inode ||
                        now.changed.tv_sec != m_target.changed.tv_sec || now.changed.tv_nsec != m_target.changed.tv_nsec)))
        return fail(OutputError::Changed, 0);
    // a new name is never renamed over something created meanwhile
    const unsigned flags = m_target.exists ? 0u : RENAME_NOREPLACE;
    int rc = ::renameat2(AT_FDCWD, m_tmpPath.c_str(), AT_FDCWD, m_target.path.c_str(), flags);
    if (rc != 0 && flags && (errno == EINVAL || errno == ENOSYS)) // a file system without RENAME_NOREPLACE
        rc = ::rename(m_tmpPath.c_str(), m_target.path.c_str());
    if (rc != 0)
        return fail(errno == EEXIST ? OutputError::Changed : OutputError::RenameFailed, errno);
    m_committed = true;
    // the rename itself is durable once the directory is
    const int dirFd = ::open(directoryOf(m_target.path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

OutputFailure writeOutputFile(const OutputTarget& target, std::string_view bytes)
{
    OutputFailure failure;
    const std::unique_ptr<OutputFile> file = OutputFile::create(target, &failure);
    if (!file)
        return failure;
    file->write(bytes);
    return file->commit();
}

} // namespace rw
