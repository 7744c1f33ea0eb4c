// Exporting what the main window shows: the selected trace's execution graph.
#include "mainwindow.h"

#include "executiongraph.h"
#include "graphdot.h"
#include "graphfoldtext.h"
#include "graphlayout.h"
#include "workspace.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>
#include <QStatusBar>

namespace rw {

namespace {

// The same bytes `aisecops-replay --graph FORMAT` writes, so a figure in a
// report can be regenerated from the command line.
struct Exported
{
    QString error;
    QString note;
};

Exported writeGraph(const ReplayModel& model, std::size_t trace, const QString& path, const std::string& format)
{
    Exported out;
    const ExecutionGraph graph = buildExecutionGraph(model, trace);
    std::string bytes = toDot(graph);
    if (format != "dot") {
        const LayoutRun run = runLayoutHelper(bytes, format, 20000);
        if (run.error != LayoutError::None) {
            out.error = QString::fromStdString(run.message);
            return out;
        }
        bytes = run.output;
    }
    // QSaveFile: an interrupted export never leaves half a file under the chosen name
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes.data(), static_cast<qint64>(bytes.size())) != qint64(bytes.size())
        || !file.commit()) {
        out.error = file.errorString();
        return out;
    }
    out.note = graphFoldText(graph);
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

void MainWindow::exportGraph(const QString& path)
{
    if (!m_ws || m_currentRow < 0) {
        Q_EMIT graphExported(path, tr("Select a trace first."));
        return;
    }
    const std::string format = formatForSuffix(path);
    if (format.empty()) {
        Q_EMIT graphExported(path, tr("Unknown graph format '%1': use .svg, .png or .dot.").arg(QFileInfo(path).suffix()));
        return;
    }
    const std::shared_ptr<const Workspace> ws = m_ws;
    const TraceRow row = m_ws->row(static_cast<std::size_t>(m_currentRow));
    const ReplayModel* model = &ws->fileOf(row);
    statusBar()->showMessage(tr("Exporting the execution graph…"));
    m_exportJob.run<Exported>([ws, model, row, path, format](const JobTracker::IsStale&) {
        return writeGraph(*model, row.trace, path, format);
    },
                              [this, path](Exported result) {
                                  statusBar()->clearMessage();
                                  if (!result.error.isEmpty()) {
                                      showInfo(tr("The execution graph was not exported: %1").arg(result.error));
                                  } else {
                                      QString text = tr("Execution graph written to %1").arg(QFileInfo(path).fileName());
                                      if (!result.note.isEmpty())
                                          text += QStringLiteral(" (") + result.note + QLatin1Char(')');
                                      statusBar()->showMessage(text, 5000);
                                  }
                                  Q_EMIT graphExported(path, result.error);
                              });
}

void MainWindow::exportGraphDialog()
{
    if (!m_ws || m_currentRow < 0) {
        showInfo(tr("Select a trace to export its execution graph."));
        return;
    }
    const TraceRow& row = m_ws->row(static_cast<std::size_t>(m_currentRow));
    const QString traceId = suggestedName(m_ws->str(row, row.traceId));
    QString selected;
    QString path = QFileDialog::getSaveFileName(this, tr("Export execution graph"), traceId + QStringLiteral(".svg"),
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
