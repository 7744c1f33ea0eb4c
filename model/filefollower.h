#pragma once

// Following a file by name as `tail -F` does, for the live watch: the new
// bytes of a growing file read as they come (only those: pread from where
// the last read stopped), lines passed on as they complete. Each poll
// compares the open file (fstat) with the name (stat):
//  - grown: the new bytes are read; an unterminated last line is held until
//    its line break, and reported once it is older than a limit;
//  - another file at the name (rename + create, logrotate's `create`): the
//    open file is read to its end first, then the name reopened from 0; the
//    old file is still read, lines and all, until it has not grown for a
//    while (a writer appends to it until it reopens the name: a daemon that
//    reopens on SIGHUP writes there for a moment after logrotate renamed it);
//  - shrunk below what was read (truncation, copytruncate): said, with a
//    possible gap, and read again from 0;
//  - the name gone: said; the open file is still read, the name retried.
// Every open is a segment (path, device, inode, bytes read, their SHA-256);
// a file rotated away is named, in its segment and its lines, by the name it
// was renamed to when that is beside the followed one (audit.jsonl.1).
// The file is only ever opened read-only.
#include "model/followtypes.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rw {

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
        // a rotated file is read until it has not grown for this long (fluent-bit's rotate_wait)
        std::int64_t rotateWaitMs = 5000;
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
    bool isOpen() const { return m_open != nullptr; }
    // every file opened so far, in order; an open one's hash covers the bytes so far
    std::vector<FollowSegment> segments() const;
    std::size_t rotatedOpen() const { return m_rotated.size(); } // rotated files still read
    // where reading stopped: the open file's device and inode, byte and line
    struct Place
    {
        std::uint64_t device = 0, inode = 0, offset = 0, line = 0;
    };
    Place place() const; // after finish(): where it stopped
    // where reading stopped in each file closed so far (rotated away, truncated, finished): a folder
    // going back to any of them goes on from there
    const std::vector<Place>& closedPlaces() const { return m_closed; }

private:
    struct Open; // one open file: its descriptor, where reading stopped, its held line, its hash

    bool open(const FollowNoteSink& onNote);
    // the new bytes of `file`, their lines passed on; false when there were none
    bool readToEnd(Open& file, const FollowLineSink& onLine, const FollowNoteSink& onNote);
    void closeSegment(Open& file, const FollowLineSink& onLine, const FollowNoteSink& onNote);
    void readRotated(const FollowLineSink& onLine, const FollowNoteSink& onNote, bool closeAll);
    void note(const FollowNoteSink& onNote, FollowFinding f, std::uint64_t offset, std::string detail = {});
    std::int64_t now() const;
    static bool stillThere(const Open& file);
    // the name beside `path` that the file (device, inode) has now; "" when none
    static std::string renamedTo(const std::string& path, std::uint64_t device, std::uint64_t inode);

    std::string m_path;
    Options m_options;
    std::unique_ptr<Open> m_open;                 // the file at the name
    std::vector<std::unique_ptr<Open>> m_rotated; // renamed away, still read while they grow
    Place m_closedAt; // where finish() stopped
    std::vector<Place> m_closed;
    bool m_removedSaid = false, m_waitingSaid = false;
    bool m_firstPoll = true;
    std::vector<FollowSegment> m_segments;
    std::string m_block;
};

} // namespace rw
