#pragma once

#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rw {

// What a task is, for its status-bar row and for latest-wins: starting a task
// of a kind cancels the one of that kind still running, never another kind's
// (a reload must not cancel an export, nor an export a reload).
// Hash stays last: the pool has a thread per kind up to it
enum class TaskKind : std::uint8_t { Load, Filter, Reevaluate, Compare, Graph, Evidence, Verify, Export, Analyze, Metrics, Heatmap, DecisionTree, Hash };
using TaskId = quint64;

// Passed into the work, which polls it: set when the task is cancelled or
// superseded. `flag()` suits the core functions that take an atomic flag.
class CancelToken
{
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
    bool cancelled() const { return m_flag->load(std::memory_order_relaxed); }
    const std::atomic<bool>* flag() const { return m_flag.get(); }
    void cancel() const { m_flag->store(true); }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

// Progress the work reports from any thread. Passed on only when the shown
// value changes (a tenth of a percent, or a new stage), never on a clock, so a
// fast task costs nothing and a slow one still moves (heaptrack's rule).
class TaskProgress
{
public:
    using Sink = std::function<void(const QString& stage, double fraction, double etaSeconds)>;
    explicit TaskProgress(Sink sink) : m_sink(std::move(sink)), m_start(std::chrono::steady_clock::now()) {}
    void setStage(const QString& stage);
    void report(std::uint64_t done, std::uint64_t total);

private:
    Sink m_sink;
    std::chrono::steady_clock::time_point m_start;
    std::mutex m_lock;
    QString m_stage;
    int m_permille = -1;
};

// Runs work on its own thread pool, one latest-wins slot per kind, and delivers
// the result on the application's main thread, where the runner must live (the
// GUI thread for widgets; asserted at delivery). A task is "running" until its result is delivered or dropped.
// Signals drive one status-bar row with its own Cancel per running task.
class TaskRunner : public QObject
{
    Q_OBJECT

public:
    explicit TaskRunner(QObject* parent = nullptr) : QObject(parent) {}
    ~TaskRunner() override;

    template <typename Result>
    TaskId start(TaskKind kind, const QString& title, std::function<Result(const CancelToken&, TaskProgress&)> work,
                 std::function<void(Result)> deliver);

    void cancel(TaskId id);
    void cancelKind(TaskKind kind);
    bool running(TaskKind kind) const { return m_slots.count(kind) > 0; }
    bool anyRunning() const { return !m_slots.empty(); }
    // whether anything but `kind` runs (a window is idle while its files' hashes finish)
    bool anyRunningBut(TaskKind kind) const { return m_slots.size() > m_slots.count(kind); }

Q_SIGNALS:
    void taskStarted(rw::TaskId id, rw::TaskKind kind, const QString& title);
    void taskProgress(rw::TaskId id, const QString& stage, double fraction, double etaSeconds);
    void taskFinished(rw::TaskId id, rw::TaskKind kind, bool cancelled);

private:
    struct Slot
    {
        TaskId id = 0;
        CancelToken token;
    };
    TaskId begin(TaskKind kind, const QString& title, CancelToken token);
    // on the runner's thread: true when the task is still the current one of its kind
    bool finish(TaskKind kind, TaskId id, bool cancelled);
    void post(std::function<void()> call);

    std::unordered_map<TaskKind, Slot> m_slots;
    TaskId m_next = 0;
    std::shared_ptr<std::atomic<bool>> m_alive = std::make_shared<std::atomic<bool>>(true);
};

// Runs `work` with its own token and progress on the pool.
void runOnPool(std::function<void()> work);

template <typename Result>
TaskId TaskRunner::start(TaskKind kind, const QString& title, std::function<Result(const CancelToken&, TaskProgress&)> work,
                         std::function<void(Result)> deliver)
{
    const CancelToken token;
    const TaskId id = begin(kind, title, token);
    QPointer<TaskRunner> self(this);
    auto alive = m_alive;
    runOnPool([self, alive, kind, id, token, work = std::move(work), deliver = std::move(deliver)]() mutable {
        // `self` (a QPointer) is read only on the main thread: the runner may be
        // destroyed there while this worker runs (UBSan saw that race with a
        // QPointer read here), so calls go through the application object
        TaskProgress progress([self, alive, id](const QString& stage, double fraction, double eta) {
            if (!alive->load() || !QCoreApplication::instance())
                return;
            QMetaObject::invokeMethod(QCoreApplication::instance(), [self, id, stage, fraction, eta] {
                if (self)
                    Q_EMIT self->taskProgress(id, stage, fraction, eta);
            }, Qt::QueuedConnection);
        });
        auto result = std::make_shared<Result>(work(token, progress));
        if (!alive->load() || !QCoreApplication::instance())
            return;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, kind, id, token, result, deliver = std::move(deliver)]() mutable {
            if (!self)
                return;
            Q_ASSERT(QThread::currentThread() == self->thread());
            if (self->finish(kind, id, token.cancelled()) && !token.cancelled())
                deliver(std::move(*result));
        }, Qt::QueuedConnection);
    });
    return id;
}

} // namespace rw

Q_DECLARE_METATYPE(rw::TaskKind)
