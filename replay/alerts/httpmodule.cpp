// The rw-alert-http module: HTTP delivery of alerts through
// QNetworkAccessManager, loaded by the delivery thread at its first HTTP
// attempt (httpsender.h). JSON POST, no cookies, no cache, redirects never
// followed; proxies from the environment, loopback receivers reached directly.
#include "replay/alerts/httpsender.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

#include <memory>

#include <set>

namespace rw::alerts {

namespace {

// A receiver on this machine is reached directly; anything else through the
// proxy the environment names (http_proxy, https_proxy, no_proxy), as curl would.
class LoopbackDirect : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery& query) override
    {
        const QString host = query.peerHostName();
        if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 || QHostAddress(host).isLoopback())
            return {QNetworkProxy(QNetworkProxy::NoProxy)};
        return systemProxyForQuery(query);
    }
};

// Only the kind of failure is kept: Qt's error text may quote the URL, which may be a secret.
Outcome classify(QNetworkReply* reply, bool aborting)
{
    Outcome o;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid() && status.toInt() > 0) {
        o.httpStatus = status.toInt();
        if (o.httpStatus >= 200 && o.httpStatus < 300)
            return o;
        if (o.httpStatus >= 300 && o.httpStatus < 400) {
            o.failure = Failure::Redirect;
            o.permanent = true;
            return o;
        }
        o.failure = Failure::HttpStatus;
        // 408, 429, 5xx: retried. A wrong token or route (401, 403, 404, 410) is
        // fixed by a person: kept for the next start. The rest of 4xx refuse the
        // payload itself: rejected.
        const int s = o.httpStatus;
        o.waitForFix = s == 401 || s == 403 || s == 404 || s == 410;
        o.permanent = s < 500 && s != 408 && s != 429 && !o.waitForFix;
        bool ok = false;
        const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
        if (ok && seconds > 0)
            o.retryAfterMs = static_cast<std::int64_t>(seconds) * 1000;
        return o;
    }
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        o.failure = Failure::Refused;
        break;
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
        o.failure = aborting ? Failure::Stopped : Failure::Timeout;
        break;
    default: // no HTTP answer: host not found, closed before answering, TLS, proxy, ...
        o.failure = Failure::Unreachable;
        break;
    }
    return o;
}

class NetworkSender : public HttpSender
{
public:
    NetworkSender()
    {
        m_network.setProxyFactory(new LoopbackDirect); // the manager owns it
        m_network.setCookieJar(nullptr);
    }
    ~NetworkSender() override { abortAll(); }

    void post(const HttpPost& post, std::function<void(const Outcome&)> done) override
    {
        QNetworkRequest req(QUrl(QString::fromStdString(post.url)));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        req.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("replay-workbench-alerts/" RW_VERSION));
        for (const auto& [name, value] : post.headers)
            req.setRawHeader(QByteArray::fromStdString(name), QByteArray::fromStdString(value));
        req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
        req.setTransferTimeout(static_cast<int>(post.timeoutMs)); // no progress for that long
        QNetworkReply* reply = m_network.post(req, QByteArray::fromStdString(post.body));
        m_replies.insert(reply);
        // and a deadline for the whole attempt: a receiver that trickles bytes does not hold it forever
        auto late = std::make_shared<bool>(false);
        QTimer::singleShot(static_cast<int>(post.timeoutMs), reply, [reply, late] {
            *late = true;
            reply->abort();
        });
        QObject::connect(reply, &QNetworkReply::finished, &m_network, [this, reply, late, done = std::move(done)] {
            m_replies.erase(reply);
            Outcome o = classify(reply, m_aborting);
            if (*late && !m_aborting && o.failure != Failure::None)
                o = Outcome{Failure::Timeout, 0, 0, 0, false, false, 0};
            reply->deleteLater();
            done(o);
        });
    }

    void abortAll() override
    {
        m_aborting = true;
        const std::set<QNetworkReply*> replies = m_replies;
        for (QNetworkReply* r : replies)
            r->abort(); // finished, synchronously: each says Stopped
        m_aborting = false;
    }

private:
    QNetworkAccessManager m_network;
    std::set<QNetworkReply*> m_replies;
    bool m_aborting = false;
};

} // namespace

} // namespace rw::alerts

extern "C" {

Q_DECL_EXPORT int rw_alert_http_abi()
{
    return rw::alerts::kAlertHttpAbi;
}

Q_DECL_EXPORT rw::alerts::HttpSender* rw_alert_http_create()
{
    return new rw::alerts::NetworkSender;
}
}
