#include "views/statussummary.h"

#include "app/text/plural.h"
#include "model/visibletext.h"
#include "views/models/tracelistmodel.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>

namespace rw {

StatusSummary::StatusSummary(Session& session, TracePage& page, QStatusBar* bar, QWidget* tasks)
    : QObject(bar), m_session(session), m_page(page), m_bar(bar)
{
    m_fileLabel = new QLabel(bar);
    m_fileLabel->setTextFormat(Qt::PlainText); // a file name is data, not markup
    m_shaLabel = new QLabel(bar);
    m_shaLabel->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_shaLabel->setAccessibleName(tr("SHA-256 of the file, click to copy"));
    m_countLabel = new QLabel(bar);
    m_timeLabel = new QLabel(bar);
    bar->addWidget(m_fileLabel);
    bar->addWidget(m_shaLabel);
    bar->addPermanentWidget(tasks);
    bar->addPermanentWidget(m_countLabel);
    bar->addPermanentWidget(m_timeLabel);
    connect(m_shaLabel, &QLabel::linkActivated, this, [this](const QString& sha) {
        QApplication::clipboard()->setText(sha);
        m_bar->showMessage(tr("SHA-256 copied"), 2000);
    });
    connect(&session.tasks(), &TaskRunner::taskStarted, this, [this](TaskId, TaskKind kind, const QString&) {
        if (kind == TaskKind::Load)
            m_loadTimer.start();
    });
    connect(&session, &Session::workspaceChanged, this, &StatusSummary::onWorkspaceChanged);
    connect(&page, &TracePage::filtered, this, &StatusSummary::update);
    update();
}

void StatusSummary::onWorkspaceChanged(std::shared_ptr<const Workspace> ws)
{
    m_ws = std::move(ws);
    m_loadSeconds = m_loadTimer.isValid() ? static_cast<double>(m_loadTimer.elapsed()) / 1000.0 : 0.0;
    update();
    // the hashes finish in the background; the label picks them up
    const std::shared_ptr<const Workspace> hashed = m_ws;
    m_session.tasks().start<bool>(
        TaskKind::Hash, tr("Hashing"),
        [hashed](const CancelToken& cancel, TaskProgress&) {
            for (std::size_t i = 0; i < hashed->fileCount() && !cancel.cancelled(); ++i)
                hashed->file(i).sha256();
            return true;
        },
        [this, hashed](bool) {
            if (m_ws == hashed)
                update();
        });
}

void StatusSummary::update()
{
    if (!m_ws) {
        m_fileLabel->setText(tr("No file"));
        m_shaLabel->clear();
        m_countLabel->clear();
        m_timeLabel->clear();
        return;
    }
    QStringList paths;
    for (std::size_t i = 0; i < m_ws->fileCount(); ++i)
        paths << QString::fromStdString(m_ws->file(i).path());
    m_fileLabel->setText(m_ws->fileCount() == 1 ? visibleText(QFileInfo(paths.front()).fileName())
                                                : counted(m_ws->fileCount(), "file", "files"));
    m_fileLabel->setToolTip(visibleText(paths.join(QLatin1Char('\n'))));
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
    const std::size_t shown = static_cast<std::size_t>(m_page.traceModel()->rowCount());
    std::uint64_t inTraces = 0;
    for (const TraceRow& r : m_ws->rows())
        inTraces += r.events;
    const QString records = counted(m_ws->totalEvents(), "record", "records");
    const QString traces = shown == total ? counted(total, "trace", "traces")
                                          : tr("%1 of %2").arg(shown).arg(counted(total, "trace", "traces"));
    m_countLabel->setText(tr("%1 in %2 · %3").arg(counted(inTraces, "event", "events"), traces, records));
    m_countLabel->setToolTip(tr("Records are all non-blank lines (or run steps), including unreadable ones and "
                                "records without a trace id; events are the records replayed in traces."));
    m_timeLabel->setText(m_loadSeconds < 1 ? tr("· loaded in %1 ms").arg(qMax(1, qRound(m_loadSeconds * 1000)))
                                           : tr("· loaded in %1 s").arg(m_loadSeconds, 0, 'f', 2));
}

} // namespace rw
