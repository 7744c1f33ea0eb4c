#pragma once

#include <QObject>
#include <QString>

namespace rw {

class Workbench;

// File ▸ Export Execution Graph: the selected trace's graph as SVG, PNG or
// DOT, written off the GUI thread through the output-file guard (never over
// an open audit file).
class GraphExport : public QObject
{
    Q_OBJECT
public:
    explicit GraphExport(Workbench& workbench);

    // The format follows the suffix (.dot/.gv, .svg, .png); graphExported()
    // reports the outcome.
    void exportGraph(const QString& path);

Q_SIGNALS:
    void graphExported(const QString& path, const QString& error);

private:
    void exportDialog();

    Workbench& m_workbench;
};

} // namespace rw
