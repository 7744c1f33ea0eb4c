#pragma once

#include "model/rowanomalies.h"
#include "model/workspace.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace rw {

// The trace list: one row per trace of the workspace, or of the rows a filter
// kept. A virtual model: rows are indexes into the workspace, display text is
// made on demand, so 100k traces cost 4 bytes a row here.
class TraceListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        TraceIdColumn,
        AgentColumn,
        TenantColumn,
        FirstSeenColumn,
        DurationColumn,
        EventsColumn,
        ToolColumn,
        DecisionColumn,
        AnomaliesColumn, // what the run-trace analysis found (setAnomalies)
        GovernanceColumn,
        TrustColumn,
        BudgetColumn,
        DiagnosticsColumn,
        FileColumn,
        ColumnCount
    };
    enum Roles {
        SortRole = Qt::UserRole,
        WorkspaceRowRole, // index into Workspace::rows()
        TraceIdRole,
        DecisionRole,     // Decision: the final decision (its word: DisplayRole)
        GovernanceRole,   // Governance
        TrustRole,        // Trust: the worst of the provenance items
        AgentIdRole,
        AgentRole,        // AgentIdentity, for the identity badge
        AnomalySeverityRole, // analysis::Severity: the worst anomaly of the trace (none: invalid)
    };

    explicit TraceListModel(QObject* parent = nullptr);

    // Takes finished results: the workspace and the rows to show (all when
    // `rows` is empty and `all` is true). Resets the model.
    void setWorkspace(std::shared_ptr<const Workspace> ws);
    // a new workspace shown through these rows at once (a load that applied the filter)
    void setWorkspace(std::shared_ptr<const Workspace> ws, std::vector<std::uint32_t> visibleRows);
    void setVisibleRows(std::vector<std::uint32_t> rows);
    // The analysis of each workspace row (Session::analysed), or none; a new workspace drops it.
    void setAnomalies(std::vector<RowAnomalies> anomalies);
    const Workspace* workspace() const { return m_ws.get(); }
    std::size_t workspaceRow(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    int rowOfWorkspaceRow(std::size_t wsRow) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

private:
    QVariant sortKey(const TraceRow& r, int column) const;
    void applySort();

    std::shared_ptr<const Workspace> m_ws;
    std::vector<std::uint32_t> m_rows;
    std::vector<RowAnomalies> m_anomalies; // by workspace row; empty: not analysed
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

QString formatDurationUs(std::int64_t us);
QString formatTimeUs(std::int64_t us); // UTC, milliseconds

} // namespace rw
