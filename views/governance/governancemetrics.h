#pragma once

// The Governance Metrics feature: View > Governance Metrics opens the window
// (GovernanceWindow); the metrics of every loaded file are counted in a task
// (the analysis with its default rules, for incidents and anomalies), again
// when the files change while the window is open; a point clicked sets the
// filter bar to the traces behind it; exports go through the output chooser
// (never over an open file).
#include <QObject>
#include <QString>

#include <memory>

namespace rw {

class GovernanceWindow;
class Workbench;
class Workspace;

class GovernanceMetrics : public QObject
{
    Q_OBJECT
public:
    explicit GovernanceMetrics(Workbench& workbench);

    GovernanceWindow* window(); // made on first use
    void show();
    // writes `format` (png, svg, csv) to path; the error in words, or empty
    QString exportTo(const QString& path, const QString& format);

Q_SIGNALS:
    void counted(); // the window shows the counts of the current files

private:
    void recount();
    void exportDialog(const QString& format);

    Workbench& m_workbench;
    GovernanceWindow* m_window = nullptr;
    std::shared_ptr<const Workspace> m_counted; // the workspace the window's counts are of
};

} // namespace rw
