#pragma once

// Following a stream that cannot be re-read or stat'ed for growth: standard
// input or a FIFO (`kubectl logs -f ... | aisecops-replay --watch -`). Each
// poll reads what is there without waiting (poll(2) with no timeout, so the
// descriptor's flags, shared with the shell, are left alone); the end of the
// stream (the writer closed) is the end of following. One segment: the bytes
// read, their SHA-256, byte offsets counted from the first byte read.
#include "model/followtypes.h"
#include "model/linesplitter.h"

#include <memory>
#include <string>
#include <vector>

namespace rw {

class BackgroundSha256;

class StreamFollower
{
public:
    // `fd` is read, never closed by this class unless it opened it (a FIFO by name)
    explicit StreamFollower(int fd, std::string name = "-", std::size_t maxLineBytes = 64u << 20);
    // a FIFO by name, opened without waiting for a writer
    static std::unique_ptr<StreamFollower> openFifo(const std::string& path, std::string& error);
    ~StreamFollower();
    StreamFollower(const StreamFollower&) = delete;
    StreamFollower& operator=(const StreamFollower&) = delete;

    // reads what is there; at the end of the stream, the held line and an Ended note
    void poll(const FollowLineSink& onLine, const FollowNoteSink& onNote);
    void finish(const FollowLineSink& onLine, const FollowNoteSink& onNote);
    bool ended() const { return m_ended; } // read to its end (or stopped by finish)
    int fd() const { return m_fd; }
    const std::string& path() const { return m_name; }
    std::vector<FollowSegment> segments() const;

private:
    void end(const FollowLineSink& onLine, const FollowNoteSink& onNote, bool endOfStream);

    int m_fd;
    bool m_owned = false, m_ended = false;
    std::string m_name;
    LineSplitter m_lines;
    std::unique_ptr<BackgroundSha256> m_hash;
    FollowSegment m_segment;
    std::string m_block;
};

} // namespace rw
