#include "views/models/comparisonmodel.h"

#include "model/visibletext.h"
#include "views/models/rolevalues.h"

namespace rw {

namespace {

// the field a column shows, and its side
struct ColumnField
{
    CompareField field;
    int side;
};

std::optional<ColumnField> columnField(int column)
{
    switch (column) {
    case ComparisonModel::LeftDecisionColumn: return ColumnField{CompareField::Decision, 0};
    case ComparisonModel::LeftToolColumn: return ColumnField{CompareField::Tool, 0};
    case ComparisonModel::LeftRuleColumn: return ColumnField{CompareField::MatchedRule, 0};
    case ComparisonModel::LeftReasonColumn: return ColumnField{CompareField::Reason, 0};
    case ComparisonModel::RightDecisionColumn: return ColumnField{CompareField::Decision, 1};
    case ComparisonModel::RightToolColumn: return ColumnField{CompareField::Tool, 1};
    case ComparisonModel::RightRuleColumn: return ColumnField{CompareField::MatchedRule, 1};
    case ComparisonModel::RightReasonColumn: return ColumnField{CompareField::Reason, 1};
    default: return std::nullopt;
    }
}

QString planText(int plan) { return plan > 0 ? QString::number(plan) : QStringLiteral("–"); }

} // namespace

ComparisonModel::ComparisonModel(QObject* parent) : QAbstractTableModel(parent) { registerRoleValueTypes(); }

bool ComparisonModel::fieldHasColumn(CompareField field)
{
    return field == CompareField::Decision || field == CompareField::Tool || field == CompareField::MatchedRule ||
           field == CompareField::Reason;
}

void ComparisonModel::setComparison(TraceComparison comparison)
{
    beginResetModel();
    m_cmp = std::move(comparison);
    endResetModel();
}

int ComparisonModel::rowOfEvent(int side, std::int64_t event) const
{
    for (std::size_t i = 0; i < m_cmp.rows.size(); ++i)
        if ((side == 0 ? m_cmp.rows[i].left : m_cmp.rows[i].right) == event)
            return static_cast<int>(i);
    return -1;
}

int ComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_cmp.rows.size());
}

int ComparisonModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const CompareRow& r = compareRow(index.row());
    const int column = index.column();
    const auto cf = columnField(column);
    const bool present = cf && (cf->side == 0 ? r.left >= 0 : r.right >= 0);
    auto value = [&](const ColumnField& c) {
        const auto& values = c.side == 0 ? r.leftValues : r.rightValues;
        return visibleUtf8(values[static_cast<std::size_t>(c.field)]); // shown, so hidden characters escaped
    };
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        if (column == PlanColumn)
            return r.leftPlan == r.rightPlan || r.left < 0 || r.right < 0
                       ? planText(r.left >= 0 ? r.leftPlan : r.rightPlan)
                       : planText(r.leftPlan) + QStringLiteral(" ↔ ") + planText(r.rightPlan);
        if (column == StepColumn)
            return visibleUtf8(r.step);
        if (column == MarkerColumn) {
            switch (r.change) {
            case RowChange::Same: return QStringLiteral("=");
            case RowChange::Changed: return QStringLiteral("≠");
            case RowChange::Removed: return QStringLiteral("−");
            case RowChange::Added: return QStringLiteral("+");
            }
            return {};
        }
        if (column == OtherChangesColumn) {
            QStringList names;
            for (std::size_t f = 0; f < kCompareFieldCount; ++f)
                if (r.fieldChanged(static_cast<CompareField>(f)) && !fieldHasColumn(static_cast<CompareField>(f)))
                    names << QString::fromLatin1(compareFieldName(static_cast<CompareField>(f)));
            return names.join(QStringLiteral(", "));
        }
        if (cf && present)
            return value(*cf); // a decision's word is the text of its chip
        return {};
    case Qt::TextAlignmentRole:
        if (column == MarkerColumn || column == PlanColumn)
            return int(Qt::AlignCenter);
        return {};
    case ChangeRole:
        return static_cast<int>(r.change);
    case CellChangedRole:
        if (cf)
            return r.fieldChanged(cf->field);
        return column == OtherChangesColumn && r.change == RowChange::Changed &&
               !data(index, Qt::DisplayRole).toString().isEmpty();
    case DecisionRole:
        if (cf && cf->field == CompareField::Decision && present) {
            const auto& values = cf->side == 0 ? r.leftValues : r.rightValues;
            return QVariant::fromValue(decisionFromText(values[static_cast<std::size_t>(cf->field)]));
        }
        return {};
    case LeftEventRole:
        return static_cast<qlonglong>(r.left);
    case RightEventRole:
        return static_cast<qlonglong>(r.right);
    case SideRole:
        return cf ? cf->side : -1;
    default:
        return {};
    }
}

QVariant ComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        if (section == MarkerColumn)
            return QStringLiteral("= same, ≠ changed, − only on the left, + only on the right");
        const auto cf = columnField(section);
        return cf ? (cf->side == 0 ? QStringLiteral("Left side") : QStringLiteral("Right side")) : QVariant();
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PlanColumn: return QStringLiteral("Plan");
    case StepColumn: return QStringLiteral("Step");
    case LeftDecisionColumn: return QStringLiteral("◀ Decision");
    case RightDecisionColumn: return QStringLiteral("Decision ▶");
    case LeftToolColumn:
    case RightToolColumn: return QStringLiteral("Tool");
    case LeftRuleColumn:
    case RightRuleColumn: return QStringLiteral("Rule");
    case LeftReasonColumn:
    case RightReasonColumn: return QStringLiteral("Reason");
    case MarkerColumn: return QStringLiteral("Δ");
    case OtherChangesColumn: return QStringLiteral("Also changed");
    default: return {};
    }
}

} // namespace rw
