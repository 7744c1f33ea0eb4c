#pragma once

// One attempt to hand one alert to one channel, asynchronously, in the
// delivery thread: an HTTP POST (webhook, Slack, PagerDuty) through
// QNetworkAccessManager, a program run with the payload on its standard input
// (command), or a line appended to a file. Each ends in an Outcome: taken,
// worth retrying (refused, no answer in time, HTTP 408, 429 or 5xx, a failed
// program), or refused for good (another 4xx, a redirect, which is never
// followed: an alert goes only where the file says). Nothing network-related
// exists until the first HTTP attempt: a file or command channel opens no socket.
#include "replay/alerts/alertconfig.h"
#include "replay/alerts/alertrecord.h"

#include <QObject>

#include <cstdint>
#include <functional>
#include <set>

class QNetworkAccessManager;
class QNetworkReply;
class QProcess;

namespace rw::alerts {

enum class Failure : std::uint8_t {
    None,
    Refused,       // the connection was refused
    Timeout,       // no complete answer within the timeout (or the program ran too long)
    Unreachable,   // host not found, network down, TLS failed
    HttpStatus,    // answered with an error status (`httpStatus`)
    Redirect,      // answered with a redirect: not followed
    ProgramFailed, // the command exited with `exitCode`, or crashed
    NotStarted,    // the command could not be started
    FileError,     // the file could not be opened or written (`systemError`)
    Stopped,       // the watch ended before the answer came
};
const char* failureName(Failure f); // refused, timeout, ...

struct Outcome
{
    Failure failure = Failure::None;
    int httpStatus = 0;
    int exitCode = 0;
    int systemError = 0;
    bool permanent = false;        // retrying will not help: rejected
    std::int64_t retryAfterMs = 0; // the receiver's Retry-After, when it gave one

    bool ok() const { return failure == Failure::None; }
};

class AlertTransport : public QObject
{
public:
    explicit AlertTransport(QObject* parent = nullptr);
    ~AlertTransport() override;

    void send(const AlertChannel& channel, const AlertRequest& request, std::int64_t timeoutMs,
              std::function<void(const Outcome&)> done);
    // ends every attempt under way (each reports Stopped)
    void abortAll();
    // drops the network access (nothing may be under way): before its thread ends
    void release();
    bool networkUsed() const { return m_network != nullptr; }

private:
    void post(const AlertChannel& channel, const AlertRequest& request, std::int64_t timeoutMs,
              std::function<void(const Outcome&)> done);
    void run(const AlertChannel& channel, const AlertRequest& request, std::int64_t timeoutMs,
             std::function<void(const Outcome&)> done);
    static Outcome append(const AlertChannel& channel, const AlertRequest& request);

    QNetworkAccessManager* m_network = nullptr;
    std::set<QNetworkReply*> m_replies;
    std::set<QProcess*> m_processes;
    bool m_aborting = false;
};

} // namespace rw::alerts
