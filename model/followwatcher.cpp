#include "model/followwatcher.h"

#include <QSocketNotifier>
#include <QStringList>

namespace rw {

FollowWatcher::FollowWatcher(FollowSource& source, int pollMs, QObject* parent, bool notifications)
    : QObject(parent), m_source(source), m_notifications(notifications)
{
    m_timer.setInterval(pollMs);
    connect(&m_timer, &QTimer::timeout, this, &FollowWatcher::pollNow);
    // the followed file changed: its new lines (a folder's listing only when the folder changed)
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { poll(false); });
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &FollowWatcher::pollNow);
    if (source.streamFd() >= 0) {
        m_notifier = new QSocketNotifier(static_cast<qintptr>(source.streamFd()), QSocketNotifier::Read, this);
        m_notifier->setEnabled(false);
        connect(m_notifier, &QSocketNotifier::activated, this, &FollowWatcher::pollNow);
    }
}

void FollowWatcher::setSinks(FollowLineSink onLine, FollowNoteSink onNote)
{
    m_onLine = std::move(onLine);
    m_onNote = std::move(onNote);
}

void FollowWatcher::start()
{
    if (m_notifier)
        m_notifier->setEnabled(true);
    m_timer.start();
    pollNow();
}

void FollowWatcher::rewatch()
{
    if (!m_notifications)
        return;
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    QStringList add;
    for (const std::string& p : m_source.watchPaths()) {
        const QString path = QString::fromStdString(p);
        if (!watched.contains(path))
            add << path;
    }
    if (!add.isEmpty())
        m_watcher.addPaths(add); // a path that does not exist (yet) is refused, and tried again next time
}

void FollowWatcher::pollNow()
{
    poll(true);
}

void FollowWatcher::poll(bool rescan)
{
    if (m_finished || m_polling)
        return;
    m_polling = true;
    m_source.poll(m_onLine, m_onNote, rescan);
    rewatch();
    m_polling = false;
    Q_EMIT polled();
    if (m_source.ended()) {
        m_finished = true;
        m_timer.stop();
        if (m_notifier)
            m_notifier->setEnabled(false);
        Q_EMIT ended();
    }
}

void FollowWatcher::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    if (m_notifier)
        m_notifier->setEnabled(false);
    m_source.finish(m_onLine, m_onNote);
    Q_EMIT polled();
}

} // namespace rw
