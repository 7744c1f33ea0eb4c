#include "model/backgroundsha256.h"

namespace rw {

BackgroundSha256::~BackgroundSha256()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void BackgroundSha256::update(std::string_view bytes)
{
    while (!bytes.empty()) {
        const std::size_t take = std::min(bytes.size(), kBlockBytes - m_pending.size());
        m_pending.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (m_pending.size() == kBlockBytes)
            handOff();
    }
}

void BackgroundSha256::handOff()
{
    std::string block;
    block.reserve(kBlockBytes);
    block.swap(m_pending);
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_queue.size() < kQueueBlocks; });
        m_queue.push_back(std::move(block));
    }
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
    m_changed.notify_all();
}

void BackgroundSha256::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [&] { return m_stop || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopped, nothing left
        std::string block = std::move(m_queue.front());
        m_queue.pop_front();
        m_busy = true;
        lock.unlock();
        m_changed.notify_all(); // room in the queue
        m_hash.update(block);   // only this thread touches m_hash while m_busy or a block waits
        lock.lock();
        m_busy = false;
        m_changed.notify_all();
    }
}

void BackgroundSha256::drain()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_queue.empty() && !m_busy; });
    // the thread is idle and waits for the mutex: the caller may touch the hash
    m_hash.update(m_pending);
    m_pending.clear();
}

std::string BackgroundSha256::peekHex()
{
    drain();
    std::lock_guard lock(m_mutex);
    return m_hash.peekHex();
}

std::string BackgroundSha256::finishHex()
{
    drain();
    std::lock_guard lock(m_mutex);
    return m_hash.finishHex();
}

} // namespace rw
