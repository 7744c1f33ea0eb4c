#include "model/taskrunner.h"

#include <QThreadPool>

#include <algorithm>

namespace rw {

void TaskProgress::setStage(const QString& stage)
{
    {
        const std::lock_guard<std::mutex> guard(m_lock);
        if (stage == m_stage)
            return;
        m_stage = stage;
        m_permille = -1;
    }
    if (m_sink)
        m_sink(stage, 0.0, -1.0);
}

void TaskProgress::report(std::uint64_t done, std::uint64_t total)
{
    if (total == 0 || !m_sink)
        return;
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    const int permille = static_cast<int>(fraction * 1000);
    QString stage;
    {
        const std::lock_guard<std::mutex> guard(m_lock);
        if (permille == m_permille)
            return;
        m_permille = permille;
        stage = m_stage;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    // no estimate until there is something to extrapolate from
    const double eta = fraction > 0.02 && elapsed > 0.5 ? elapsed / fraction - elapsed : -1.0;
    m_sink(stage, fraction, eta);
}

TaskRunner::~TaskRunner()
{
    // work still running keeps its own state; nothing is delivered to a runner that is gone
    m_alive->store(false);
    for (auto& [kind, slot] : m_slots)
        slot.token.cancel();
}

TaskId TaskRunner::begin(TaskKind kind, const QString& title, CancelToken token)
{
    // latest wins within a kind: the older task is told to stop and its row goes
    // now; the newer one is in place first, so a listener can tell a superseded
    // task (running(kind) is still true) from one the user cancelled
    TaskId old = 0;
    if (const auto it = m_slots.find(kind); it != m_slots.end()) {
        old = it->second.id;
        it->second.token.cancel();
    }
    const TaskId id = ++m_next;
    m_slots[kind] = Slot{id, std::move(token)};
    if (old)
        Q_EMIT taskFinished(old, kind, true);
    Q_EMIT taskStarted(id, kind, title);
    return id;
}

bool TaskRunner::finish(TaskKind kind, TaskId id, bool cancelled)
{
    const auto it = m_slots.find(kind);
    if (it == m_slots.end() || it->second.id != id)
        return false; // superseded or cancelled: its row is already gone
    m_slots.erase(it);
    Q_EMIT taskFinished(id, kind, cancelled);
    return true;
}

void TaskRunner::cancel(TaskId id)
{
    for (auto it = m_slots.begin(); it != m_slots.end(); ++it)
        if (it->second.id == id) {
            const TaskKind kind = it->first;
            it->second.token.cancel();
            m_slots.erase(it);
            Q_EMIT taskFinished(id, kind, true);
            return;
        }
}

void TaskRunner::cancelKind(TaskKind kind)
{
    if (const auto it = m_slots.find(kind); it != m_slots.end())
        cancel(it->second.id);
}

void runOnPool(std::function<void()> work)
{
    // Not Qt's global pool: the raster paint engine fills in parallel on it and
    // waits, so tasks that hold its threads (two on a 2-core laptop) for seconds
    // froze painting until they ended. One thread per kind, as each kind runs
    // at most one task that is delivered.
    static QThreadPool* const pool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(static_cast<int>(TaskKind::Hash) + 1);
        return p;
    }();
    pool->start(std::move(work));
}

} // namespace rw
