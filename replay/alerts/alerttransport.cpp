#include "replay/alerts/alerttransport.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QTimer>
#include <QUrl>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
        o.permanent = o.httpStatus < 500 && o.httpStatus != 408 && o.httpStatus != 429;
        bool ok = false;
        const int seconds = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
        if (ok && seconds > 0)
            o.retryAfterMs = static_cast<std::int64_t>(seconds) * 1000;
        return o;
    }
    switch (reply->error()) {
    case QNetworkReply::NoError: // no status and no error: not HTTP's answer
        o.failure = Failure::Unreachable;
        break;
    case QNetworkReply::ConnectionRefusedError:
        o.failure = Failure::Refused;
        break;
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TimeoutError:
        o.failure = aborting ? Failure::Stopped : Failure::Timeout;
        break;
    default: // host not found, closed before answering, TLS, proxy, ...
        o.failure = Failure::Unreachable;
        break;
    }
    return o;
}

} // namespace

const char* failureName(Failure f)
{
    switch (f) {
    case Failure::None: return "none";
    case Failure::Refused: return "refused";
    case Failure::Timeout: return "timeout";
    case Failure::Unreachable: return "unreachable";
    case Failure::HttpStatus: return "http_status";
    case Failure::Redirect: return "redirect";
    case Failure::ProgramFailed: return "program_failed";
    case Failure::NotStarted: return "not_started";
    case Failure::FileError: return "file_error";
    case Failure::Stopped: return "stopped";
    }
    return "?";
}

AlertTransport::AlertTransport(QObject* parent) : QObject(parent) {}

AlertTransport::~AlertTransport()
{
    abortAll();
}

void AlertTransport::send(const AlertChannel& channel, const AlertRequest& request, std::int64_t timeoutMs,
                          std::function<void(const Outcome&)> done)
{
    switch (channel.type) {
    case ChannelType::Webhook:
    case ChannelType::Slack:
    case ChannelType::PagerDuty:
        post(channel, request, timeoutMs, std::move(done));
        return;
    case ChannelType::Command:
        run(channel, request, timeoutMs, std::move(done));
        return;
    case ChannelType::File:
        // answered from the event loop like the others: a long queue is not a deep recursion
        QMetaObject::invokeMethod(this, [outcome = append(channel, request), done = std::move(done)] { done(outcome); },
                                  Qt::QueuedConnection);
        return;
    }
}

void AlertTransport::post(const AlertChannel& channel, const AlertRequest& request, std::int64_t timeoutMs,
                          std::function<void(const Outcome&)> done)
{
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        m_network->setProxyFactory(new LoopbackDirect); // the manager owns it
        m_network->setCookieJar(nullptr);
    }
    QNetworkRequest req(QUrl(QString::fromStdString(channel.url.value)));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("replay-workbench-alerts/" RW_VERSION));
    for (const auto& [name, value] : request.headers)
        req.setRawHeader(QByteArray::fromStdString(name), QByteArray::fromStdString(value));
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setTransferTimeout(static_cast<int>(timeoutMs));
    QNetworkReply* reply = m_network->post(req, QByteArray::fromStdString(request.body));
    m_replies.insert(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        m_replies.erase(reply);
        const Outcome o = classify(reply, m_aborting);
        reply->deleteLater();
        done(o);
    });
}

void AlertTransport::run(const AlertChannel& channel, const AlertRequest& request, std::int64_t timeoutMs,
                         std::function<void(const Outcome&)> done)
{
    auto* process = new QProcess(this);
    m_processes.insert(process);
    process->setProgram(QString::fromStdString(channel.argv.front()));
    QStringList args;
    for (std::size_t i = 1; i < channel.argv.size(); ++i)
        args << QString::fromStdString(channel.argv[i]);
    process->setArguments(args);
    process->setStandardOutputFile(QProcess::nullDevice());
    process->setStandardErrorFile(QProcess::nullDevice());
    auto timedOut = std::make_shared<bool>(false);
    auto finished = std::make_shared<bool>(false);
    auto end = [this, process, finished, done](const Outcome& o) {
        if (*finished)
            return;
        *finished = true;
        m_processes.erase(process);
        process->deleteLater();
        done(o);
    };
    auto* timer = new QTimer(process);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, process, [process, timedOut] {
        *timedOut = true;
        process->kill();
    });
    connect(process, &QProcess::errorOccurred, this, [end](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            Outcome o;
            o.failure = Failure::NotStarted;
            end(o);
        }
    });
    connect(process, &QProcess::finished, this, [this, end, timedOut](int code, QProcess::ExitStatus status) {
        Outcome o;
        if (m_aborting)
            o.failure = Failure::Stopped;
        else if (*timedOut)
            o.failure = Failure::Timeout;
        else if (status != QProcess::NormalExit || code != 0) {
            o.failure = Failure::ProgramFailed;
            o.exitCode = status == QProcess::NormalExit ? code : -1;
        }
        end(o);
    });
    timer->start(static_cast<int>(timeoutMs));
    process->start(QIODevice::WriteOnly);
    const QByteArray body = QByteArray::fromStdString(request.body) + '\n';
    process->write(body);
    process->closeWriteChannel();
}

Outcome AlertTransport::append(const AlertChannel& channel, const AlertRequest& request)
{
    Outcome o;
    // O_NONBLOCK: a FIFO with no reader must not hang delivery; it is refused below
    const int fd = ::open(channel.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
    if (fd < 0) {
        o.failure = Failure::FileError;
        o.systemError = errno;
        return o;
    }
    struct stat st{};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        o.failure = Failure::FileError;
        o.systemError = EINVAL;
        o.permanent = true;
        return o;
    }
    const std::string line = request.body + '\n';
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            o.failure = Failure::FileError;
            o.systemError = n < 0 ? errno : EIO;
            // no half line left behind for the retry to follow (this process is the file's one writer)
            if (done > 0 && ::ftruncate(fd, st.st_size) != 0)
                o.permanent = true;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    // on disk before the spool lets go of it
    if (o.ok() && ::fdatasync(fd) != 0) {
        o.failure = Failure::FileError;
        o.systemError = errno;
    }
    ::close(fd);
    return o;
}

void AlertTransport::release()
{
    delete m_network;
    m_network = nullptr;
}

void AlertTransport::abortAll()
{
    m_aborting = true;
    const std::set<QNetworkReply*> replies = m_replies;
    for (QNetworkReply* r : replies)
        r->abort();
    const std::set<QProcess*> processes = m_processes;
    for (QProcess* p : processes) {
        p->kill();
        p->waitForFinished(1000);
    }
    m_aborting = false;
}

} // namespace rw::alerts
