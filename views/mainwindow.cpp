#include "views/mainwindow.h"

#include "app/text/diagnostictext.h"
#include "app/text/plural.h"
#include "model/buildinfo.h"
#include "views/features.h"
#include "views/infobar.h"
#include "views/session/session.h"
#include "views/statussummary.h"
#include "views/taskprogresswidget.h"
#include "views/trace/tracepage.h"

#include <QAbstractButton>
#include <QCloseEvent>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

namespace rw {

namespace {
constexpr int kMaxRecent = 10;
QSettings settings() { return QSettings(QStringLiteral("ReplayWorkbench"), QStringLiteral("replay-workbench")); }
} // namespace

MainWindow::MainWindow(Options options, QWidget* parent) : QMainWindow(parent), m_options(options)
{
    setWindowTitle(tr("Replay Workbench"));
    setAcceptDrops(true);
    m_session = new Session(this);
    // the page first: the features build on it, and it hears a load before they do
    m_page = new TracePage(*m_session, this);
    m_info = new InfoBar(m_page);
    m_page->setBanner(m_info);
    setCentralWidget(m_page);
    m_tasks = new TaskProgressWidget(&m_session->tasks(), this);
    m_summary = new StatusSummary(*m_session, *m_page, statusBar(), m_tasks);
    buildMenus();
    m_page->install(*this);
    installFeatures(*this);
    finishMenus();
    connectSession();
    // a hidden restriction would leave traces missing without saying why
    connect(m_info, &InfoBar::dismissed, this, [this] { m_session->restrictTo(nullptr); });
    if (m_options.persistSettings) {
        QSettings s = settings();
        restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray());
        restoreState(s.value(QStringLiteral("state")).toByteArray());
    }
}

// the session's runner cancels what still runs and delivers nothing afterwards
MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    const std::pair<Menu, QString> menus[] = {{Menu::File, tr("&File")},   {Menu::Edit, tr("&Edit")},
                                              {Menu::Go, tr("&Go")},       {Menu::Trace, tr("&Trace")},
                                              {Menu::Policy, tr("&Policy")}, {Menu::View, tr("&View")},
                                              {Menu::Help, tr("&Help")}};
    for (const auto& [id, title] : menus)
        m_menus[id] = menuBar()->addMenu(title);
    QMenu* file = m_menus[Menu::File];
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openDialog);
    file->addAction(tr("&Add Files…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Add audit files"), QString(),
                                                                tr("Audit logs (*.jsonl *.json *.log);;All files (*)"));
        if (!paths.isEmpty())
            openFiles(paths, true);
    });
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("&Reload"), QKeySequence::Refresh, this, [this] { openFiles(m_session->paths()); });
    file->addSeparator();
}

// after the features: Quit closes the File menu, About the Help menu
void MainWindow::finishMenus()
{
    m_menus[Menu::File]->addSeparator();
    m_menus[Menu::File]->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    m_menus[Menu::Help]->addAction(tr("&About Replay Workbench"), this, &MainWindow::about);
}

void MainWindow::connectSession()
{
    connect(m_session, &Session::workspaceChanged, this, [this] {
        const QStringList paths = m_session->paths();
        setWindowTitle(tr("%1 — Replay Workbench")
                           .arg(QFileInfo(paths.front()).fileName() +
                                (paths.size() > 1 ? tr(" and %1 more").arg(paths.size() - 1) : QString())));
        addRecent(paths);
        Q_EMIT loaded();
    });
    connect(m_session, &Session::openFailed, this, [this](const std::vector<OpenFailure>& failures) {
        QStringList errors;
        for (const OpenFailure& f : failures)
            errors << QString::fromStdString(describeOpenError(f.error, f.errnoValue, f.path));
        showInfo(errors.join(QLatin1Char('\n')));
    });
    connect(&m_session->tasks(), &TaskRunner::taskFinished, this, [this](TaskId, TaskKind kind, bool cancelled) {
        // cancelled by the user, not replaced by a newer load
        if (kind == TaskKind::Load && cancelled && !m_session->tasks().running(TaskKind::Load))
            statusBar()->showMessage(tr("Loading cancelled; the previous files stay open"), 5000);
        else if (kind == TaskKind::Load)
            statusBar()->clearMessage();
    });
}

void MainWindow::addDock(QDockWidget* dock, Qt::DockWidgetArea area)
{
    addDockWidget(area, dock);
    dock->hide();
    m_menus[Menu::View]->addAction(dock->toggleViewAction());
}

void MainWindow::showDock(QDockWidget* dock, int width)
{
    dock->show();
    dock->raise();
    // once the dock is laid out; before that the request is ignored
    if (width > 0)
        QTimer::singleShot(0, this, [this, dock, width] { resizeDocks({dock}, {width}, Qt::Horizontal); });
}

void MainWindow::addStatusWidget(QWidget* widget)
{
    statusBar()->addPermanentWidget(widget);
}

void MainWindow::showInfo(const QString& text, const QString& action, std::function<void()> onAction)
{
    m_info->showMessage(text, action, std::move(onAction));
}

void MainWindow::hideInfo()
{
    m_info->hide();
}

void MainWindow::showMessage(const QString& text, int timeoutMs)
{
    if (text.isEmpty())
        statusBar()->clearMessage();
    else
        statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::openFiles(const QStringList& paths, bool append)
{
    if (paths.isEmpty() && !append)
        return;
    statusBar()->showMessage(tr("Loading %1…").arg(counted(paths.size(), "file", "files")));
    m_session->open(paths, append);
}

bool MainWindow::waitUntilIdle(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QEventLoop loop;
    while (!deadline.hasExpired()) {
        // the hashes are not waited for: the list is usable before they finish, as before
        if (!m_session->tasks().anyRunningBut(TaskKind::Hash))
            return true;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return false;
}

QString MainWindow::statusText() const
{
    QStringList words;
    for (QWidget* w : statusBar()->findChildren<QWidget*>()) {
        if (!w->isVisibleTo(statusBar()))
            continue;
        if (const auto* label = qobject_cast<const QLabel*>(w); label && !label->text().isEmpty())
            words << label->text();
        else if (const auto* button = qobject_cast<const QAbstractButton*>(w); button && !button->text().isEmpty())
            words << button->text();
    }
    return words.join(QLatin1Char(' '));
}

void MainWindow::openDialog()
{
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open audit files"), QString(),
                                                            tr("Audit logs (*.jsonl *.json *.log);;All files (*)"));
    if (!paths.isEmpty())
        openFiles(paths);
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

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_options.persistSettings) {
        QSettings s = settings();
        s.setValue(QStringLiteral("geometry"), saveGeometry());
        s.setValue(QStringLiteral("state"), saveState());
    }
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty())
        openFiles(paths, event->modifiers() & Qt::ShiftModifier);
}

} // namespace rw
