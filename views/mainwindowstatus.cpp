// The status bar's file, hash, count and time labels, and the watch on the
// open files (a grown or replaced file is said, never re-read silently).
#include "views/mainwindow.h"

#include "app/text/plural.h"

#include "model/visibletext.h"
#include "views/models/diagnosticsmodel.h"

#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLabel>
#include <QStatusBar>
#include <QToolButton>

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

QString MainWindow::statusText() const
{
    return m_fileLabel->text() + QLatin1Char(' ') + m_countLabel->text() + QLatin1Char(' ') + m_diagButton->text();
}

void MainWindow::updateStatus()
{
    if (!m_ws) {
        m_fileLabel->setText(tr("No file"));
        m_shaLabel->clear();
        m_countLabel->clear();
        m_timeLabel->clear();
        m_diagButton->setText(QString());
        m_diagButton->hide();
        return;
    }
    m_fileLabel->setText(m_ws->fileCount() == 1 ? visibleText(QFileInfo(QString::fromStdString(m_ws->file(0).path())).fileName())
                                                : counted(m_ws->fileCount(), "file", "files"));
    m_fileLabel->setToolTip(m_paths.join(QLatin1Char('\n')));
    QStringList shas;
    bool ready = true;
    for (std::size_t i = 0; i < m_ws->fileCount(); ++i) {
        ready = ready && m_ws->file(i).sha256Ready();
        if (m_ws->file(i).sha256Ready())
            shas << QString::fromStdString(m_ws->file(i).sha256());
    }
    if (!ready) {
        m_shaLabel->setText(tr("SHA-256: computing…"));
    } else if (shas.contains(QString())) {
        // a file that changed while it was read has no hash (FILE_CHANGED in the findings)
        m_shaLabel->setText(tr("· SHA-256: unavailable, a file changed while it was read"));
        m_shaLabel->setToolTip(tr("See the findings: the bytes loaded are not the file as it is now"));
    } else if (shas.size() == 1) {
        m_shaLabel->setText(QStringLiteral("· SHA-256: <a href=\"%1\">%2…</a>").arg(shas.front(), shas.front().left(16)));
        m_shaLabel->setToolTip(tr("%1\nClick to copy").arg(shas.front()));
    } else {
        m_shaLabel->setText(tr("· SHA-256 of each file: hover"));
        m_shaLabel->setToolTip(shas.join(QLatin1Char('\n')));
    }
    const std::size_t total = m_ws->rows().size();
    std::uint64_t inTraces = 0;
    for (const TraceRow& r : m_ws->rows())
        inTraces += r.events;
    const QString records = counted(m_ws->totalEvents(), "record", "records");
    const QString traces = m_visible == total ? counted(total, "trace", "traces")
                                              : tr("%1 of %2").arg(m_visible).arg(counted(total, "trace", "traces"));
    m_countLabel->setText(tr("%1 in %2 · %3").arg(counted(inTraces, "event", "events"), traces, records));
    m_countLabel->setToolTip(tr("Records are all non-blank lines (or run steps), including unreadable ones and "
                                "records without a trace id; events are the records replayed in traces."));
    m_timeLabel->setText(m_loadSeconds < 1 ? tr("· loaded in %1 ms").arg(qMax(1, qRound(m_loadSeconds * 1000)))
                                           : tr("· loaded in %1 s").arg(m_loadSeconds, 0, 'f', 2));
    const std::uint64_t findings = m_ws->totalDiagnostics();
    m_diagButton->setText(counted(findings, "finding", "findings") + (findings ? QStringLiteral(" ⚠") : QString()));
    m_diagButton->setVisible(true);
}

void MainWindow::watchFiles()
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    m_loadedFileState.clear();
    for (const QString& p : m_paths) {
        m_loadedFileState.push_back(fileState(p));
        m_watcher->addPath(p);
    }
}

void MainWindow::onFileChanged(const QString& path)
{
    const qsizetype i = m_paths.indexOf(path);
    if (i < 0 || !m_ws)
        return;
    const auto [loadedSize, loadedInode] = m_loadedFileState[static_cast<std::size_t>(i)];
    const auto [size, inode] = fileState(path);
    const QString name = QFileInfo(path).fileName();
    if (size < 0 || inode != loadedInode || size < loadedSize) {
        showInfo(tr("%1 was truncated, replaced or removed on disk. The version loaded earlier stays open; "
                    "nothing was written to it.").arg(name));
    } else if (size > loadedSize) {
        showInfo(tr("%1 grew by %2 bytes since it was loaded (an agent may still be writing).").arg(name).arg(size - loadedSize),
                 tr("Load new lines"), [this] { openFiles(m_paths); });
    }
    if (!m_watcher->files().contains(path) && QFileInfo::exists(path))
        m_watcher->addPath(path); // editors and log rotation replace files
}

} // namespace rw
