#pragma once

// One attempt to hand one alert to one channel, asynchronously, in the
// delivery thread: an HTTP POST (webhook, Slack, PagerDuty) through the HTTP
// module (httpsender.h), a program run with the payload on its standard input
// (command), or a line appended to a file. Each ends in an Outcome: taken,
// worth retrying (refused, no answer in time, HTTP 408, 429 or 5xx, a failed
// program), or refused for good (another 4xx, a redirect, which is never
// followed: an alert goes only where the file says). The network library is
// loaded at the first HTTP attempt and not before: a file or command channel
// loads none and opens no socket.
#include "replay/alerts/alertconfig.h"
#include "replay/alerts/alertoutcome.h"
#include "replay/alerts/httpsender.h"
#include "replay/alerts/alertrecord.h"

#include <QObject>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

class QProcess;

namespace rw::alerts {

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
    // why the HTTP module could not be loaded, the first time it is asked (then "")
    std::string takeHttpError();

private:
    void post(const AlertChannel& channel, const AlertRequest& request, std::int64_t timeoutMs,
              std::function<void(const Outcome&)> done);
    void run(const AlertChannel& channel, const AlertRequest& request, std::int64_t timeoutMs,
             std::function<void(const Outcome&)> done);
    static Outcome append(const AlertChannel& channel, const AlertRequest& request);

    std::unique_ptr<HttpSender> m_http;
    std::string m_httpError; // why the module could not be loaded
    bool m_httpErrorTaken = false;
    std::set<QProcess*> m_processes;
    bool m_aborting = false;
};

} // namespace rw::alerts
