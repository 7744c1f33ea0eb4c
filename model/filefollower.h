#pragma once

// Following a file by name as `tail -F` does, for the live watch: the new
// bytes of a growing file read as they come (only those: pread from where
// the last read stopped), lines passed on as they complete. Each poll
// compares the open file (fstat) with the name (stat):
//  - grown: the new bytes are read; an unterminated last line is held until
//    its line break, and reported once it is older than a limit;
//  - another file at the name (rename + create, logrotate's `create`): the
//    open file is read to its end first, then the name reopened from 0;
//  - shrunk below what was read (truncation, copytruncate): said, with a
//    possible gap, and read again from 0;
//  - the name gone: said; the open file is still read, the name retried.
// Every open is a segment (path, device, inode, bytes read, their SHA-256).
// The file is only ever opened read-only.
#include "model/followtypes.h"
#include "model/linesplitter.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rw {

class Sha256;

class FileFollower
{
public:
    struct Options
    {
        std::int64_t incompleteAfterMs = 5000; // an unterminated line older than this is reported
        std::size_t maxLineBytes = 64u << 20;
        std::function<std::int64_t()> clockMs;  // wall clock (tests set their own)
        // what the file holds at the first poll is the backlog (FollowedLine::backlog);
        // off for a file that appears while following (all of it is new)
        bool backlog = true;
        // where reading begins at the first open (a folder going back to a file it read before)
        std::uint64_t startAt = 0, startLine = 0;
    };

    explicit FileFollower(std::string path);
    FileFollower(std::string path, Options options);
    ~FileFollower();
    FileFollower(const FileFollower&) = delete;
    FileFollower& operator=(const FileFollower&) = delete;

    // Reads what is new; its lines and findings in order.
    void poll(const FollowLineSink& onLine, const FollowNoteSink& onNote);
    // The end of following (the watch stops): a held line is passed on as incomplete.
    void finish(const FollowLineSink& onLine, const FollowNoteSink& onNote);

    const std::string& path() const { return m_path; }
    bool isOpen() const { return m_fd >= 0; }
    // every file opened so far, in order; the last one's hash covers the bytes so far
    std::vector<FollowSegment> segments() const;
    // where reading stopped: the open file's device and inode, byte and line
    struct Place
    {
        std::uint64_t device = 0, inode = 0, offset = 0, line = 0;
    };
    Place place() const { return {m_device, m_inode, m_readPos, m_lines.lines()}; }

private:
    bool open(const FollowNoteSink& onNote);
    void readToEnd(const FollowLineSink& onLine, const FollowNoteSink& onNote);
    void closeSegment(const FollowLineSink& onLine, const FollowNoteSink& onNote, bool flushTail);
    void note(const FollowNoteSink& onNote, FollowFinding f, std::uint64_t offset, std::string detail = {});
    std::int64_t now() const;
    bool stillThere() const;

    std::string m_path;
    Options m_options;
    int m_fd = -1;
    std::uint64_t m_device = 0, m_inode = 0;
    std::uint64_t m_readPos = 0;     // next byte of the open file to read
    std::uint64_t m_backlogEnd = 0;  // its size when it was opened
    bool m_removedSaid = false, m_waitingSaid = false, m_tailSaid = false;
    bool m_firstPoll = true;
    std::int64_t m_tailSinceMs = 0;
    LineSplitter m_lines;
    std::vector<FollowSegment> m_segments;
    std::unique_ptr<Sha256> m_hash; // of the open segment
    std::string m_block;
    std::string m_lastBytes; // the last bytes read (up to 64), checked at each poll
};

} // namespace rw
