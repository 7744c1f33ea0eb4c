#pragma once

// Alert delivery off the detection path. submit() is called by the watch for
// each anomaly it prints: it routes the record by each channel's
// min_severity and the suppression rules, there and then, and hands the rest
// to a thread of its own, which writes each (alert, channel) to the spool
// and attempts it: a timeout per attempt, retries with exponential backoff
// (the receiver's Retry-After respected), at most a few attempts under way
// per channel. finish() gives the attempts under way a grace period; what is
// not delivered by then stays in the spool, and the next start sends it
// first. What happened is kept as events for the caller to word.
#include "replay/alerts/alertconfig.h"
#include "replay/alerts/alertrecord.h"
#include "replay/alerts/alerttransport.h"
#include "replay/alerts/suppressor.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

class QThread;

namespace rw::alerts {

struct DeliveryEvent
{
    enum class Kind : std::uint8_t {
        Sent,        // the channel took it (after `attempt` attempts)
        Retrying,    // attempt `attempt` failed (`outcome`); the next in `waitMs`
        Kept,        // not delivered now (`outcome` of the last attempt, if any; `error`: why the HTTP module is missing): waits in the spool
        Rejected,    // refused for good (`outcome`): moved to the spool's rejected/ folder
        Replaying,   // `count` alerts found in the spool at start, sent first
        Orphaned,    // `count` spooled alerts name channels this file does not have: left there
        Unreadable,  // `count` files in the spool are not alerts (`error`: the first names): left there
        SpoolFailed, // the alert could not be written to the spool (`error`): attempted from memory only
        Lost,        // not delivered, and not in the spool either (it could not be written there)
    };
    Kind kind = Kind::Sent;
    std::string channel, fingerprint;
    int attempt = 0;
    Outcome outcome;
    std::int64_t waitMs = 0;
    std::size_t count = 0;
    std::string error;
};

struct DeliveryTotals
{
    std::size_t submitted = 0;  // anomalies offered
    std::size_t suppressed = 0; // (alert, channel) pairs held back by a suppression rule
    std::size_t routed = 0;     // (alert, channel) pairs handed to delivery
    std::size_t sent = 0;
    std::size_t retries = 0;
    std::size_t kept = 0;       // left in the spool for the next start
    std::size_t lost = 0;       // neither delivered nor spooled
    std::size_t rejected = 0;
    std::size_t replayed = 0;   // of the spool's alerts at start
};

// The wait before attempt `attempt` + 1 after `attempt` failed ones:
// min·2^(attempt−1), at most max; a receiver's Retry-After raises it (never past max).
std::int64_t backoffMs(int attempt, std::int64_t minMs, std::int64_t maxMs, std::int64_t retryAfterMs = 0);

class AlertDispatcher
{
public:
    explicit AlertDispatcher(AlertConfig config);
    ~AlertDispatcher(); // finish(0) if not finished
    AlertDispatcher(const AlertDispatcher&) = delete;
    AlertDispatcher& operator=(const AlertDispatcher&) = delete;

    // Opens the spool and starts delivery, the spool's waiting alerts first;
    // false and `error` when the spool folder cannot be used.
    bool start(std::string& error);
    // From one thread (the detection path): how many channels the alert goes to.
    std::size_t submit(const AlertRecord& record);
    // Stops delivery: attempts under way get `graceMs`, then what is left stays spooled.
    void finish(std::int64_t graceMs);

    std::vector<DeliveryEvent> takeEvents();
    DeliveryTotals totals() const;
    const AlertConfig& config() const { return m_config; }
    bool spoolOwner() const;

    struct Shared
    {
        mutable std::mutex mutex;
        std::vector<DeliveryEvent> events;
        DeliveryTotals totals;
        void add(DeliveryEvent e);
    };

private:
    class Worker;
    AlertConfig m_config;
    Suppressor m_suppressor;
    Shared m_shared;
    std::unique_ptr<class AlertSpool> m_spool;
    std::unique_ptr<QThread> m_thread;
    Worker* m_worker = nullptr;
    bool m_finished = false;
};

} // namespace rw::alerts
