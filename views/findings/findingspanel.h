#pragma once

#include <QObject>

class QDockWidget;
class QTableView;
class QToolButton;

namespace rw {

class DiagnosticsModel;
class Workbench;

// The load findings (unreadable lines, limits, changed files, ...) as a dock,
// and the status-bar button that counts them and toggles it (Wireshark's
// expert-info indicator). Double-clicking a finding shows its raw record.
class FindingsPanel : public QObject
{
    Q_OBJECT
public:
    explicit FindingsPanel(Workbench& workbench);

    QDockWidget* dock() const { return m_dock; }
    QTableView* table() const { return m_view; }

private:
    Workbench& m_workbench;
    DiagnosticsModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QDockWidget* m_dock = nullptr;
    QToolButton* m_button = nullptr;
};

} // namespace rw
