#pragma once

#include "model/taskrunner.h"
#include "model/workspace.h"

#include <QObject>

#include <cstdint>
#include <memory>

class QWidget;

namespace rw {

class GraphView;
class Workbench;

// The decision tree of the selected trace as a tab beside the timeline and
// the execution graph (issue 15, reference §3.6): the branches the agent
// considered and the one it took (replay/graph/decisiontree.h), laid out by
// Graphviz in the helper process, in a task of its own kind (the latest
// trace wins, a stale layout is killed), only while the tab is looked at; a
// layout cancelled from the status bar is tried again when the tab is shown
// again. A caption says what the line styles mean. Clicking a node selects its
// step everywhere; selecting an event elsewhere highlights its node.
class DecisionTreeTab : public QObject
{
    Q_OBJECT
public:
    explicit DecisionTreeTab(Workbench& workbench);

    QWidget* page() const { return m_page; }
    GraphView* view() const { return m_view; }

Q_SIGNALS:
    void laidOut(); // a tree is drawn (tests, screenshots)

private:
    void onTraceShown(std::int64_t row);
    void layOut();

    Workbench& m_workbench;
    QWidget* m_page = nullptr;
    GraphView* m_view = nullptr;
    std::shared_ptr<const Workspace> m_ws; // what the drawn tree's model belongs to
    std::int64_t m_row = -1;               // the trace shown below the list
    bool m_drawn = false;                  // the tree of m_row is drawn (or being laid out)
    TaskId m_task = 0;                     // the layout under way
};

} // namespace rw
