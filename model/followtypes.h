#pragma once

// What following a growing source reports (filefollower.h, streamfollower.h):
// its lines as they complete, what happened to the source (rotated,
// truncated, removed...), and the segments of bytes read, each with its
// SHA-256, so that what a live session saw can be verified after rotation.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rw {

enum class FollowFinding : std::uint8_t {
    Opened,         // the source opened: a segment begins
    Waiting,        // the name does not exist (yet): retried
    Rotated,        // the name holds another file now: the old one was read to its end first
    Truncated,      // shrank below what was read (truncation, copytruncate): a possible gap, read from 0
    Removed,        // the name is gone: the open file is still read, the name retried
    IncompleteLine, // an unterminated line older than the limit, or left by a rotation or truncation
    LineTooLong,    // longer than the limit: skipped up to its line break
    ReadError,      // a read failed (errno in detail)
    Switched,       // following a folder: a newer file is followed now
    Ended,          // the end of a stream (stdin, a FIFO whose writer closed)
};
const char* followFindingName(FollowFinding f); // opened, waiting, rotated, ...
std::int64_t followClockMs();                   // the wall clock notes carry, ms since the epoch

struct FollowNote
{
    FollowFinding finding = FollowFinding::Opened;
    std::string path;
    std::uint64_t offset = 0; // in the file, where it happened
    std::int64_t atMs = 0;    // wall clock, ms since the epoch
    std::string detail;
};

// Bytes read from one file (one open of it), in order.
struct FollowSegment
{
    std::string path;
    std::uint64_t device = 0, inode = 0;
    std::uint64_t begin = 0, end = 0; // the byte range read [begin, end)
    std::string sha256;               // of those bytes (of the bytes so far while open)
    bool open = true;
};

struct FollowedLine
{
    std::string_view text;   // without its line break (nor a CR before it); valid during the call
    std::uint64_t offset = 0; // of its first byte, in its file
    std::uint64_t line = 0;   // 1-based, in its file
    std::size_t segment = 0;  // of the follower's segments()
    bool backlog = false;     // already in the file when it was opened
    bool incomplete = false;  // no line break: the file was rotated or truncated after it
    // the name of the file it is in ("" for a stream): a file rotated away is
    // named as it is now (audit.jsonl.1), found by its inode beside the followed name
    std::string_view path;
};

using FollowLineSink = std::function<void(const FollowedLine&)>;
using FollowNoteSink = std::function<void(const FollowNote&)>;

} // namespace rw
