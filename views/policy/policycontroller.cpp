#include "views/policy/policycontroller.h"

#include "app/text/plural.h"
#include "app/text/replaydifftext.h"
#include "replay/policy/policybundle.h"
#include "replay/policy/workspacereevaluation.h"
#include "views/policy/loadpolicydialog.h"
#include "views/reevaluationpanel.h"
#include "views/session/session.h"
#include "views/titles.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QWidget>
#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>

#include <numeric>

namespace rw {

PolicyController::PolicyController(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    Session& session = workbench.session();
    m_panel = new ReevaluationPanel(workbench.host());
    m_dock = new QDockWidget(tr("Re-evaluation"), workbench.host());
    m_dock->setObjectName(QStringLiteral("reevaluation"));
    m_dock->setWidget(m_panel);
    workbench.addDock(m_dock, Qt::RightDockWidgetArea);
    clearReevaluation();

    QMenu* policy = workbench.menu(Workbench::Menu::Policy);
    policy->addAction(tr("&Load Policy Bundle…"), QKeySequence(Qt::CTRL | Qt::Key_P), this, &PolicyController::loadDialog);
    policy->addSeparator();
    policy->addAction(tr("Re-evaluate &Current Trace"), QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] { reevaluate(Scope::Current); });
    policy->addAction(tr("Re-evaluate &Filtered Traces"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this,
                      [this] { reevaluate(Scope::Filtered); });
    policy->addAction(tr("Re-evaluate &All Traces"), this, [this] { reevaluate(Scope::All); });
    policy->addSeparator();
    policy->addAction(tr("Show Re-evaluation &Summary"), this, [this] { m_workbench.showDock(m_dock); });
    policy->addAction(tr("C&lear Re-evaluation"), this, [this] {
        m_lastScope.reset();
        clearReevaluation();
        clearRestriction();
    });

    // re-evaluations and restrictions name rows of the old workspace (the session dropped its own)
    connect(&session, &Session::workspaceChanged, this, [this] {
        const bool again = m_lastScope && m_workbench.session().paths() == m_lastPaths;
        const std::optional<Scope> scope = m_lastScope;
        clearReevaluation();
        // after the trace page has its selection back (its slot runs in this same emission)
        if (again)
            QTimer::singleShot(0, this, [this, scope] { reevaluate(*scope, true); });
    });
    connect(&session, &Session::reevaluated, this, &PolicyController::onReevaluated);
    connect(&session.tasks(), &TaskRunner::taskFinished, this, [this](TaskId, TaskKind kind, bool cancelled) {
        // cancelled by the user: a newer re-evaluation replacing it says its own words
        // (new files cancel it too: then their workspaceChanged decides what follows)
        if (kind == TaskKind::Reevaluate && cancelled && !m_workbench.session().tasks().running(TaskKind::Reevaluate) &&
            !m_workbench.session().replacingWorkspace()) {
            m_lastScope.reset(); // cancelled by the user: not run again on the next growth
            clearReevaluation();
            m_workbench.showMessage(tr("Re-evaluation cancelled"), 5000);
        }
    });
    connect(m_panel, &ReevaluationPanel::rowsRequested, this,
            [this](const QString& description, const std::vector<std::uint32_t>& rows) { restrictToRows(description, rows); });
    connect(m_panel, &ReevaluationPanel::pointRequested, this, [this](std::uint32_t row, std::uint32_t event) {
        const std::shared_ptr<const Workspace> ws = m_workbench.session().workspace();
        if (!ws || row >= ws->rows().size())
            return;
        TracePage& page = m_workbench.tracePage();
        const std::string_view id = ws->str(ws->row(row), ws->row(row).traceId);
        if (page.selectTrace(QString::fromUtf8(id.data(), static_cast<qsizetype>(id.size())))) {
            page.selectEvent(event, nullptr);
            page.openDrawer();
        }
    });
}

void PolicyController::onReevaluated(std::shared_ptr<const WorkspaceReevaluation> result)
{
    const std::shared_ptr<const PolicyEngine> engine = m_workbench.session().policy();
    m_panel->setResult(m_workbench.session().workspace(), result, engine ? policyTitle(*engine) : QString(), m_scope);
    m_lastScope = m_runningScope;
    m_lastPaths = m_workbench.session().paths();
    // a re-run after a followed file grew says its count in the panel only: the status bar keeps the file and its hash
    if (!m_quietRun)
        m_workbench.showMessage(tr("Re-evaluated: %1 changed").arg(counted(result->summary.changed, "decision", "decisions")), 8000);
    Q_EMIT reevaluated();
}

void PolicyController::loadDialog()
{
    const std::optional<LoadPolicyDialog::Choice> choice = LoadPolicyDialog::ask(m_workbench.host());
    QString error;
    if (!choice || loadPolicy(choice->policy, choice->capabilities, &error))
        return;
    // the problems quote the bundle's own text: shown as written, never as markup
    QMessageBox box(QMessageBox::Warning, tr("Policy bundle not loaded"), error, QMessageBox::Ok, m_workbench.host());
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

bool PolicyController::loadPolicy(const QString& policyPath, const QString& capabilitiesPath, QString* error)
{
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(QFile::encodeName(policyPath).toStdString(), diagnostics);
    std::optional<CapabilityBundle> caps;
    if (!capabilitiesPath.isEmpty())
        caps = loadCapabilityBundle(QFile::encodeName(capabilitiesPath).toStdString(), diagnostics);
    QStringList problems;
    for (const BundleDiagnostic& d : diagnostics)
        if (d.level == BundleDiagnostic::Level::Error)
            problems << QString::fromStdString(bundleDiagnosticLine(d));
    if (!bundle || (!capabilitiesPath.isEmpty() && !caps) || hasErrors(diagnostics)) {
        if (error)
            *error = problems.isEmpty() ? tr("The bundle could not be read.") : problems.join(QLatin1Char('\n'));
        return false;
    }
    auto engine = std::make_shared<const PolicyEngine>(*bundle, caps ? &*caps : nullptr);
    const QString title = policyTitle(*engine);
    m_workbench.session().setPolicy(std::move(engine));
    m_lastScope.reset(); // a new bundle: nothing of the old one is re-run
    const std::size_t warnings = diagnostics.size();
    m_workbench.showMessage(warnings > 0 ? tr("Loaded %1 with %2").arg(title, counted(warnings, "warning", "warnings"))
                                         : tr("Loaded %1; Policy ▸ Re-evaluate to see what it would decide").arg(title),
                            8000);
    clearReevaluation();
    m_panel->showMessage(tr("%1 is loaded. Re-evaluate the current trace (Ctrl+R), the filtered traces "
                            "(Ctrl+Shift+R) or all traces.")
                             .arg(title));
    return true;
}

void PolicyController::clearReevaluation()
{
    Session& session = m_workbench.session();
    session.clearReevaluation();
    m_panel->showMessage(session.policy() ? tr("%1 is loaded; nothing re-evaluated yet.").arg(policyTitle(*session.policy()))
                                          : tr("Load a policy bundle (Policy ▸ Load Policy Bundle…) and re-evaluate "
                                               "traces to see what it would have decided."));
}

void PolicyController::reevaluate(Scope scope)
{
    reevaluate(scope, false);
}

void PolicyController::reevaluate(Scope scope, bool quiet)
{
    Session& session = m_workbench.session();
    const std::shared_ptr<const Workspace> ws = session.workspace();
    if (!ws)
        return;
    if (session.tasks().running(TaskKind::Load)) {
        if (!quiet)
            m_workbench.showMessage(tr("Wait for the files to load first."), 5000);
        return;
    }
    if (!session.policy() && quiet)
        return;
    if (!session.policy()) {
        loadDialog();
        if (!session.policy())
            return;
    }
    const TracePage& page = m_workbench.tracePage();
    std::vector<std::uint32_t> rows;
    QString scopeText;
    if (scope == Scope::Current) {
        if (page.currentRow() < 0) {
            if (!quiet)
                m_workbench.showMessage(tr("Select a trace first."), 5000);
            return;
        }
        rows.push_back(static_cast<std::uint32_t>(page.currentRow()));
        scopeText = traceTitle(*ws, static_cast<std::size_t>(page.currentRow()));
    } else if (scope == Scope::Filtered) {
        rows = page.shownRows();
        scopeText = tr("%1 (filtered)").arg(counted(rows.size(), "trace", "traces"));
    } else {
        rows.resize(ws->rows().size());
        std::iota(rows.begin(), rows.end(), 0u);
        scopeText = tr("All %1").arg(counted(rows.size(), "trace", "traces"));
    }
    if (!m_dock->isVisible() && !quiet)
        m_workbench.showDock(m_dock, 420);
    m_panel->showMessage(tr("Re-evaluating %1 under %2…").arg(scopeText, policyTitle(*session.policy())));
    m_scope = scopeText;
    m_runningScope = scope;
    m_quietRun = quiet;
    session.reevaluate(std::move(rows));
}

void PolicyController::restrictToRows(const QString& description, std::vector<std::uint32_t> rows)
{
    std::sort(rows.begin(), rows.end());
    const std::size_t count = rows.size();
    m_workbench.showInfo(tr("Showing the %1 behind %2").arg(counted(count, "trace", "traces"), description),
                         tr("Show All Traces"), [this] { clearRestriction(); });
    m_workbench.session().restrictTo(std::make_shared<const std::vector<std::uint32_t>>(std::move(rows)));
}

bool PolicyController::hasRestriction() const
{
    return m_workbench.session().restriction() != nullptr;
}

void PolicyController::clearRestriction()
{
    if (!hasRestriction())
        return;
    m_workbench.hideInfo();
    m_workbench.session().restrictTo(nullptr);
}

} // namespace rw
