#include "replay/evidence/followinghasher.h"

#include "model/sourcefile.h"

namespace rw {

namespace {
constexpr std::size_t kStep = 1u << 20; // wake the hasher per MiB, not per read
}

FollowingHasher::FollowingHasher(const char* buffer) : m_buffer(buffer), m_thread([this] { run(); }) {}

FollowingHasher::~FollowingHasher()
{
    finish();
}

void FollowingHasher::grew(std::size_t written)
{
    std::lock_guard<std::mutex> guard(m_lock);
    m_written = written;
    if (m_written - m_signalled >= kStep) {
        m_signalled = m_written;
        m_wake.notify_one();
    }
}

std::string FollowingHasher::finish()
{
    {
        std::lock_guard<std::mutex> guard(m_lock);
        m_done = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
    return m_hex;
}

void FollowingHasher::run()
{
    Sha256 sha;
    std::size_t hashed = 0;
    for (;;) {
        std::size_t upTo = 0;
        bool last = false;
        {
            std::unique_lock<std::mutex> guard(m_lock);
            m_wake.wait(guard, [&] { return m_done || m_written - hashed >= kStep; });
            upTo = m_written;
            last = m_done;
        }
        // bytes below m_written are complete and never move: read them unlocked
        if (upTo > hashed)
            sha.update(std::string_view(m_buffer + hashed, upTo - hashed));
        hashed = upTo;
        if (last)
            break;
    }
    m_hex = sha.finishHex();
}

} // namespace rw
