#pragma once

#include <QObject>
#include <QStringList>

#include <utility>
#include <vector>

class QFileSystemWatcher;

namespace rw {

class Workbench;

// Watches the open files: a grown file is offered for reloading, a truncated,
// replaced or removed one is said; the loaded version is never re-read or
// written silently.
class FileWatch : public QObject
{
    Q_OBJECT
public:
    explicit FileWatch(Workbench& workbench);

private:
    void watch(const QStringList& paths);
    void onFileChanged(const QString& path);

    Workbench& m_workbench;
    QFileSystemWatcher* m_watcher = nullptr;
    QStringList m_paths;
    std::vector<std::pair<qint64, qulonglong>> m_loaded; // size, inode per file
};

} // namespace rw
