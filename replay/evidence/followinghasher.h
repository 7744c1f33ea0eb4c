#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace rw {

// SHA-256 of a buffer computed on its own thread while another thread fills
// it, so inflating a member and hashing it take the time of the slower of the
// two instead of their sum. The buffer's bytes must not move while it runs
// (reserve its final size first); grew() publishes how much is written.
class FollowingHasher
{
public:
    explicit FollowingHasher(const char* buffer);
    ~FollowingHasher();
    FollowingHasher(const FollowingHasher&) = delete;
    FollowingHasher& operator=(const FollowingHasher&) = delete;

    void grew(std::size_t written);
    // waits for the hash of the first `written` bytes (the last grew()), as lowercase hex
    std::string finish();

private:
    void run();

    const char* m_buffer;
    std::mutex m_lock;
    std::condition_variable m_wake;
    std::size_t m_written = 0;
    std::size_t m_signalled = 0;
    bool m_done = false;
    std::string m_hex;
    std::thread m_thread;
};

} // namespace rw
