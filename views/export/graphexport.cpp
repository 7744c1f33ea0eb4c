#include "views/export/graphexport.h"

#include "app/text/graphfoldtext.h"
#include "app/text/layouttext.h"
#include "app/text/outputtext.h"
#include "model/outputfile.h"
#include "model/workspace.h"
#include "replay/graph/graphpipeline.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>

namespace rw {

namespace {

// The same bytes `aisecops-replay --graph FORMAT` writes, so a figure in a
// report can be regenerated from the command line.
struct Exported
{
    QString error;
    QString note;
};

Exported writeGraph(const ReplayModel& model, std::size_t trace, const OutputTarget& target, const std::string& format)
{
    Exported out;
    const RenderedGraph rendered = renderTraceGraph(model, trace, format);
    if (rendered.run.error != LayoutError::None) {
        out.error = QString::fromStdString(layoutErrorText(rendered.run, Reader::Window));
        return out;
    }
    // a temporary file renamed at the end: an interrupted export never leaves half a file under the chosen name
    if (const OutputFailure failure = writeOutputFile(target, rendered.bytes); failure.error != OutputError::None) {
        out.error = QString::fromStdString(outputFailureText(target.requested, failure));
        return out;
    }
    out.note = graphFoldText(rendered.graph);
    return out;
}

std::string formatForSuffix(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("dot") || suffix == QLatin1String("gv"))
        return "dot";
    if (suffix == QLatin1String("svg"))
        return "svg";
    if (suffix == QLatin1String("png"))
        return "png";
    return {};
}

// trace ids come from the audit file: never let one pick a directory or a hidden name
QString suggestedName(std::string_view traceId)
{
    QString name;
    for (const char c : traceId.substr(0, 80)) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                       || (c == '.' && !name.isEmpty());
        name += safe ? QLatin1Char(c) : QLatin1Char('_');
    }
    return name.isEmpty() ? QStringLiteral("graph") : name;
}

} // namespace

GraphExport::GraphExport(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    workbench.menu(Workbench::Menu::File)
        ->addAction(tr("Export Execution &Graph…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &GraphExport::exportDialog);
}

void GraphExport::exportGraph(const QString& path)
{
    const std::shared_ptr<const Workspace> ws = m_workbench.tracePage().workspace();
    const std::int64_t current = m_workbench.tracePage().currentRow();
    if (!ws || current < 0) {
        Q_EMIT graphExported(path, tr("Select a trace first."));
        return;
    }
    const std::string format = formatForSuffix(path);
    if (format.empty()) {
        Q_EMIT graphExported(path, tr("Unknown graph format '%1': use .svg, .png or .dot.").arg(QFileInfo(path).suffix()));
        return;
    }
    // never over an open audit file, a directory or a device: refused before the layout runs
    OutputRules rules;
    for (std::size_t f = 0; f < ws->fileCount(); ++f)
        rules.inputs.push_back(ws->file(f).path());
    const OutputTarget target = chooseOutputFile(QFile::encodeName(path).toStdString(), std::move(rules));
    if (!target.ok()) {
        const QString why = QString::fromStdString(outputFailureText(target.requested, target.failure));
        m_workbench.showInfo(tr("The execution graph was not exported: %1").arg(why));
        Q_EMIT graphExported(path, why);
        return;
    }
    const TraceRow row = ws->row(static_cast<std::size_t>(current));
    const ReplayModel* model = &ws->fileOf(row);
    m_workbench.showMessage(tr("Exporting the execution graph…"));
    m_workbench.session().tasks().start<Exported>(
        TaskKind::Export, tr("Exporting the graph"),
        [ws, model, row, target, format](const CancelToken&, TaskProgress&) { return writeGraph(*model, row.trace, target, format); },
        [this, path](Exported result) {
            m_workbench.showMessage({});
            if (!result.error.isEmpty()) {
                m_workbench.showInfo(tr("The execution graph was not exported: %1").arg(result.error));
            } else {
                QString text = tr("Execution graph written to %1").arg(QFileInfo(path).fileName());
                if (!result.note.isEmpty())
                    text += QStringLiteral(" (") + result.note + QLatin1Char(')');
                m_workbench.showMessage(text, 5000);
            }
            Q_EMIT graphExported(path, result.error);
        });
}

void GraphExport::exportDialog()
{
    const std::shared_ptr<const Workspace> ws = m_workbench.tracePage().workspace();
    const std::int64_t current = m_workbench.tracePage().currentRow();
    if (!ws || current < 0) {
        m_workbench.showInfo(tr("Select a trace to export its execution graph."));
        return;
    }
    const TraceRow& row = ws->row(static_cast<std::size_t>(current));
    const QString traceId = suggestedName(ws->str(row, row.traceId));
    QString selected;
    QString path = QFileDialog::getSaveFileName(m_workbench.host(), tr("Export execution graph"), traceId + QStringLiteral(".svg"),
                                                tr("SVG image (*.svg);;PNG image (*.png);;Graphviz DOT (*.dot *.gv)"), &selected);
    if (path.isEmpty())
        return;
    if (formatForSuffix(path).empty())
        path += selected.startsWith(QLatin1String("PNG")) ? QStringLiteral(".png")
              : selected.startsWith(QLatin1String("Graphviz")) ? QStringLiteral(".dot")
                                                                : QStringLiteral(".svg");
    exportGraph(path);
}

} // namespace rw
