// Menus, shortcuts, settings and dialogs of the main window.
#include "views/mainwindow.h"

#include "model/buildinfo.h"
#include "views/eventdrawer.h"
#include "views/filterbar.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"
#include "views/timelineview.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QShortcut>
#include <QStatusBar>
#include <QTableView>

namespace rw {

namespace {
constexpr int kMaxRecent = 10;
QSettings settings() { return QSettings(QStringLiteral("ReplayWorkbench"), QStringLiteral("replay-workbench")); }
} // namespace

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openDialog);
    file->addAction(tr("&Add Files…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Add audit files"), QString(),
                                                                tr("Audit logs (*.jsonl *.json *.log);;All files (*)"));
        if (!paths.isEmpty())
            openFiles(paths, true);
    });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("&Reload"), QKeySequence::Refresh, this, [this] { openFiles(m_paths); });
    file->addSeparator();
    file->addAction(tr("Export Execution &Graph…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    &MainWindow::exportGraphDialog);
    file->addAction(tr("Export E&vidence Bundle…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &MainWindow::exportEvidenceDialog);
    file->addAction(tr("&Verify Evidence Bundle…"), this, &MainWindow::verifyEvidenceDialog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("&Filter Traces"), QKeySequence::Find, this, [this] {
        m_filter->lineEdit()->setFocus();
        m_filter->lineEdit()->selectAll();
    });
    edit->addAction(tr("&Go to Trace…"), QKeySequence(Qt::CTRL | Qt::Key_G), this, &MainWindow::goToTrace);
    edit->addAction(tr("Find in &Event JSON"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this, [this] {
        openDrawer();
        m_drawer->focusSearch();
    });
    edit->addSeparator();
    edit->addAction(tr("Copy Event &Line"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), m_drawer, &EventDrawer::copyLine);
    edit->addAction(tr("Copy &Pretty JSON"), m_drawer, &EventDrawer::copyPretty);
    edit->addAction(tr("Copy JSON &Pointer"), m_drawer, &EventDrawer::copyPointer);

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    go->addAction(tr("&Next Trace"), QKeySequence(Qt::Key_J), this, [this] { moveTraceSelection(1); });
    go->addAction(tr("&Previous Trace"), QKeySequence(Qt::Key_K), this, [this] { moveTraceSelection(-1); });
    // Enter is handled by the tables (activated), so it only shows here
    go->addAction(tr("Open Event &Drawer\tEnter"), this, &MainWindow::openDrawer);
    go->addAction(tr("&Close Event Drawer"), QKeySequence(Qt::Key_Escape), m_drawerDock, &QWidget::hide);

    buildPolicyMenu(menuBar()->addMenu(tr("&Trace")), menuBar()->addMenu(tr("&Policy")));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_drawerDock->toggleViewAction());
    view->addAction(m_reevalDock->toggleViewAction());
    view->addAction(m_diagDock->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("Zoom &In Timeline"), QKeySequence::ZoomIn, m_timeline, &TimelineView::zoomIn);
    view->addAction(tr("Zoom &Out Timeline"), QKeySequence::ZoomOut, m_timeline, &TimelineView::zoomOut);
    view->addAction(tr("&Fit Timeline"), QKeySequence(Qt::CTRL | Qt::Key_0), m_timeline, &TimelineView::zoomFit);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Filter Syntax"), this, [this] {
        QMessageBox::information(this, tr("Filter syntax"),
                                 tr("<p><b>field:value</b> — decision, tool, trust, agent, tenant, stage, trace, governance, "
                                    "budget, reason (case-insensitive, * wildcard)</p>"
                                    "<p><b>numbers and times</b> — events&gt;10, diagnostics&gt;0, violations&gt;=1, "
                                    "duration&gt;1.5s, first_seen&gt;=2026-03-05T14:00</p>"
                                    "<p>free text, \"quoted values\", AND (or just a space), OR, NOT or -, parentheses</p>"));
    });
    help->addAction(tr("&About Replay Workbench"), this, &MainWindow::about);
}

void MainWindow::openDialog()
{
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open audit files"), QString(),
                                                            tr("Audit logs (*.jsonl *.json *.log);;All files (*)"));
    if (!paths.isEmpty())
        openFiles(paths);
}

void MainWindow::goToTrace()
{
    bool ok = false;
    const QString id = QInputDialog::getText(this, tr("Go to trace"), tr("Trace id:"), QLineEdit::Normal, QString(), &ok);
    if (ok && !id.trimmed().isEmpty() && !selectTrace(id.trimmed()))
        statusBar()->showMessage(tr("No trace \"%1\" in the open files").arg(id.trimmed()), 5000);
}

void MainWindow::moveTraceSelection(int delta)
{
    QTableView* view = m_eventView->hasFocus() ? m_eventView : m_traceView;
    const int rows = view->model()->rowCount();
    if (rows == 0)
        return;
    const int row = std::clamp(view->currentIndex().row() + delta, 0, rows - 1);
    view->setCurrentIndex(view->model()->index(row, 0));
}

void MainWindow::openDrawer()
{
    if (m_currentEvent < 0 && m_eventModel->rowCount() > 0)
        m_eventView->setCurrentIndex(m_eventModel->index(0, 0));
    m_drawerDock->show();
    m_drawerDock->raise();
}

void MainWindow::about()
{
    QString libs;
    for (const auto& [name, version] : libraryVersions())
        libs += QStringLiteral("<li>%1 %2</li>").arg(QString::fromStdString(name), QString::fromStdString(version).toHtmlEscaped());
    QMessageBox::about(this, tr("About Replay Workbench"),
                       tr("<h3>Replay Workbench %1</h3><p>Forensic investigation of AI-agent runtime decisions: "
                          "AISecOps audit logs and run traces, replayed.</p><p>Built with:</p><ul>%2</ul>")
                           .arg(QStringLiteral(RW_VERSION), libs));
}

void MainWindow::addRecent(const QStringList& paths)
{
    if (!m_options.persistSettings)
        return;
    QSettings s = settings();
    QStringList recent = s.value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& p : paths) {
        recent.removeAll(p);
        recent.prepend(p);
    }
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    s.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_options.persistSettings ? settings().value(QStringLiteral("recentFiles")).toStringList() : QStringList();
    for (const QString& path : recent)
        m_recentMenu->addAction(path, this, [this, path] { openFiles({path}); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::restoreSettings()
{
    QSettings s = settings();
    restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("state")).toByteArray());
}

void MainWindow::saveSettings()
{
    QSettings s = settings();
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("state"), saveState());
}

} // namespace rw
