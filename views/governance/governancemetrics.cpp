#include "views/governance/governancemetrics.h"

#include "app/text/outputtext.h"
#include "model/outputfile.h"
#include "replay/analysis/analyzer.h"
#include "replay/analysis/governanceseries.h"
#include "views/filterbar.h"
#include "views/governance/governancechart.h"
#include "views/governance/governancewindow.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QAction>
#include <QBuffer>
#include <QFile>
#include <QFileDialog>
#include <QMenu>

namespace rw {

using namespace analysis;

GovernanceMetrics::GovernanceMetrics(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    QAction* open = workbench.menu(Workbench::Menu::View)
                        ->addAction(tr("&Governance Metrics…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), this,
                                    &GovernanceMetrics::show);
    open->setObjectName(QStringLiteral("governanceMetricsAction"));
    // counted from the session's analysis (made once after each load): it arrives after the files
    connect(&workbench.session(), &Session::analysed, this, [this] {
        if (m_window && m_window->isVisible())
            recount();
    });
    // a count cancelled (its status-bar row, or a newer load) delivers nothing: the window leaves "Counting…"
    connect(&workbench.session().tasks(), &TaskRunner::taskFinished, this, [this](TaskId, TaskKind kind, bool cancelled) {
        if (kind == TaskKind::Metrics && cancelled && m_window && !m_workbench.session().tasks().running(TaskKind::Metrics))
            m_window->setCounts(m_counted == m_workbench.session().workspace() ? m_window->counts() : nullptr);
    });
}

GovernanceWindow* GovernanceMetrics::window()
{
    if (m_window)
        return m_window;
    m_window = new GovernanceWindow(m_workbench.host());
    connect(m_window, &GovernanceWindow::showTraces, this, [this](const QString& query) {
        m_workbench.tracePage().filterBar()->setText(query);
        m_workbench.host()->raise();
        m_workbench.host()->activateWindow();
        m_workbench.showMessage(tr("Showing the traces behind the point: %1").arg(query), 8000);
    });
    connect(m_window, &GovernanceWindow::exportRequested, this, &GovernanceMetrics::exportDialog);
    return m_window;
}

void GovernanceMetrics::show()
{
    window()->show();
    m_window->raise();
    m_window->activateWindow();
    recount();
}

void GovernanceMetrics::recount()
{
    const std::shared_ptr<const Workspace> ws = m_workbench.session().workspace();
    if (ws == m_counted && m_window->counts())
        return;
    if (!ws || ws->fileCount() == 0) {
        m_counted = ws;
        m_window->setCounts(nullptr);
        Q_EMIT counted();
        return;
    }
    const std::shared_ptr<const WorkspaceAnalysis> found = m_workbench.session().analysis();
    if (!found || found->files.size() != ws->fileCount()) {
        // the analysis of these files is on its way: counted when it arrives (analysed)
        m_window->setBusy(tr("Analysing %n file(s)…", nullptr, static_cast<int>(ws->fileCount())));
        return;
    }
    m_window->setBusy(tr("Counting the metrics of %n file(s)…", nullptr, static_cast<int>(ws->fileCount())));
    using Result = std::shared_ptr<const GovernanceCounts>;
    m_workbench.session().tasks().start<Result>(
        TaskKind::Metrics, tr("Counting governance metrics"),
        [ws, found](const CancelToken& cancel, TaskProgress& progress) -> Result {
            // the runs the session's analysis found (its rules: the defaults unless a profile was loaded)
            auto counts = std::make_shared<GovernanceCounts>();
            for (std::size_t f = 0; f < ws->fileCount() && !cancel.cancelled(); ++f) {
                addGovernance(*counts, ws->file(f), found->files[f]);
                progress.report(f + 1, ws->fileCount());
            }
            return cancel.cancelled() ? nullptr : counts;
        },
        [this, ws](Result counts) {
            if (ws != m_workbench.session().workspace())
                return; // files changed since: a newer count follows
            if (!counts) { // cancelled: what was shown before, or nothing
                m_window->setCounts(m_counted == ws ? m_window->counts() : nullptr);
                return;
            }
            m_counted = ws;
            m_window->setCounts(std::move(counts));
            Q_EMIT counted();
        });
}

QString GovernanceMetrics::exportTo(const QString& path, const QString& format)
{
    if (!m_window || !m_window->counts())
        return tr("Nothing has been counted yet.");
    OutputRules rules;
    if (const std::shared_ptr<const Workspace> ws = m_workbench.session().workspace())
        for (std::size_t f = 0; f < ws->fileCount(); ++f)
            rules.inputs.push_back(ws->file(f).path());
    const OutputTarget target = chooseOutputFile(QFile::encodeName(path).toStdString(), std::move(rules));
    if (!target.ok())
        return QString::fromStdString(outputFailureText(target.requested, target.failure));
    std::string bytes;
    const QSize size(1200, 600);
    // the chart travels without the window: its caption above it, its source and time below
    const QString title = m_window->caption();
    const std::shared_ptr<const Workspace> ws = m_workbench.session().workspace();
    const QString footer = m_window->exportFooter(ws ? ws->fileCount() : 0);
    if (format == QLatin1String("csv")) {
        bytes = governanceCsv(*m_window->counts());
    } else if (format == QLatin1String("svg")) {
        bytes = m_window->chart()->svg(size, title, footer);
    } else {
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        if (!m_window->chart()->image(size, title, footer).save(&buffer, "PNG"))
            return tr("The chart could not be encoded as PNG.");
        bytes = png.toStdString();
    }
    const OutputFailure failure = writeOutputFile(target, bytes);
    return failure.error == OutputError::None ? QString() : QString::fromStdString(outputFailureText(target.requested, failure));
}

void GovernanceMetrics::exportDialog(const QString& format)
{
    const QString filter = format == QLatin1String("csv")   ? tr("CSV (*.csv)")
                           : format == QLatin1String("svg") ? tr("SVG image (*.svg)")
                                                            : tr("PNG image (*.png)");
    QString path = QFileDialog::getSaveFileName(m_window, tr("Export governance metrics"),
                                                QStringLiteral("governance-metrics.") + format, filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1Char('.') + format, Qt::CaseInsensitive))
        path += QLatin1Char('.') + format;
    const QString error = exportTo(path, format);
    if (error.isEmpty())
        m_workbench.showMessage(tr("Governance metrics written to %1").arg(path), 5000);
    else
        m_workbench.showInfo(tr("The governance metrics were not exported: %1").arg(error));
}

} // namespace rw
