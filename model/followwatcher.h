#pragma once

// Drives a FollowSource from an event loop (the CLI's QCoreApplication, the
// workbench's): a poll when the file system says the file or its folder
// changed (QFileSystemWatcher, inotify on Linux), when a stream has bytes
// (QSocketNotifier), and on a timer as a backstop, since inotify sees nothing
// on NFS, SMB or FUSE and its watches can run out. After a rotation Qt no
// longer watches the renamed file: the paths are watched again after each poll.
#include "model/followsource.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

class QSocketNotifier;

namespace rw {

class FollowWatcher : public QObject
{
    Q_OBJECT
public:
    // `notifications` off: the timer alone (what a network file system gives; the benchmark compares both)
    FollowWatcher(FollowSource& source, int pollMs, QObject* parent = nullptr, bool notifications = true);
    void setSinks(FollowLineSink onLine, FollowNoteSink onNote);
    // the first poll (what is there already) at once, then on changes and the timer
    void start();
    void pollNow();
    // the end of following: held lines out, segments closed (then nothing more is read)
    void finish();
    FollowSource& source() { return m_source; }

Q_SIGNALS:
    void polled(); // after each poll: consumers handle the lines it passed on
    void ended();  // a stream reached its end

private:
    void poll(bool rescan);
    void rewatch();

    FollowSource& m_source;
    FollowLineSink m_onLine;
    FollowNoteSink m_onNote;
    QFileSystemWatcher m_watcher;
    QTimer m_timer;
    QSocketNotifier* m_notifier = nullptr;
    bool m_finished = false, m_polling = false, m_notifications = true;
};

} // namespace rw
