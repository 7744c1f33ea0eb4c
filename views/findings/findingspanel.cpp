#include "views/findings/findingspanel.h"

#include "app/text/plural.h"
#include "views/models/diagnosticsmodel.h"
#include "views/session/session.h"
#include "views/trace/tablesetup.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QWidget>
#include <QDockWidget>
#include <QTableView>
#include <QToolButton>

namespace rw {

FindingsPanel::FindingsPanel(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    QWidget* window = workbench.host();
    m_model = new DiagnosticsModel(this);
    m_view = makeTable(window, tr("Load findings"));
    m_view->setModel(m_model);
    m_view->setColumnWidth(DiagnosticsModel::FileColumn, 180);
    m_view->setColumnWidth(DiagnosticsModel::CodeColumn, 170);
    m_dock = new QDockWidget(tr("Findings"), window);
    m_dock->setObjectName(QStringLiteral("diagnostics"));
    m_dock->setWidget(m_view);
    workbench.addDock(m_dock, Qt::BottomDockWidgetArea);

    m_button = new QToolButton(window);
    m_button->setAutoRaise(true);
    m_button->setAccessibleName(tr("Show load findings"));
    m_button->hide();
    workbench.addStatusWidget(m_button);
    connect(m_button, &QToolButton::clicked, this, [this] { m_dock->setVisible(!m_dock->isVisible()); });

    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        std::size_t file = 0;
        const Diagnostic& d = m_model->diagnostic(index.row(), &file);
        const std::shared_ptr<const Workspace> ws = m_workbench.session().workspace();
        // show the raw record, whether or not it belongs to a trace
        if (d.record >= 0 && ws)
            m_workbench.tracePage().showRecord(&ws->file(file), d.record);
    });
    connect(&workbench.session(), &Session::workspaceChanged, this, [this](std::shared_ptr<const Workspace> ws) {
        m_model->setWorkspace(ws);
        const std::uint64_t findings = ws->totalDiagnostics();
        m_button->setText(counted(findings, "finding", "findings") + (findings ? QStringLiteral(" ⚠") : QString()));
        m_button->show();
    });
}

} // namespace rw
