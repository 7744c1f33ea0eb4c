#include "followinghasher.h"

#include <openssl/evp.h>

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
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
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
            EVP_DigestUpdate(ctx, m_buffer + hashed, upTo - hashed);
        hashed = upTo;
        if (last)
            break;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx, digest, &length);
    EVP_MD_CTX_free(ctx);
    static constexpr char kHex[] = "0123456789abcdef";
    m_hex.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        m_hex += kHex[digest[i] >> 4];
        m_hex += kHex[digest[i] & 15];
    }
}

} // namespace rw
