#pragma once

#include "replay/compare/tracecompare.h"

#include <QAbstractTableModel>

namespace rw {

// The rows of a trace comparison: left columns, a change marker, right
// columns. Receives a finished TraceComparison inside a reset; never parses.
class ComparisonModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        PlanColumn,
        StepColumn,
        LeftDecisionColumn,
        LeftToolColumn,
        LeftRuleColumn,
        LeftReasonColumn,
        MarkerColumn,
        RightDecisionColumn,
        RightToolColumn,
        RightRuleColumn,
        RightReasonColumn,
        OtherChangesColumn, // changed fields without a column of their own
        ColumnCount
    };
    enum Roles {
        ChangeRole = Qt::UserRole, // RowChange as int
        CellChangedRole,           // bool: this cell's field differs between the sides
        DecisionRole,              // Decision of the side of a decision column (its word: DisplayRole)
        LeftEventRole,             // event index or -1 (qlonglong)
        RightEventRole,
        SideRole,                  // 0 left column, 1 right column, -1 neither
    };

    explicit ComparisonModel(QObject* parent = nullptr);

    void setComparison(TraceComparison comparison);
    const TraceComparison& comparison() const { return m_cmp; }
    const CompareRow& compareRow(int row) const { return m_cmp.rows[static_cast<std::size_t>(row)]; }
    // first row showing this event on the given side (0 left, 1 right), or -1
    int rowOfEvent(int side, std::int64_t event) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static bool fieldHasColumn(CompareField field);

private:
    TraceComparison m_cmp;
};

} // namespace rw
