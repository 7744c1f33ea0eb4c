#include "replay/alerts/alertdispatcher.h"

#include "replay/alerts/alertspool.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <deque>
#include <map>

namespace rw::alerts {

namespace {

// attempts under way per channel: a storm of anomalies queues, it does not open a hundred connections or processes
constexpr int kMaxInFlight = 4;

} // namespace

std::int64_t backoffMs(int attempt, std::int64_t minMs, std::int64_t maxMs, std::int64_t retryAfterMs)
{
    std::int64_t wait = std::max<std::int64_t>(1, minMs);
    for (int i = 1; i < attempt && wait < maxMs; ++i)
        wait *= 2;
    wait = std::min(wait, maxMs);
    if (retryAfterMs > 0)
        wait = std::max(wait, std::min(retryAfterMs, maxMs));
    return wait;
}

void AlertDispatcher::Shared::add(DeliveryEvent e)
{
    const std::lock_guard<std::mutex> lock(mutex);
    switch (e.kind) {
    case DeliveryEvent::Kind::Sent: ++totals.sent; break;
    case DeliveryEvent::Kind::Retrying: ++totals.retries; break;
    case DeliveryEvent::Kind::Kept: ++totals.kept; break;
    case DeliveryEvent::Kind::Lost: ++totals.lost; break;
    case DeliveryEvent::Kind::Rejected: ++totals.rejected; break;
    case DeliveryEvent::Kind::Replaying: totals.replayed += e.count; break;
    default: break;
    }
    events.push_back(std::move(e));
}

// Lives in the delivery thread: the queues, the attempts, the retry timers.
class AlertDispatcher::Worker : public QObject
{
public:
    Worker(const AlertConfig& config, AlertSpool& spool, Shared& shared)
        : m_config(config), m_spool(spool), m_shared(shared), m_queues(config.channels.size()),
          m_inFlight(config.channels.size(), 0)
    {
    }

    void replay()
    {
        std::vector<std::string> unreadable;
        std::size_t found = 0, orphaned = 0;
        for (AlertSpool::Entry& e : m_spool.pending(unreadable)) {
            const auto ch = std::find_if(m_config.channels.begin(), m_config.channels.end(),
                                         [&](const AlertChannel& c) { return c.id == e.channel; });
            if (ch == m_config.channels.end()) {
                ++orphaned;
                continue;
            }
            ++found;
            const std::size_t index = static_cast<std::size_t>(ch - m_config.channels.begin());
            m_queues[index].push_back({e.name, index, std::move(e.record), 0, {}});
        }
        if (found)
            m_shared.add({DeliveryEvent::Kind::Replaying, {}, {}, 0, {}, 0, found, {}});
        if (orphaned)
            m_shared.add({DeliveryEvent::Kind::Orphaned, {}, {}, 0, {}, 0, orphaned, {}});
        if (!unreadable.empty()) {
            // named, so that a person can look at them (the first few)
            std::string names;
            for (std::size_t i = 0; i < unreadable.size() && i < 3; ++i)
                names += (i ? ", " : "") + unreadable[i];
            if (unreadable.size() > 3)
                names += ", ...";
            m_shared.add({DeliveryEvent::Kind::Unreadable, {}, {}, 0, {}, 0, unreadable.size(), names});
        }
        for (std::size_t i = 0; i < m_queues.size(); ++i)
            pump(i);
    }

    void enqueue(const AlertRecord& record, const std::vector<std::size_t>& channels)
    {
        for (std::size_t index : channels) {
            std::string error;
            std::optional<std::string> name = m_spool.put(m_config.channels[index].id, record, error);
            if (!name)
                m_shared.add({DeliveryEvent::Kind::SpoolFailed, m_config.channels[index].id, record.fingerprint(), 0, {}, 0, 0, error});
            m_queues[index].push_back({name.value_or(std::string()), index, record, 0, {}});
            pump(index);
        }
    }

    void stop(std::int64_t graceMs)
    {
        m_stopping = true;
        for (std::deque<Job>& queue : m_queues)
            for (const Job& job : queue)
                kept(job, {});
        m_queues.assign(m_queues.size(), {});
        for (auto& [timer, job] : m_waiting) {
            kept(job, job.last);
            delete timer;
        }
        m_waiting.clear();
        if (!quitIfIdle())
            QTimer::singleShot(static_cast<int>(std::max<std::int64_t>(0, graceMs)), this, [this] { m_transport.abortAll(); });
    }

private:
    struct Job
    {
        std::string spoolName; // empty: the spool could not take it
        std::size_t channel = 0;
        AlertRecord record;
        int attempts = 0;
        Outcome last;
    };

    void pump(std::size_t index)
    {
        while (!m_stopping && m_inFlight[index] < kMaxInFlight && !m_queues[index].empty()) {
            Job job = std::move(m_queues[index].front());
            m_queues[index].pop_front();
            attempt(std::move(job));
        }
    }

    void attempt(Job job)
    {
        const AlertChannel& channel = m_config.channels[job.channel];
        ++m_inFlight[job.channel];
        ++job.attempts;
        const AlertRequest request = alertRequest(channel, job.record);
        m_transport.send(channel, request, m_config.delivery.timeoutMs,
                         [this, job = std::move(job)](const Outcome& o) mutable { done(std::move(job), o); });
    }

    void done(Job job, const Outcome& o)
    {
        const std::size_t index = job.channel;
        --m_inFlight[index];
        const std::string& id = m_config.channels[index].id;
        job.last = o;
        if (o.ok()) {
            if (!job.spoolName.empty())
                m_spool.remove(job.spoolName);
            m_shared.add({DeliveryEvent::Kind::Sent, id, job.record.fingerprint(), job.attempts, o, 0, 0, {}});
        } else if (m_stopping || o.failure == Failure::Stopped) {
            kept(job, o);
        } else if (o.permanent) {
            if (!job.spoolName.empty())
                m_spool.reject(job.spoolName);
            m_shared.add({DeliveryEvent::Kind::Rejected, id, job.record.fingerprint(), job.attempts, o, 0, 0, {}});
        } else if (o.waitForFix) {
            kept(job, o); // a receiver's answer a retry in a minute will not change (401, 403, 404): waits for the next start
        } else if (job.attempts <= m_config.delivery.retries) {
            const std::int64_t wait =
                backoffMs(job.attempts, m_config.delivery.backoffMinMs, m_config.delivery.backoffMaxMs, o.retryAfterMs);
            m_shared.add({DeliveryEvent::Kind::Retrying, id, job.record.fingerprint(), job.attempts, o, wait, 0, {}});
            auto* timer = new QTimer(this);
            timer->setSingleShot(true);
            connect(timer, &QTimer::timeout, this, [this, timer] {
                const auto it = m_waiting.find(timer);
                Job again = std::move(it->second);
                m_waiting.erase(it);
                timer->deleteLater();
                const std::size_t channel = again.channel;
                m_queues[channel].push_front(std::move(again)); // before newer alerts: in order per channel
                pump(channel);
            });
            m_waiting.emplace(timer, std::move(job));
            timer->start(static_cast<int>(wait));
        } else {
            kept(job, o);
        }
        pump(index);
        quitIfIdle();
    }

    void kept(const Job& job, const Outcome& o)
    {
        // an alert the spool could not take is not kept anywhere: said as lost, not as waiting
        const DeliveryEvent::Kind kind = job.spoolName.empty() ? DeliveryEvent::Kind::Lost : DeliveryEvent::Kind::Kept;
        // the HTTP module's absence explained once, with the first alert it keeps back
        std::string why = o.failure == Failure::NoHttp ? m_transport.takeHttpError() : std::string();
        m_shared.add({kind, m_config.channels[job.channel].id, job.record.fingerprint(), job.attempts, o, 0, 0, std::move(why)});
    }

    bool quitIfIdle()
    {
        if (!m_stopping || m_quitting || std::any_of(m_inFlight.begin(), m_inFlight.end(), [](int n) { return n > 0; }))
            return m_quitting;
        m_quitting = true;
        // from the event loop, not here: this may run inside a reply's finished
        // signal (or its abort()), whose sender release() would delete
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_transport.release(); // the network's objects end in the thread they live in
                thread()->quit();
            },
            Qt::QueuedConnection);
        return true;
    }

    const AlertConfig& m_config;
    AlertSpool& m_spool;
    Shared& m_shared;
    AlertTransport m_transport{this};
    std::vector<std::deque<Job>> m_queues;
    std::vector<int> m_inFlight;
    std::map<QTimer*, Job> m_waiting;
    bool m_stopping = false;
    bool m_quitting = false;
};

AlertDispatcher::AlertDispatcher(AlertConfig config)
    : m_config(std::move(config)), m_suppressor(m_config.suppress), m_spool(std::make_unique<AlertSpool>(m_config.delivery.spool))
{
}

AlertDispatcher::~AlertDispatcher()
{
    finish(0);
}

bool AlertDispatcher::start(std::string& error)
{
    if (!m_spool->open(error))
        return false;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName("alert-delivery");
    m_worker = new Worker(m_config, *m_spool, m_shared);
    m_worker->moveToThread(m_thread.get());
    m_thread->start();
    if (m_spool->owner())
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->replay(); }, Qt::QueuedConnection);
    return true;
}

bool AlertDispatcher::spoolOwner() const
{
    return m_spool->owner();
}

std::size_t AlertDispatcher::submit(const AlertRecord& record)
{
    {
        const std::lock_guard<std::mutex> lock(m_shared.mutex);
        ++m_shared.totals.submitted;
    }
    if (!m_worker || m_finished)
        return 0;
    // routed by severity first, then suppressed per channel: an info alert that
    // only the file channel took opens no window on the pager's channel
    std::vector<std::size_t> channels;
    std::size_t suppressed = 0;
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    for (std::size_t i = 0; i < m_config.channels.size(); ++i) {
        if (record.severity() < m_config.channels[i].minSeverity)
            continue;
        if (m_suppressor.admit(record, now, m_config.channels[i].id))
            channels.push_back(i);
        else
            ++suppressed;
    }
    {
        const std::lock_guard<std::mutex> lock(m_shared.mutex);
        m_shared.totals.suppressed += suppressed;
        m_shared.totals.routed += channels.size();
    }
    if (channels.empty())
        return 0;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, record, channels] { w->enqueue(record, channels); }, Qt::QueuedConnection);
    return channels.size();
}

void AlertDispatcher::finish(std::int64_t graceMs)
{
    if (m_finished || !m_worker)
        return;
    m_finished = true;
    // after everything submitted so far (the queue is in order): it is spooled before the stop
    QMetaObject::invokeMethod(m_worker, [w = m_worker, graceMs] { w->stop(graceMs); }, Qt::QueuedConnection);
    m_thread->wait();
    delete m_worker; // its thread has ended: nothing of it runs any more
    m_worker = nullptr;
}

std::vector<DeliveryEvent> AlertDispatcher::takeEvents()
{
    const std::lock_guard<std::mutex> lock(m_shared.mutex);
    std::vector<DeliveryEvent> out;
    out.swap(m_shared.events);
    return out;
}

DeliveryTotals AlertDispatcher::totals() const
{
    const std::lock_guard<std::mutex> lock(m_shared.mutex);
    return m_shared.totals;
}

} // namespace rw::alerts
