#include "model/filefollower.h"

#include "model/sourcefile.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rw {

namespace {

constexpr std::size_t kBlock = 1u << 20;
constexpr std::size_t kWitness = 64; // bytes before the read position checked at each poll

} // namespace

FileFollower::FileFollower(std::string path) : FileFollower(std::move(path), Options{}) {}

FileFollower::FileFollower(std::string path, Options options)
    : m_path(std::move(path)), m_options(std::move(options)), m_lines(m_options.maxLineBytes)
{
}

FileFollower::~FileFollower()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

std::int64_t FileFollower::now() const
{
    return m_options.clockMs ? m_options.clockMs() : followClockMs();
}

void FileFollower::note(const FollowNoteSink& onNote, FollowFinding f, std::uint64_t offset, std::string detail)
{
    if (onNote)
        onNote({f, m_path, offset, now(), std::move(detail)});
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
    m_fd = fd;
    m_device = static_cast<std::uint64_t>(st.st_dev);
    m_inode = static_cast<std::uint64_t>(st.st_ino);
    m_readPos = 0;
    m_lines.reset();
    if (m_firstPoll && m_options.startAt > 0 && m_options.startAt <= static_cast<std::uint64_t>(st.st_size)) {
        m_readPos = m_options.startAt;
        m_lines.startAfter(m_options.startLine);
    }
    // only what was there when following began is old: a file reopened after a
    // rotation, or one that appeared later, is all new
    m_backlogEnd = m_firstPoll && m_options.backlog ? static_cast<std::uint64_t>(st.st_size) : 0;
    m_waitingSaid = m_removedSaid = m_tailSaid = false;
    m_lastBytes.clear();
    m_hash = std::make_unique<Sha256>();
    m_segments.push_back({m_path, m_device, m_inode, m_readPos, m_readPos, {}, true});
    note(onNote, FollowFinding::Opened, 0, std::to_string(st.st_size) + " bytes");
    return true;
}

void FileFollower::readToEnd(const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    const std::size_t segment = m_segments.size() - 1;
    const auto line = [&](std::string_view text, std::uint64_t offset, std::uint64_t number) {
        if (onLine)
            onLine({text, offset, number, segment, offset + text.size() < m_backlogEnd, false});
    };
    const auto tooLong = [&](std::uint64_t offset, std::uint64_t number) {
        note(onNote, FollowFinding::LineTooLong, offset,
             "line " + std::to_string(number) + " is longer than " + std::to_string(m_options.maxLineBytes) + " bytes");
    };
    m_block.resize(kBlock);
    while (true) {
        const ssize_t n = ::pread(m_fd, m_block.data(), m_block.size(), static_cast<off_t>(m_readPos));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            note(onNote, FollowFinding::ReadError, m_readPos, std::strerror(errno));
            return;
        }
        if (n == 0)
            return;
        const std::string_view bytes(m_block.data(), static_cast<std::size_t>(n));
        const bool heldBefore = m_lines.holding();
        const std::uint64_t tailBefore = m_lines.tailOffset();
        m_hash->update(bytes);
        m_lines.feed(bytes, m_readPos, line, tooLong);
        m_readPos += static_cast<std::uint64_t>(n);
        m_segments.back().end = m_readPos;
        // the last bytes read, to tell a file rewritten past this point from one grown
        const std::size_t keep = std::min<std::size_t>(bytes.size(), kWitness);
        m_lastBytes.append(bytes.substr(bytes.size() - keep));
        if (m_lastBytes.size() > kWitness)
            m_lastBytes.erase(0, m_lastBytes.size() - kWitness);
        if (!m_lines.holding() || !heldBefore || m_lines.tailOffset() != tailBefore) {
            // a new unterminated line (or none): its age counts from now
            m_tailSinceMs = now();
            m_tailSaid = false;
        }
    }
}

void FileFollower::closeSegment(const FollowLineSink& onLine, const FollowNoteSink& onNote, bool flushTail)
{
    if (m_fd < 0)
        return;
    const std::size_t segment = m_segments.size() - 1;
    const std::uint64_t tailAt = m_lines.tailOffset();
    if (flushTail && m_lines.flush([&](std::string_view text, std::uint64_t offset, std::uint64_t number) {
            if (onLine)
                onLine({text, offset, number, segment, offset + text.size() <= m_backlogEnd, true});
        }))
        note(onNote, FollowFinding::IncompleteLine, tailAt, "no line break at the end of the file");
    m_segments.back().sha256 = m_hash->finishHex();
    m_segments.back().open = false;
    m_hash.reset();
    ::close(m_fd);
    m_fd = -1;
}

void FileFollower::poll(const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    const bool opened = m_fd >= 0 || open(onNote);
    m_firstPoll = false;
    if (!opened)
        return;
    // truncated (and perhaps written again past where reading stopped) since the last poll:
    // told before anything is read, so that no line is read from the middle of new content
    struct stat current{};
    if (::fstat(m_fd, &current) == 0 &&
        (static_cast<std::uint64_t>(current.st_size) < m_readPos || !stillThere())) {
        const std::uint64_t at = m_readPos;
        const bool shrank = static_cast<std::uint64_t>(current.st_size) < at;
        closeSegment(onLine, onNote, true);
        note(onNote, FollowFinding::Truncated, at,
             (shrank ? "shrank to " + std::to_string(current.st_size) + " bytes after " + std::to_string(at) + " were read"
                     : "truncated and written again past byte " + std::to_string(at) + " (the bytes before it changed)") +
                 ": lines written before the truncation may be lost; read again from 0");
        if (open(onNote))
            readToEnd(onLine, onNote); // what is there now was written after the truncation
        return;
    }
    readToEnd(onLine, onNote);
    struct stat byName{};
    if (::stat(m_path.c_str(), &byName) != 0) {
        if (!m_removedSaid)
            note(onNote, FollowFinding::Removed, m_readPos, std::strerror(errno));
        m_removedSaid = true;
    } else if (static_cast<std::uint64_t>(byName.st_dev) != m_device ||
               static_cast<std::uint64_t>(byName.st_ino) != m_inode) {
        // another file at the name: the old one was read to its end above
        const std::uint64_t at = m_readPos;
        closeSegment(onLine, onNote, true);
        note(onNote, FollowFinding::Rotated, at, "read to its end (" + std::to_string(at) + " bytes); the new file is read from 0");
        if (open(onNote))
            readToEnd(onLine, onNote);
        return;
    } else {
        m_removedSaid = false;
    }
    if (m_lines.holding() && !m_tailSaid && now() - m_tailSinceMs >= m_options.incompleteAfterMs) {
        note(onNote, FollowFinding::IncompleteLine, m_lines.tailOffset(),
             "no line break for " + std::to_string((now() - m_tailSinceMs) / 1000) + " s: held until it comes");
        m_tailSaid = true;
    }
}

bool FileFollower::stillThere() const
{
    // truncated and written again past where reading stopped, between two polls:
    // the size alone does not tell, the bytes before the read position do
    if (m_lastBytes.empty())
        return true;
    std::string now(m_lastBytes.size(), '\0');
    const ssize_t n = ::pread(m_fd, now.data(), now.size(), static_cast<off_t>(m_readPos - m_lastBytes.size()));
    return n == static_cast<ssize_t>(now.size()) && now == m_lastBytes;
}

void FileFollower::finish(const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    // a rotation or truncation since the last poll is followed first: its lines are read too
    poll(onLine, onNote);
    if (m_fd >= 0) {
        readToEnd(onLine, onNote);
        closeSegment(onLine, onNote, true);
    }
}

std::vector<FollowSegment> FileFollower::segments() const
{
    std::vector<FollowSegment> out = m_segments;
    if (!out.empty() && out.back().open && m_hash)
        out.back().sha256 = m_hash->peekHex();
    return out;
}

} // namespace rw
