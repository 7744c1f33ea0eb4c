#pragma once

#include "model/replaymodel.h"
#include "replay/compare/graphdiff.h"
#include "replay/graph/executiongraph.h"
#include "replay/graph/graphlayout.h"

#include <QGraphicsView>

#include <vector>

class QGraphicsPathItem;
class QGraphicsScene;

namespace rw {

// The execution graph of a trace, drawn from Graphviz's coordinates and
// spline control points: node shapes and colours by kind and decision (the
// timeline's palette), paths from untrusted sources in vermillion, zoom
// (wheel), pan (drag), fit (double-click on empty space or 0). Clicking a
// node selects its first event; selecting an event elsewhere highlights the
// nodes that hold it.
class GraphView : public QGraphicsView
{
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);

    void setGraph(const ReplayModel* model, ExecutionGraph graph, const GraphLayout& layout);
    // An overlay of two graphs: added, removed and changed nodes and edges
    // drawn in their own colours and line styles, "was ..." under changed nodes.
    void setGraphDiff(const ReplayModel* model, GraphDiff diff, const GraphLayout& layout);
    // per node: what it shows beyond kind and decision (tests, legends)
    DiffMark nodeMark(int i) const;
    void showMessage(const QString& text);
    void setSelectedEvent(std::int64_t eventIndex);
    const ExecutionGraph& graph() const { return m_graph; }
    int nodeCount() const { return static_cast<int>(m_nodes.size()); }
    // what was folded to keep the graph small, as shown above it ("" when nothing)
    QString foldNote() const { return m_foldNote; }
    // scene position of node i (tests click it)
    QPointF nodeCenter(int i) const;

public Q_SLOTS:
    void fit();

Q_SIGNALS:
    void eventSelected(std::uint32_t eventIndex);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void drawGraph(const ReplayModel* model, ExecutionGraph graph, const GraphLayout& layout);

    QGraphicsScene* m_scene = nullptr;
    const ReplayModel* m_model = nullptr;
    ExecutionGraph m_graph;
    std::vector<QGraphicsPathItem*> m_nodes;
    std::vector<QPen> m_basePens; // the pen a node returns to when it is not selected
    std::vector<DiffMark> m_nodeMarks, m_edgeMarks; // empty unless an overlay is shown
    std::vector<std::string> m_was;
    bool m_fitted = true;
    QString m_foldNote;
};

} // namespace rw
