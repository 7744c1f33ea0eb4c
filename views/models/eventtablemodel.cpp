#include "views/models/eventtablemodel.h"

#include "model/visibletext.h"
#include "views/models/rolevalues.h"
#include "views/models/tracelistmodel.h"

#include <algorithm>

namespace rw {

EventTableModel::EventTableModel(QObject* parent) : QAbstractTableModel(parent) { registerRoleValueTypes(); }

void EventTableModel::setTrace(const ReplayModel* model, std::vector<std::uint32_t> events)
{
    beginResetModel();
    m_model = model;
    m_events = std::move(events);
    m_t0 = kNoTime;
    if (m_model)
        for (const std::uint32_t e : m_events)
            if (const std::int64_t t = m_model->event(e).timeUs; t != kNoTime)
                m_t0 = m_t0 == kNoTime ? t : std::min(m_t0, t);
    endResetModel();
}

int EventTableModel::rowOfEvent(std::uint32_t eventIndex) const
{
    const auto it = std::find(m_events.begin(), m_events.end(), eventIndex);
    return it == m_events.end() ? -1 : static_cast<int>(it - m_events.begin());
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_model || index.row() >= rowCount())
        return {};
    const std::uint32_t ei = m_events[static_cast<std::size_t>(index.row())];
    const EventRecord& e = m_model->event(ei);
    // displayed text shows hidden characters escaped; data roles stay exact
    auto v = [&](Field f) { return e.s(f) == kNoStr ? QString() : visibleUtf8(m_model->str(e, f)); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IndexColumn:
            // a run's steps by their own step_index, as the timeline, the graph and the tree
            // name them ("step 3"); other records by their place in the trace, from 1
            if (const RunStep* step = e.has(EventFlag::RunStep) ? m_model->runStep(ei) : nullptr)
                return static_cast<qlonglong>(step->stepIndex);
            return index.row() + 1;
        case LineColumn:
            // a record with findings says so where the eye lands first
            return e.has(EventFlag::HasWarnings) ? QStringLiteral("%1 ⚠").arg(e.line) : QString::number(e.line);
        case TimeColumn: {
            // the date is in the trace list; the time of day is what differs here
            const QString ts = v(Field::Timestamp);
            return e.timeUs != kNoTime && ts.size() > 11 && ts.at(10) == QLatin1Char('T') ? ts.mid(11) : ts;
        }
        case RelativeColumn:
            return e.timeUs == kNoTime || m_t0 == kNoTime ? QString()
                                                          : QStringLiteral("+") + formatDurationUs(e.timeUs - m_t0);
        case TypeColumn: return v(Field::EventType);
        case StageColumn: return v(Field::DecisionStage);
        case DecisionColumn: return v(Field::Decision);
        case RiskColumn: return v(Field::RiskLevel);
        case ToolColumn: return v(Field::ToolName);
        case ProvenanceColumn: {
            QStringList parts;
            for (const ProvenanceItem& p : m_model->provenance(e))
                parts << visibleUtf8(m_model->str(p.sourceType)) + QLatin1Char(':') + visibleUtf8(m_model->str(p.trustLevel));
            return parts.join(QStringLiteral(", "));
        }
        case ReasonColumn: return v(Field::Reason);
        default: break;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ReasonColumn)
            return v(Field::Reason);
        if (index.column() == TimeColumn)
            return v(Field::Timestamp);
        if (index.column() == LineColumn)
            return e.has(EventFlag::HasWarnings)
                       ? tr("Line %1, byte offset %2 — this record has findings (see the findings panel)").arg(e.line).arg(e.offset)
                       : tr("Line %1, byte offset %2").arg(e.line).arg(e.offset);
        break;
    case EventIndexRole: return ei;
    case DecisionRole: return QVariant::fromValue(e.decision);
    case RiskRole: return QVariant::fromValue(e.risk);
    case TimeRole: return e.timeUs == kNoTime ? QVariant() : QVariant(static_cast<qlonglong>(e.timeUs));
    case ProvenanceRole: return QVariant::fromValue(eventProvenance(*m_model, e));
    default: break;
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IndexColumn:
        return m_model && !m_events.empty() && m_model->event(m_events.front()).has(EventFlag::RunStep) ? tr("Step") : tr("#");
    case LineColumn: return tr("Line");
    case TimeColumn: return tr("Timestamp");
    case RelativeColumn: return tr("Relative");
    case TypeColumn: return tr("Event");
    case StageColumn: return tr("Stage");
    case DecisionColumn: return tr("Decision");
    case RiskColumn: return tr("Risk");
    case ToolColumn: return tr("Tool");
    case ProvenanceColumn: return tr("Provenance");
    case ReasonColumn: return tr("Reason");
    default: break;
    }
    return {};
}

} // namespace rw
