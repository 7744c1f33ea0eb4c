#pragma once

// The anomaly feed (Wireshark's Expert Information): groups of one severity
// and detector, most severe first, each with its count, and under each its
// anomalies. It receives the analysis and the groups a filter made
// (anomalyquery.h) inside a reset and never parses; the words of a row are
// made when a view asks for them, so 100,000 anomalies cost their indexes.
#include "replay/analysis/anomalyquery.h"
#include "views/models/rolevalues.h"

#include <QAbstractItemModel>
#include <QMetaType>

#include <memory>

namespace rw {

class AnomalyFeedModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Columns { SummaryColumn, SeverityColumn, AgentColumn, RunColumn, StepColumn, TimeColumn, ScoreColumn, ColumnCount };
    enum Roles {
        SeverityRole = Qt::UserRole, // analysis::Severity
        DetectorRole,                // analysis::Detector
        AnomalyRole,                 // qint64: the position in WorkspaceAnalysis::anomalies, -1 on a group
        CountRole,                   // int: a group's members (1 on an anomaly)
    };

    explicit AnomalyFeedModel(QObject* parent = nullptr);

    void setResult(std::shared_ptr<const analysis::WorkspaceAnalysis> analysis, std::shared_ptr<const Workspace> ws,
                   std::vector<analysis::AnomalyGroup> groups);
    std::shared_ptr<const analysis::WorkspaceAnalysis> analysis() const { return m_analysis; }
    std::size_t shown() const { return m_shown; } // anomalies in the groups
    // the row of anomaly `position` (of WorkspaceAnalysis::anomalies), invalid when filtered out
    QModelIndex indexOfAnomaly(std::uint32_t position) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    QVariant groupData(const analysis::AnomalyGroup& group, int column, int role) const;
    QVariant anomalyData(std::uint32_t position, int column, int role) const;
    void sortMembers();

    std::shared_ptr<const analysis::WorkspaceAnalysis> m_analysis;
    std::shared_ptr<const Workspace> m_ws;
    std::vector<analysis::AnomalyGroup> m_groups;
    std::size_t m_shown = 0;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace rw
