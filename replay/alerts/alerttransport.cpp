#include "replay/alerts/alerttransport.h"

#include <QProcess>
#include <QTimer>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rw::alerts {

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
    case Failure::NoHttp: return "no_http";
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
    if (!m_http && m_httpError.empty()) {
        m_http = loadHttpSender(m_httpError);
        if (!m_http && m_httpError.empty())
            m_httpError = "unknown";
    }
    if (!m_http) {
        // kept in the spool: a module installed later sends it
        Outcome o;
        o.failure = Failure::NoHttp;
        o.waitForFix = true; // loaded once a process: a retry in a minute would find it missing again
        QMetaObject::invokeMethod(this, [o, done = std::move(done)] { done(o); }, Qt::QueuedConnection);
        return;
    }
    m_http->post({channel.url.value, request.headers, request.body, timeoutMs}, std::move(done));
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
    // O_NOFOLLOW: a symlink put at the name never leads the alerts into another file (an audit log)
    const int fd = ::open(channel.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW, 0600);
    if (fd < 0) {
        o.failure = Failure::FileError;
        o.systemError = errno;
        o.permanent = errno == ELOOP; // a symlink at the name: a person must look
        return o;
    }
    struct stat st{};
    // a regular file of its own: another name for the same file (a hard link) may be evidence
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
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

std::string AlertTransport::takeHttpError()
{
    if (m_httpErrorTaken || m_http)
        return {};
    m_httpErrorTaken = true;
    return m_httpError;
}

void AlertTransport::release()
{
    m_http.reset();
}

void AlertTransport::abortAll()
{
    m_aborting = true;
    if (m_http)
        m_http->abortAll();
    const std::set<QProcess*> processes = m_processes;
    for (QProcess* p : processes) {
        p->kill();
        p->waitForFinished(1000);
    }
    m_aborting = false;
}

} // namespace rw::alerts
