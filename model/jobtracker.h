#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace rw {

// Runs work off the calling thread, latest request wins: when a newer job was
// started before an older one finished, the older result is dropped instead of
// delivered, and the older work can notice (isStale) and stop early. Results
// are delivered on the thread of `context` (the GUI thread for widgets).
// Written once, reused by every view that loads or filters in the background.
class JobTracker
{
public:
    using IsStale = std::function<bool()>;

    explicit JobTracker(QObject* context) : m_context(context) {}

    // Drops whatever is in flight (its result will not be delivered).
    void cancel() { ++*m_generation; }
    bool busy() const { return m_running->load() > 0; }

    template <typename Result> void run(std::function<Result(const IsStale&)> work, std::function<void(Result)> deliver)
    {
        const quint64 generation = ++*m_generation;
        auto generations = m_generation;
        auto running = m_running;
        QPointer<QObject> context = m_context;
        ++*running;
        QThreadPool::globalInstance()->start([=, work = std::move(work), deliver = std::move(deliver)]() mutable {
            const IsStale isStale = [&] { return generations->load() != generation; };
            auto result = std::make_shared<Result>(work(isStale));
            --*running;
            if (isStale() || !context)
                return;
            QMetaObject::invokeMethod(
                context.data(),
                [=, deliver = std::move(deliver)]() mutable {
                    if (generations->load() == generation)
                        deliver(std::move(*result));
                },
                Qt::QueuedConnection);
        });
    }

private:
    QPointer<QObject> m_context;
    std::shared_ptr<std::atomic<quint64>> m_generation = std::make_shared<std::atomic<quint64>>(0);
    std::shared_ptr<std::atomic<int>> m_running = std::make_shared<std::atomic<int>>(0);
};

} // namespace rw
