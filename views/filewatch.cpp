#include "views/filewatch.h"

#include "views/session/session.h"
#include "views/workbench.h"

#include <QWidget>
#include <QFileInfo>
#include <QFileSystemWatcher>

#include <sys/stat.h>

namespace rw {

namespace {

std::pair<qint64, qulonglong> fileState(const QString& path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {-1, 0};
    return {static_cast<qint64>(st.st_size), static_cast<qulonglong>(st.st_ino)};
}

} // namespace

FileWatch::FileWatch(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &FileWatch::onFileChanged);
    connect(&workbench.session(), &Session::workspaceChanged, this, [this] { watch(m_workbench.session().paths()); });
}

void FileWatch::watch(const QStringList& paths)
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    m_paths = paths;
    m_loaded.clear();
    for (const QString& p : m_paths) {
        m_loaded.push_back(fileState(p));
        m_watcher->addPath(p);
    }
}

void FileWatch::onFileChanged(const QString& path)
{
    const qsizetype i = m_paths.indexOf(path);
    if (i < 0)
        return;
    const auto [loadedSize, loadedInode] = m_loaded[static_cast<std::size_t>(i)];
    const auto [size, inode] = fileState(path);
    const QString name = QFileInfo(path).fileName();
    if (size < 0 || inode != loadedInode || size < loadedSize) {
        m_workbench.showInfo(tr("%1 was truncated, replaced or removed on disk. The version loaded earlier stays open; "
                                "nothing was written to it.").arg(name));
    } else if (size > loadedSize) {
        m_workbench.showInfo(tr("%1 grew by %2 bytes since it was loaded (an agent may still be writing).").arg(name).arg(size - loadedSize),
                             tr("Load new lines"), [this] { m_workbench.openFiles(m_paths); });
    }
    if (!m_watcher->files().contains(path) && QFileInfo::exists(path))
        m_watcher->addPath(path); // editors and log rotation replace files
}

} // namespace rw
