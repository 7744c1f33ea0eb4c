#pragma once

#include "replay/policy/workspacereevaluation.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace rw {

// The summary of a re-evaluation across many traces: flips by kind, by rule,
// by agent and by tool, each count clickable to filter the trace list to the
// traces behind it, and the decision points that could not be replayed
// (click one to open it).
class ReevaluationPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ReevaluationPanel(QWidget* parent = nullptr);

    void setResult(std::shared_ptr<const Workspace> ws, std::shared_ptr<const WorkspaceReevaluation> result,
                   const QString& bundle, const QString& scope);
    void showMessage(const QString& text);
    QTreeWidget* tree() const { return m_tree; }
    QSize sizeHint() const override { return {420, 600}; }
    QString headerText() const;
    // the item of a section ("flips", "rules", "agents", "tools", "not-replayable") and key, for tests
    QTreeWidgetItem* findItem(const QString& section, const QString& key) const;

Q_SIGNALS:
    // the user asked for the traces behind a count
    void rowsRequested(const QString& description, const std::vector<std::uint32_t>& rows);
    void pointRequested(std::uint32_t row, std::uint32_t event);

private:
    void activate(QTreeWidgetItem* item);

    std::shared_ptr<const Workspace> m_ws;
    std::shared_ptr<const WorkspaceReevaluation> m_result;
    QLabel* m_header = nullptr;
    QTreeWidget* m_tree = nullptr;
};

} // namespace rw
