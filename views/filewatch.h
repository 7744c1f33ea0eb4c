#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QStringList>

#include <vector>

class QAction;
class QFileSystemWatcher;
class QLabel;
class QTimer;

namespace rw {

class Workbench;

// Watches the open files. By default a grown file is offered for reloading
// and a truncated, replaced or removed one is said: the loaded version is never
// re-read or written silently. With View ▸ Follow Growing Files on (Wireshark's
// live capture), what is appended is loaded as it arrives, off the GUI thread
// (Session::loadAppended: only the new lines of a grown file are read; at most
// one load at a time, the latest change winning), the trace page keeps its selection and stays at the end of its
// lists unless the user scrolled away, a file rotated away (renamed beside,
// found by its inode) stays open under its new name with the lines it got
// before the rotation while the new file is read from its start, a truncated
// one is read anew, each said, and a status-bar indicator shows following, not scrolling (scrolled
// away) or the last rotation. Notifications come from QFileSystemWatcher with
// a poll as a backstop (network file systems, exhausted inotify watches).
class FileWatch : public QObject
{
    Q_OBJECT
public:
    explicit FileWatch(Workbench& workbench);

    bool following() const { return m_following; }
    void setFollowing(bool on);
    // the indicator's words, as shown (for tests)
    QString indicatorText() const;

private:
    struct FileState
    {
        qint64 size = -1;
        qulonglong inode = 0, device = 0;
    };
    static FileState stateOf(const QString& path);
    // the name beside `path` of the file (device, inode) loaded from it, or ""
    static QString renamedBeside(const QString& path, const FileState& loaded);
    void watch(const QStringList& paths);
    void onFileChanged(const QString& path);
    void poll();
    void reload();
    void updateIndicator();

    Workbench& m_workbench;
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_poll = nullptr;
    QAction* m_action = nullptr;
    QLabel* m_indicator = nullptr;
    QStringList m_paths;
    std::vector<FileState> m_loaded; // per file, as last loaded
    bool m_following = false;
    bool m_loading = false; // a reload of ours is under way
    bool m_again = false;   // and the files changed meanwhile
    bool m_offerShown = false; // the info bar shows our "Load new lines" (ours to hide)
    QElapsedTimer m_loadTimer;
    qint64 m_lastLoadMs = 0;
    QString m_lastEvent;    // "audit.jsonl rotated at 14:22:03"
    QHash<QString, QString> m_renamed; // open files rotated away: path -> their new name, for the next load
};

} // namespace rw
