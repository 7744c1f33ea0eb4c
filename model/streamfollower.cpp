#include "model/streamfollower.h"

#include "model/backgroundsha256.h"
#include "model/sourcefile.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rw {

StreamFollower::StreamFollower(int fd, std::string name, std::size_t maxLineBytes)
    : m_fd(fd), m_name(std::move(name)), m_lines(maxLineBytes), m_hash(std::make_unique<BackgroundSha256>())
{
    m_segment.path = m_name;
    struct stat st{};
    if (::fstat(fd, &st) == 0) {
        m_segment.device = static_cast<std::uint64_t>(st.st_dev);
        m_segment.inode = static_cast<std::uint64_t>(st.st_ino);
    }
}

std::unique_ptr<StreamFollower> StreamFollower::openFifo(const std::string& path, std::string& error)
{
    // O_NONBLOCK so that the open does not wait for a writer; reads then go through poll(2)
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        error = std::strerror(errno);
        return nullptr;
    }
    auto out = std::make_unique<StreamFollower>(fd, path);
    out->m_owned = true;
    return out;
}

StreamFollower::~StreamFollower()
{
    if (m_owned && m_fd >= 0)
        ::close(m_fd);
}

void StreamFollower::end(const FollowLineSink& onLine, const FollowNoteSink& onNote, bool endOfStream)
{
    if (m_ended)
        return;
    m_ended = true;
    const std::uint64_t tailAt = m_lines.tailOffset();
    if (m_lines.flush([&](std::string_view text, std::uint64_t offset, std::uint64_t number) {
            if (onLine)
                onLine({text, offset, number, 0, false, true, {}});
        }) &&
        onNote)
        onNote({FollowFinding::IncompleteLine, m_name, tailAt, followClockMs(), "no line break at the end of the stream"});
    m_segment.sha256 = m_hash->finishHex();
    m_segment.open = false;
    if (onNote && endOfStream)
        onNote({FollowFinding::Ended, m_name, m_segment.end, followClockMs(), std::to_string(m_segment.end) + " bytes read"});
}

void StreamFollower::poll(const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    if (m_ended)
        return;
    const auto line = [&](std::string_view text, std::uint64_t offset, std::uint64_t number) {
        if (onLine)
            onLine({text, offset, number, 0, false, false, {}});
    };
    const auto tooLong = [&](std::uint64_t offset, std::uint64_t number) {
        if (onNote)
            onNote({FollowFinding::LineTooLong, m_name, offset, followClockMs(), "line " + std::to_string(number) + " skipped"});
    };
    m_block.resize(1u << 20);
    while (true) {
        pollfd p{m_fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, 0);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return; // nothing there now
        const ssize_t n = ::read(m_fd, m_block.data(), m_block.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (onNote)
                onNote({FollowFinding::ReadError, m_name, m_segment.end, followClockMs(), std::strerror(errno)});
            end(onLine, onNote, true);
            return;
        }
        if (n == 0) {
            end(onLine, onNote, true);
            return;
        }
        const std::string_view bytes(m_block.data(), static_cast<std::size_t>(n));
        m_hash->update(bytes);
        m_lines.feed(bytes, m_segment.end, line, tooLong);
        m_segment.end += static_cast<std::uint64_t>(n);
    }
}

void StreamFollower::finish(const FollowLineSink& onLine, const FollowNoteSink& onNote)
{
    poll(onLine, onNote);
    end(onLine, onNote, false); // stopped: what was read is closed, the stream did not end
}

std::vector<FollowSegment> StreamFollower::segments() const
{
    FollowSegment s = m_segment;
    if (s.open)
        s.sha256 = m_hash->peekHex();
    return {s};
}

} // namespace rw
