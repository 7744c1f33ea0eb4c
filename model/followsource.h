#pragma once

// What the live watch follows, whatever it is: a file by name (filefollower.h),
// a folder (its newest matching file, and a newer one as soon as it appears,
// as lnav follows folders), or a stream (`-` for standard input, or a FIFO:
// streamfollower.h). Polled by its owner: on a change the file system
// reports (followwatcher.h) and on a timer as a backstop.
#include "model/filefollower.h"
#include "model/followtypes.h"
#include "model/streamfollower.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rw {

class FollowSource
{
public:
    enum class Kind : std::uint8_t { File, Folder, Stream };

    // `-`, a FIFO, a folder or a file (which need not exist yet); nullptr with
    // `error` when it cannot be followed (a folder that cannot be listed)
    static std::unique_ptr<FollowSource> open(const std::string& spec, const std::string& glob,
                                              FileFollower::Options options, std::string& error);
    ~FollowSource();

    // `rescan` off: a folder's file only, its listing not read again (the
    // followed file changed, not the folder: one listing per change would cost
    // as much as the lines in a folder of thousands of rotated logs)
    void poll(const FollowLineSink& onLine, const FollowNoteSink& onNote, bool rescan = true);
    // the end of following: held lines passed on as incomplete, segments closed
    void finish(const FollowLineSink& onLine, const FollowNoteSink& onNote);

    Kind kind() const { return m_kind; }
    bool ended() const { return m_stream && m_stream->ended(); }
    // the file followed now ("" while a folder has none), and what to watch for changes
    std::string currentPath() const;
    std::vector<std::string> watchPaths() const;
    int streamFd() const { return m_stream ? m_stream->fd() : -1; }
    // every segment read so far, in order (files of a folder one after the other)
    std::vector<FollowSegment> segments() const;

private:
    FollowSource() = default;
    std::string newestInFolder() const;

    Kind m_kind = Kind::File;
    std::string m_spec, m_glob;
    FileFollower::Options m_options;
    std::unique_ptr<FileFollower> m_file;
    std::unique_ptr<StreamFollower> m_stream;
    std::vector<FollowSegment> m_done; // of files a folder followed before the current one
    bool m_polled = false;
    // files a folder followed before: (device, inode) -> (byte, line) where reading stopped
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::pair<std::uint64_t, std::uint64_t>> m_readUpTo;
};

} // namespace rw
