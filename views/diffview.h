#pragma once

#include "model/workspace.h"
#include "replay/compare/graphdiff.h"
#include "replay/compare/tracecompare.h"
#include "replay/graph/graphlayout.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace rw {

class ComparisonModel;
class GraphView;
class JsonDiffView;

// Everything one comparison shows, computed off the GUI thread.
struct ComparisonData
{
    std::shared_ptr<const Workspace> ws; // keeps the sides' models alive
    CompareSide left, right;
    QString leftTitle, rightTitle;
    QString leftName = QStringLiteral("left"), rightName = QStringLiteral("right"); // in legends: "only as recorded"
    TraceComparison comparison;
    GraphDiff graph;
    std::optional<GraphLayout> layout;
    QString layoutError;
};

// The side-by-side diff: two synchronized columns aligned by plan and step
// with change markers and changed fields tinted; below, the raw JSON of both
// sides with the JSON-level diff; a second tab overlays the two execution graphs.
class DiffView : public QWidget
{
    Q_OBJECT
public:
    explicit DiffView(QWidget* parent = nullptr);

    void setData(std::shared_ptr<const ComparisonData> comparison);
    void showMessage(const QString& text);
    bool hasData() const { return m_data != nullptr; }

    QTableView* table() const { return m_table; }
    ComparisonModel* model() const { return m_model; }
    JsonDiffView* jsonDiff() const { return m_json; }
    GraphView* graphOverlay() const { return m_graph; }
    QTabWidget* tabs() const { return m_tabs; }
    QCheckBox* onlyDifferences() const { return m_onlyDiff; }
    QString summaryText() const;

private:
    void showRow(int sourceRow);

    std::shared_ptr<const ComparisonData> m_data;
    QLabel* m_title = nullptr;
    QLabel* m_summary = nullptr;
    QCheckBox* m_onlyDiff = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTableView* m_table = nullptr;
    ComparisonModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    JsonDiffView* m_json = nullptr;
    GraphView* m_graph = nullptr;
    QLabel* m_legend = nullptr;
};

} // namespace rw
