#pragma once

// SHA-256 of bytes that arrive in pieces, computed on a thread of its own
// once they amount to more than a little: the live watch's follower hashes
// every byte it reads (its segments are evidence), and on one thread that
// hash was a fifth of the watch's time. The reader's thread only copies the
// bytes (a tenth of the hash's cost); a bounded queue holds it back when the
// hash falls behind, so memory stays at a few MiB. Bytes that never fill a
// block (a slowly growing log) are hashed on the caller's thread at a peek,
// with no thread started at all.
#include "model/sourcefile.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace rw {

class BackgroundSha256
{
public:
    BackgroundSha256() = default;
    ~BackgroundSha256();
    BackgroundSha256(const BackgroundSha256&) = delete;
    BackgroundSha256& operator=(const BackgroundSha256&) = delete;

    void update(std::string_view bytes);
    std::string peekHex();   // of every byte passed so far (waits for the thread to catch up)
    std::string finishHex(); // once

    static constexpr std::size_t kBlockBytes = 1u << 20; // handed to the thread at this size
    static constexpr std::size_t kQueueBlocks = 4;       // at most this many waiting

private:
    void handOff();
    void drain(); // every block hashed and the pending bytes too, on return
    void run();

    Sha256 m_hash; // updated by the thread while it runs, else by the caller (m_mutex)
    std::string m_pending;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::string> m_queue;
    bool m_busy = false; // the thread is hashing a block it took
    bool m_stop = false;
    std::thread m_thread; // started by the first full block
};

} // namespace rw
