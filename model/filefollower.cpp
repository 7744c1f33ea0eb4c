#include "model/filefollower.h"

#include "model/backgroundsha256.h"
#include "model/linesplitter.h"
#include "model/sourcefile.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rw {

namespace {

constexpr std::size_t kBlock = 1u << 20;
constexpr std::size_t kWitness = 64; // bytes before the read position checked at each poll

} // namespace

struct FileFollower::Open
{
    explicit Open(std::size_t maxLineBytes) : lines(maxLineBytes) {}
    ~Open()
    {
        if (fd >= 0)
            ::close(fd);
    }
    Open(const Open&) = delete;
    Open& operator=(const Open&) = delete;

    int fd = -1;
    std::uint64_t device = 0, inode = 0;
    std::uint64_t readPos = 0;    // next byte to read
    std::uint64_t backlogEnd = 0; // its size when it was opened (what was there is the backlog)
    std::size_t segment = 0;      // in m_segments
    std::string name;             // the path, or after a rotation the name it was renamed to
    bool nameSought = false;      // looked for that name since it left the path (once: a folder listing)
    LineSplitter lines;
    BackgroundSha256 hash;        // of the bytes read
    std::string lastBytes;        // the last bytes read (up to 64), checked at each poll
    std::int64_t tailSinceMs = 0; // the held unterminated line is that old
    bool tailSaid = false;
    std::int64_t grewAtMs = 0;    // rotated: the last time it grew
};

FileFollower::FileFollower(std::string path) : FileFollower(std::move(path), Options{}) {}

FileFollower::FileFollower(std::string path, Options options) : m_path(std::move(path)), m_options(std::move(options)) {}

FileFollower::~FileFollower() = default;

std::int64_t FileFollower::now() const
{
    return m_options.clockMs ? m_options.clockMs() : followClockMs();
}

void FileFollower::note(const FollowNoteSink& onNote, FollowFinding f, std::uint64_t offset, std::string detail)
{
    if (onNote)
        onNote({f, m_path, offset, now(), std::move(detail)});
}

FileFollower::Place FileFollower::place() const
{
    if (!m_open)
        return m_closedAt;
    return {m_open->device, m_open->inode, m_open->readPos, m_open->lines.lines()};
}

bool FileFollower::open(const FollowNoteSink& onNote)
{
    // O_NONBLOCK: a FIFO put at the name must not hang the open (it is refused below)
    const int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (!m_waitingSaid)
            note(onNote, FollowFinding::Waiting, 0, std::strerror(errno));
        m_waitingSaid = true;
        return false;
    }
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        if (!m_waitingSaid)
            note(onNote, FollowFinding::Waiting, 0, "not a regular file");
        m_waitingSaid = true;
        return false;
    }
    auto file = std::make_unique<Open>(m_options.maxLineBytes);
    file->fd = fd;
    file->device = static_cast<std::uint64_t>(st.st_dev);
    file->inode = static_cast<std::uint64_t>(st.st_ino);
    if (m_firstPoll && m_options.startAt > 0 && m_options.startAt <= static_cast<std::uint64_t>(st.st_size)) {
        file->readPos = m_options.startAt;
        file->lines.startAfter(m_options.startLine);
    }
    // only what was there when following began is old: a file reopened after a
    // rotation, or one that appeared later, is all new
    file->backlogEnd = m_firstPoll && m_options.backlog ? static_cast<std::uint64_t>(st.st_size) : 0;
    file->segment = m_segments.size();
    file->name = m_path;
    m_segments.push_back({m_path, file->device, file->inode, file->readPos, file->readPos, {}, true});
    m_open = std::move(file);
    m_waitingSaid = m_removedSaid = false;
    note(onNote, FollowFinding::Opened, 0, std::to_string(st.st_size) + " bytes");
    return true;
}

bool FileFollower::readToEnd(Open& file, const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    const auto line = [&](std::string_view text, std::uint64_t offset, std::uint64_t number) {
        if (onLine)
            onLine({text, offset, number, file.segment, offset + text.size() < file.backlogEnd, false, file.name});
    };
    const auto tooLong = [&](std::uint64_t offset, std::uint64_t number) {
        note(onNote, FollowFinding::LineTooLong, offset,
             "line " + std::to_string(number) + " is longer than " + std::to_string(m_options.maxLineBytes) + " bytes");
    };
    m_block.resize(kBlock);
    bool grew = false;
    while (true) {
        const ssize_t n = ::pread(file.fd, m_block.data(), m_block.size(), static_cast<off_t>(file.readPos));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            note(onNote, FollowFinding::ReadError, file.readPos, std::strerror(errno));
            return grew;
        }
        if (n == 0)
            return grew;
        grew = true;
        const std::string_view bytes(m_block.data(), static_cast<std::size_t>(n));
        const bool heldBefore = file.lines.holding();
        const std::uint64_t tailBefore = file.lines.tailOffset();
        file.hash.update(bytes);
        file.lines.feed(bytes, file.readPos, line, tooLong);
        file.readPos += static_cast<std::uint64_t>(n);
        m_segments[file.segment].end = file.readPos;
        // the last bytes read, to tell a file rewritten past this point from one grown
        const std::size_t keep = std::min<std::size_t>(bytes.size(), kWitness);
        file.lastBytes.append(bytes.substr(bytes.size() - keep));
        if (file.lastBytes.size() > kWitness)
            file.lastBytes.erase(0, file.lastBytes.size() - kWitness);
        if (!file.lines.holding() || !heldBefore || file.lines.tailOffset() != tailBefore) {
            // a new unterminated line (or none): its age counts from now
            file.tailSinceMs = now();
            file.tailSaid = false;
        }
    }
}

void FileFollower::closeSegment(Open& file, const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    const std::uint64_t tailAt = file.lines.tailOffset();
    if (file.lines.flush([&](std::string_view text, std::uint64_t offset, std::uint64_t number) {
            if (onLine)
                onLine({text, offset, number, file.segment, offset + text.size() <= file.backlogEnd, true, file.name});
        }))
        note(onNote, FollowFinding::IncompleteLine, tailAt,
             &file == m_open.get() ? "no line break at the end of the file"
                                   : "no line break at the end of the file rotated away (inode " + std::to_string(file.inode) + ")");
    m_segments[file.segment].sha256 = file.hash.finishHex();
    m_segments[file.segment].open = false;
    m_closed.push_back({file.device, file.inode, file.readPos, file.lines.lines()});
}

void FileFollower::readRotated(const FollowLineSink& onLine, const FollowNoteSink& onNote, bool closeAll)
{
    for (auto it = m_rotated.begin(); it != m_rotated.end();) {
        Open& file = **it;
        if (readToEnd(file, onLine, onNote))
            file.grewAtMs = now();
        if (closeAll || now() - file.grewAtMs >= m_options.rotateWaitMs) {
            closeSegment(file, onLine, onNote);
            it = m_rotated.erase(it);
        } else {
            ++it;
        }
    }
}

void FileFollower::poll(const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    // files renamed away first: what their writer still appended came before what the new file holds
    readRotated(onLine, onNote, false);
    const bool opened = m_open || open(onNote);
    m_firstPoll = false;
    if (!opened)
        return;
    // truncated (and perhaps written again past where reading stopped) since the last poll:
    // told before anything is read, so that no line is read from the middle of new content
    struct stat current{};
    if (::fstat(m_open->fd, &current) == 0 &&
        (static_cast<std::uint64_t>(current.st_size) < m_open->readPos || !stillThere(*m_open))) {
        const std::uint64_t at = m_open->readPos;
        const bool shrank = static_cast<std::uint64_t>(current.st_size) < at;
        closeSegment(*m_open, onLine, onNote);
        m_open.reset();
        note(onNote, FollowFinding::Truncated, at,
             (shrank ? "shrank to " + std::to_string(current.st_size) + " bytes after " + std::to_string(at) + " were read"
                     : "truncated and written again past byte " + std::to_string(at) + " (the bytes before it changed)") +
                 ": lines written before the truncation may be lost; read again from 0");
        if (open(onNote))
            readToEnd(*m_open, onLine, onNote); // what is there now was written after the truncation
        return;
    }
    // The name first: a file renamed away is read under the name it has now
    // (its offsets are that file's), whether another file is at the name yet or not.
    struct stat byName{};
    const bool named = ::stat(m_path.c_str(), &byName) == 0;
    const int nameErrno = errno;
    const bool moved = !named || static_cast<std::uint64_t>(byName.st_dev) != m_open->device ||
                       static_cast<std::uint64_t>(byName.st_ino) != m_open->inode;
    if (moved && !m_open->nameSought) {
        m_open->nameSought = true;
        const std::string renamed = renamedTo(m_path, m_open->device, m_open->inode);
        if (!renamed.empty())
            m_open->name = m_segments[m_open->segment].path = renamed;
    } else if (!moved && m_open->nameSought) {
        // renamed back before another file took the name: the path names it again
        m_open->nameSought = false;
        m_open->name = m_segments[m_open->segment].path = m_path;
    }
    readToEnd(*m_open, onLine, onNote);
    const std::string renamed = m_open->name == m_path ? std::string() : m_open->name;
    if (!named) {
        if (!m_removedSaid)
            note(onNote, FollowFinding::Removed, m_open->readPos,
                 std::strerror(nameErrno) + (renamed.empty() ? std::string() : "; the file read is " + renamed + " now"));
        m_removedSaid = true;
    } else if (moved) {
        // another file at the name: the old one was read to its end above, and is still read while it grows
        const std::uint64_t at = m_open->readPos;
        m_open->grewAtMs = now();
        m_rotated.push_back(std::move(m_open));
        note(onNote, FollowFinding::Rotated, at,
             (renamed.empty() ? std::string("not found beside it: ") : "renamed to " + renamed + ": ") + "read to its end (" +
                 std::to_string(at) + " bytes), and for " + std::to_string(m_options.rotateWaitMs / 1000) +
                 " s more while it grows; the new file is read from 0");
        if (open(onNote))
            readToEnd(*m_open, onLine, onNote);
        return;
    } else {
        m_removedSaid = false;
    }
    Open& file = *m_open;
    if (file.lines.holding() && !file.tailSaid && now() - file.tailSinceMs >= m_options.incompleteAfterMs) {
        note(onNote, FollowFinding::IncompleteLine, file.lines.tailOffset(),
             "no line break for " + std::to_string((now() - file.tailSinceMs) / 1000) + " s: held until it comes");
        file.tailSaid = true;
    }
}

std::string FileFollower::renamedTo(const std::string& path, std::uint64_t device, std::uint64_t inode)
{
    // logrotate, fluent-bit and the interceptor's own rotation rename within the folder
    const std::size_t slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
    const std::string prefix = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
    DIR* dir = ::opendir(folder.c_str());
    if (!dir)
        return {};
    std::string found;
    // a folder of thousands of old logs is listed once per rotation, not per line
    while (const dirent* entry = ::readdir(dir)) {
        const std::string candidate = prefix + entry->d_name;
        struct stat st{};
        if (candidate != path && ::lstat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            static_cast<std::uint64_t>(st.st_dev) == device && static_cast<std::uint64_t>(st.st_ino) == inode) {
            found = candidate;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

bool FileFollower::stillThere(const Open& file)
{
    // truncated and written again past where reading stopped, between two polls:
    // the size alone does not tell, the bytes before the read position do
    if (file.lastBytes.empty())
        return true;
    std::string now(file.lastBytes.size(), '\0');
    const ssize_t n = ::pread(file.fd, now.data(), now.size(), static_cast<off_t>(file.readPos - file.lastBytes.size()));
    return n == static_cast<ssize_t>(now.size()) && now == file.lastBytes;
}

void FileFollower::finish(const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    // a rotation or truncation since the last poll is followed first: its lines are read too
    poll(onLine, onNote);
    readRotated(onLine, onNote, true);
    if (m_open) {
        readToEnd(*m_open, onLine, onNote);
        closeSegment(*m_open, onLine, onNote);
        m_closedAt = place();
        m_open.reset();
    }
}

std::vector<FollowSegment> FileFollower::segments() const
{
    std::vector<FollowSegment> out = m_segments;
    for (const std::unique_ptr<Open>& file : m_rotated)
        out[file->segment].sha256 = file->hash.peekHex();
    if (m_open)
        out[m_open->segment].sha256 = m_open->hash.peekHex();
    return out;
}

} // namespace rw
