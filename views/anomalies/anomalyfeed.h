#pragma once

#include "replay/analysis/anomalyquery.h"

#include <QObject>
#include <QString>

#include <memory>

class QDockWidget;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTimer;
class QToolButton;
class QTreeView;

namespace rw {

class AnomalyFeedModel;
class Workbench;

// The anomaly feed (issue 15), as a dock like Wireshark's Expert
// Information: every anomaly the session's analysis found in the open files,
// grouped by severity and detector with counts, filtered by the anomaly
// query (anomalyquery.h) as it is typed, and a status-bar button that counts
// them and toggles the dock. Activating an anomaly (double-click, Enter)
// shows its step in the trace list, the timeline, the graph and the drawer,
// where an Anomaly tab words it (rule, witnesses, baseline, context) and the
// raw line marks its witness value.
class AnomalyFeed : public QObject
{
    Q_OBJECT
public:
    explicit AnomalyFeed(Workbench& workbench);

    QDockWidget* dock() const { return m_dock; }
    QTreeView* view() const { return m_view; }
    QLineEdit* queryEdit() const { return m_query; }
    QPlainTextEdit* detail() const { return m_detail; } // the drawer's Anomaly tab
    AnomalyFeedModel* model() const { return m_model; }
    // Applies a query now; false (and its error shown) when it does not parse.
    bool setQuery(const QString& query);
    // Shows anomaly `position` (of the analysis's list) everywhere.
    void open(std::uint32_t position);

Q_SIGNALS:
    // the feed shows a new analysis or filter (tests and screenshots wait for it)
    void shown();

private:
    void regroup();
    void updateButton();

    Workbench& m_workbench;
    AnomalyFeedModel* m_model = nullptr;
    QTreeView* m_view = nullptr;
    QLineEdit* m_query = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_error = nullptr;
    QDockWidget* m_dock = nullptr;
    QToolButton* m_button = nullptr;
    QTimer* m_typing = nullptr;
    QPlainTextEdit* m_detail = nullptr;
    analysis::AnomalyQuery m_applied;
    bool m_analysing = false;
};

} // namespace rw
