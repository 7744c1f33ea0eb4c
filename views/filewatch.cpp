#include "views/filewatch.h"

#include "model/visibletext.h"

#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLabel>
#include <QMenu>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>

#include <algorithm>

#include <sys/stat.h>

namespace rw {

namespace {

// the backstop poll, and the least time between two reloads of a busy file
constexpr int kPollMs = 1000;
constexpr int kReloadGapMs = 300;

} // namespace

FileWatch::FileWatch(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &FileWatch::onFileChanged);
    m_poll = new QTimer(this);
    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &FileWatch::poll);

    m_action = workbench.menu(Workbench::Menu::View)->addAction(tr("&Follow Growing Files"));
    m_action->setObjectName(QStringLiteral("followAction"));
    m_action->setCheckable(true);
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    m_action->setToolTip(tr("Load what is appended to the open files as it arrives"));
    connect(m_action, &QAction::toggled, this, &FileWatch::setFollowing);

    m_indicator = new QLabel(workbench.host());
    m_indicator->setObjectName(QStringLiteral("followIndicator"));
    m_indicator->setTextFormat(Qt::PlainText); // it names files: never markup
    m_indicator->hide();
    workbench.addStatusWidget(m_indicator);

    Session& session = workbench.session();
    connect(&session, &Session::workspaceChanged, this, [this] {
        watch(m_workbench.session().paths());
        if (m_loading) {
            m_lastLoadMs = m_loadTimer.elapsed();
            m_renamed.clear(); // delivered: the rotations it was asked for are done
        }
        m_loading = false;
        if (m_again) {
            m_again = false;
            // a file that grows all the time is read at most every other load's length
            QTimer::singleShot(static_cast<int>(std::max<qint64>(kReloadGapMs, 2 * m_lastLoadMs)), this, &FileWatch::reload);
        }
    });
    connect(&session.tasks(), &TaskRunner::taskFinished, this, [this](TaskId, TaskKind kind, bool cancelled) {
        if (kind != TaskKind::Load || !m_loading)
            return;
        // A load that delivers announces its end before its workspace arrives:
        // m_loading stays until then (watch() needs it); one that delivers
        // nothing (cancelled, failed) is over now.
        if (!cancelled) {
            QTimer::singleShot(0, this, [this] { m_loading = false; });
            return;
        }
        m_loading = false;
        if (m_following && !m_workbench.session().tasks().running(TaskKind::Load)) {
            // Cancel on a follow load means stop: the next poll would only start another
            setFollowing(false);
            m_workbench.showMessage(tr("Following stopped: the load was cancelled"), 8000);
        }
    });
    // the indicator says "not scrolling" while the list is scrolled away from its end
    QScrollBar* bar = workbench.tracePage().traceView()->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, &FileWatch::updateIndicator);
    connect(bar, &QScrollBar::rangeChanged, this, &FileWatch::updateIndicator);
}

FileWatch::FileState FileWatch::stateOf(const QString& path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return {static_cast<qint64>(st.st_size), static_cast<qulonglong>(st.st_ino), static_cast<qulonglong>(st.st_dev)};
}

QString FileWatch::renamedBeside(const QString& path, const FileState& loaded)
{
    if (loaded.inode == 0)
        return {};
    // logrotate and the interceptor rename within the folder: one listing per rotation
    const QFileInfo at(path);
    const QDir folder = at.absoluteDir();
    for (const QString& name : folder.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        // NFS keeps a removed file that is still open as .nfsXXXX: removed, not rotated
        if (name.startsWith(QLatin1String(".nfs")))
            continue;
        const QString candidate = folder.filePath(name);
        struct stat st{};
        // the same inode, and at least what was loaded from it (an inode reused by a new, smaller file is not it)
        if (candidate != at.absoluteFilePath() && ::lstat(QFile::encodeName(candidate).constData(), &st) == 0 &&
            S_ISREG(st.st_mode) && static_cast<qulonglong>(st.st_ino) == loaded.inode &&
            static_cast<qulonglong>(st.st_dev) == loaded.device && static_cast<qint64>(st.st_size) >= loaded.size)
            return candidate;
    }
    return {};
}

void FileWatch::setFollowing(bool on)
{
    if (m_following == on)
        return;
    m_following = on;
    m_action->setChecked(on);
    m_lastEvent.clear();
    if (on) {
        m_poll->start();
        if (m_offerShown) // the "Load new lines" offer (and only it): following does it
            m_workbench.hideInfo();
        m_offerShown = false;
        poll(); // what was appended before Follow was turned on
    } else {
        m_poll->stop();
        m_renamed.clear(); // a rotation not loaded yet is not followed any more
    }
    updateIndicator();
}

void FileWatch::watch(const QStringList& paths)
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    // Our own reload keeps the states taken just before it: what was appended
    // while it ran is then seen as new at the next poll, never taken as loaded.
    // A file it added (one rotated away, kept under its new name) was read at
    // some moment during it: taken as empty, so that the next poll reads what
    // came after (an extension: only the new lines, if any).
    if (m_loading) {
        std::vector<FileState> kept;
        for (const QString& p : paths) {
            const qsizetype before = m_paths.indexOf(p);
            if (before >= 0 && static_cast<std::size_t>(before) < m_loaded.size()) {
                kept.push_back(m_loaded[static_cast<std::size_t>(before)]);
            } else {
                FileState added = stateOf(p);
                added.size = std::min<qint64>(added.size, 0);
                kept.push_back(added);
            }
        }
        m_loaded = std::move(kept);
    } else {
        m_loaded.clear();
        for (const QString& p : paths)
            m_loaded.push_back(stateOf(p));
        m_renamed.clear(); // other files opened: a rotation seen before is not theirs
    }
    m_paths = paths;
    for (const QString& p : m_paths)
        if (QFileInfo::exists(p))
            m_watcher->addPath(p);
    updateIndicator();
}

void FileWatch::poll()
{
    for (const QString& p : m_paths)
        onFileChanged(p);
}

void FileWatch::onFileChanged(const QString& path)
{
    const qsizetype i = m_paths.indexOf(path);
    if (i < 0)
        return;
    const FileState loaded = m_loaded[static_cast<std::size_t>(i)];
    const FileState now = stateOf(path);
    // file names come from the disk: hidden characters (bidi, ESC) shown escaped
    const QString name = visibleText(QFileInfo(path).fileName());
    if (!m_watcher->files().contains(path) && QFileInfo::exists(path))
        m_watcher->addPath(path); // editors and log rotation replace files
    if (now.size == loaded.size && now.inode == loaded.inode)
        return;
    if (!m_following) {
        if (now.size < 0 || now.inode != loaded.inode || now.size < loaded.size)
            m_workbench.showInfo(tr("%1 was truncated, replaced or removed on disk. The version loaded earlier stays open; "
                                    "nothing was written to it.").arg(name));
        else
            m_workbench.showInfo(tr("%1 grew by %2 bytes since it was loaded (an agent may still be writing).").arg(name).arg(now.size - loaded.size),
                                 tr("Load new lines"), [this] { m_workbench.session().loadAppended(); });
        m_offerShown = true;
        return;
    }
    const QString at = QDateTime::currentDateTimeUtc().toString(QStringLiteral("HH:mm:ss")) + QStringLiteral(" UTC");
    if (now.size < 0) {
        // removed: what was loaded stays; the name is polled until a file is there again
        // (the file loaded is remembered: renamed away, it is found beside when one is)
        m_lastEvent = tr("%1 removed at %2; waiting for it").arg(name, at);
        m_loaded[static_cast<std::size_t>(i)].size = -1;
        updateIndicator();
        return;
    }
    if (now.inode != loaded.inode || now.device != loaded.device) {
        // another file at the name: the one loaded, if renamed beside, stays open under that name
        const QString renamed = renamedBeside(path, loaded);
        if (!renamed.isEmpty()) {
            m_renamed.insert(path, renamed);
            m_lastEvent = tr("%1 rotated at %2: kept as %3 with its last lines; the new file is read from its start")
                              .arg(name, at, visibleText(QFileInfo(renamed).fileName()));
        } else {
            m_lastEvent = loaded.size < 0 ? tr("%1 created again at %2: read from its start").arg(name, at)
                                          : tr("%1 rotated at %2: the new file is read from its start").arg(name, at);
        }
    } else if (loaded.size < 0)
        m_lastEvent = tr("%1 created again at %2: read from its start").arg(name, at);
    else if (now.size < loaded.size)
        m_lastEvent = tr("%1 truncated at %2: read again from its start").arg(name, at);
    reload();
}

void FileWatch::reload()
{
    if (!m_following || m_paths.isEmpty())
        return;
    if (m_loading || m_workbench.session().tasks().running(TaskKind::Load)) {
        m_again = true; // one more when this one is done: the latest change wins
        return;
    }
    m_loading = true;
    // what this load is taken to hold: later growth is new at the next poll
    for (std::size_t i = 0; i < m_loaded.size() && i < static_cast<std::size_t>(m_paths.size()); ++i)
        m_loaded[i] = stateOf(m_paths[static_cast<qsizetype>(i)]);
    m_loadTimer.start();
    // only the new lines of a grown file are read; a file rotated away stays open under its new name
    m_workbench.session().loadAppended(m_renamed);
    m_renamed.clear();
    updateIndicator();
}

QString FileWatch::indicatorText() const
{
    return m_indicator->isVisible() || m_following ? m_indicator->text() : QString();
}

void FileWatch::updateIndicator()
{
    if (!m_following) {
        m_indicator->hide();
        return;
    }
    const QScrollBar* bar = m_workbench.tracePage().traceView()->verticalScrollBar();
    QString text = bar->value() < bar->maximum() ? tr("● Following · not scrolling (scrolled away from the end)") : tr("● Following");
    if (!m_lastEvent.isEmpty())
        text += QStringLiteral(" · ") + m_lastEvent;
    m_indicator->setText(text);
    m_indicator->setToolTip(tr("New lines of %1 are loaded as they arrive (View ▸ Follow Growing Files)")
                                .arg(m_paths.isEmpty() ? tr("the open files") : m_paths.join(QStringLiteral(", "))));
    m_indicator->show();
}

} // namespace rw
