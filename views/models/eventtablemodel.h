#pragma once

#include "model/replaymodel.h"

#include <QAbstractTableModel>

#include <vector>

namespace rw {

// The events of one trace, in file order. Rows are event indexes of the file;
// text is made on demand.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        IndexColumn,
        LineColumn,
        TimeColumn,
        RelativeColumn,
        TypeColumn,
        StageColumn,
        DecisionColumn,
        RiskColumn,
        ToolColumn,
        ReasonColumn,
        ProvenanceColumn,
        ColumnCount
    };
    enum Roles {
        EventIndexRole = Qt::UserRole, // index into ReplayModel::event()
        DecisionRole,   // Decision (its word: DisplayRole)
        RiskRole,       // Risk (its word: DisplayRole)
        ProvenanceRole, // ProvenanceBadges
        TimeRole,       // epoch microseconds (qlonglong), or null
    };

    explicit EventTableModel(QObject* parent = nullptr);

    void setTrace(const ReplayModel* model, std::vector<std::uint32_t> events);
    const ReplayModel* replayModel() const { return m_model; }
    std::uint32_t eventIndex(int row) const { return m_events[static_cast<std::size_t>(row)]; }
    int rowOfEvent(std::uint32_t eventIndex) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    const ReplayModel* m_model = nullptr;
    std::vector<std::uint32_t> m_events;
    std::int64_t m_t0 = kNoTime;
};

} // namespace rw
