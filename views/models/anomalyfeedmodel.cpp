#include "views/models/anomalyfeedmodel.h"

#include "app/text/anomalytext.h"
#include "model/visibletext.h"
#include "views/models/rolevalues.h"
#include "views/models/tracelistmodel.h"

#include <algorithm>
#include <tuple>

namespace rw {

using namespace analysis;

namespace {
constexpr quintptr kGroup = 0; // internal id of a group row
// An anomaly row's internal id: its group + 1, in the high bits. Qt hashes a model index as
// (row << 4) + column + internal id, and the tree view keeps its rows in such hashes: small ids
// (group + 1) made the rows of group g and g + 16 collide in chains, and expanding 100,000 rows
// of 21 groups took 1.8 s instead of 25 ms.
constexpr int kIdShift = sizeof(quintptr) >= 8 ? 40 : 24;
quintptr childId(std::size_t group)
{
    return static_cast<quintptr>(group + 1) << kIdShift;
}
std::size_t groupOf(quintptr id)
{
    return static_cast<std::size_t>(id >> kIdShift) - 1;
}
} // namespace

AnomalyFeedModel::AnomalyFeedModel(QObject* parent) : QAbstractItemModel(parent)
{
    registerRoleValueTypes();
}

void AnomalyFeedModel::setResult(std::shared_ptr<const WorkspaceAnalysis> analysis, std::shared_ptr<const Workspace> ws,
                                 std::vector<AnomalyGroup> groups)
{
    beginResetModel();
    m_analysis = std::move(analysis);
    m_ws = std::move(ws);
    m_groups = m_analysis ? std::move(groups) : std::vector<AnomalyGroup>();
    m_shown = 0;
    for (const AnomalyGroup& g : m_groups)
        m_shown += g.members.size();
    sortMembers();
    endResetModel();
}

QModelIndex AnomalyFeedModel::indexOfAnomaly(std::uint32_t position) const
{
    for (std::size_t g = 0; g < m_groups.size(); ++g) {
        const std::vector<std::uint32_t>& m = m_groups[g].members;
        const auto it = std::find(m.begin(), m.end(), position);
        if (it != m.end())
            return createIndex(static_cast<int>(it - m.begin()), 0, childId(g));
    }
    return {};
}

QModelIndex AnomalyFeedModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < static_cast<int>(m_groups.size()) ? createIndex(row, column, kGroup) : QModelIndex();
    if (parent.internalId() != kGroup || parent.row() >= static_cast<int>(m_groups.size()))
        return {};
    const std::size_t g = static_cast<std::size_t>(parent.row());
    return row < static_cast<int>(m_groups[g].members.size()) ? createIndex(row, column, childId(g))
                                                              : QModelIndex();
}

QModelIndex AnomalyFeedModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kGroup)
        return {};
    return createIndex(static_cast<int>(groupOf(child.internalId())), 0, kGroup);
}

int AnomalyFeedModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_groups.size());
    if (parent.internalId() != kGroup || parent.column() != 0)
        return 0;
    return static_cast<int>(m_groups[static_cast<std::size_t>(parent.row())].members.size());
}

int AnomalyFeedModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant AnomalyFeedModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_analysis)
        return {};
    if (index.internalId() == kGroup)
        return groupData(m_groups[static_cast<std::size_t>(index.row())], index.column(), role);
    const AnomalyGroup& g = m_groups[groupOf(index.internalId())];
    return anomalyData(g.members[static_cast<std::size_t>(index.row())], index.column(), role);
}

QVariant AnomalyFeedModel::groupData(const AnomalyGroup& group, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SummaryColumn:
            return QStringLiteral("%1 (%2)").arg(anomalyCategory(group.detector)).arg(group.members.size());
        case SeverityColumn: return severityLabel(group.severity);
        case ScoreColumn: {
            // the group's highest, so that groups compare at a glance
            int top = 0;
            for (const std::uint32_t m : group.members)
                top = std::max(top, m_analysis->anomaly(m_analysis->anomalies[m]).score);
            return top;
        }
        default: return {};
        }
    case Qt::TextAlignmentRole:
        return column == ScoreColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case SeverityRole: return QVariant::fromValue(group.severity);
    case DetectorRole: return QVariant::fromValue(group.detector);
    case AnomalyRole: return qint64(-1);
    case CountRole: return static_cast<int>(group.members.size());
    default: return {};
    }
}

QVariant AnomalyFeedModel::anomalyData(std::uint32_t position, int column, int role) const
{
    const AnomalyRef& ref = m_analysis->anomalies[position];
    const Anomaly& a = m_analysis->anomaly(ref);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SummaryColumn: return anomalyMessage(a);
        case SeverityColumn: return severityLabel(a.severity);
        case AgentColumn: {
            // an interceptor trace's agent name, when it has one, beside its id
            QString agent = QString::fromStdString(visibleText(a.agentId));
            if (m_ws && ref.row >= 0) {
                const TraceRow& row = m_ws->row(static_cast<std::size_t>(ref.row));
                const std::string_view name = m_ws->str(row, row.agentName);
                if (!name.empty() && name != a.agentId)
                    agent = agent.isEmpty() ? QString::fromStdString(visibleText(name))
                                            : QString::fromStdString(visibleText(name)) + QStringLiteral(" · ") + agent;
            }
            return agent;
        }
        case RunColumn: return QString::fromStdString(visibleText(a.runId));
        case StepColumn: return a.stepIndex >= 0 ? QVariant(static_cast<qlonglong>(a.stepIndex)) : QVariant(tr("run"));
        case TimeColumn: return ref.timeUs != kNoTime ? formatTimeUs(ref.timeUs) : QString();
        case ScoreColumn: return a.score;
        default: return {};
        }
    case Qt::ToolTipRole:
        // escaped: a tooltip that looks like markup is shown as rich text, and the message quotes trace values
        if (column == SummaryColumn)
            return QStringLiteral("<p style='white-space:pre-wrap'>%1</p>")
                .arg(QString(anomalyMessage(a) + QLatin1Char('\n') + QString::fromStdString(visibleText(a.ruleId))).toHtmlEscaped());
        return {};
    case Qt::TextAlignmentRole:
        return column == ScoreColumn || column == StepColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case SeverityRole: return QVariant::fromValue(a.severity);
    case DetectorRole: return QVariant::fromValue(a.detector);
    case AnomalyRole: return static_cast<qint64>(position);
    case CountRole: return 1;
    default: return {};
    }
}

QVariant AnomalyFeedModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SummaryColumn: return tr("Summary");
    case SeverityColumn: return tr("Severity");
    case AgentColumn: return tr("Agent");
    case RunColumn: return tr("Run");
    case StepColumn: return tr("Step index");
    case TimeColumn: return tr("Time (UTC)");
    case ScoreColumn: return tr("Score");
    default: return {};
    }
}

void AnomalyFeedModel::sort(int column, Qt::SortOrder order)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<std::pair<std::size_t, std::uint32_t>> kept; // (group, anomaly) of each persistent index
    for (const QModelIndex& i : before)
        kept.emplace_back(i.internalId(), i.internalId() == kGroup ? 0 : m_groups[groupOf(i.internalId())].members[static_cast<std::size_t>(i.row())]);
    m_sortColumn = column;
    m_sortOrder = order;
    sortMembers();
    QModelIndexList after;
    for (std::size_t k = 0; k < static_cast<std::size_t>(before.size()); ++k) {
        const QModelIndex& i = before[static_cast<int>(k)];
        if (kept[k].first == kGroup) {
            after << i;
            continue;
        }
        const std::vector<std::uint32_t>& m = m_groups[groupOf(kept[k].first)].members;
        const int row = static_cast<int>(std::find(m.begin(), m.end(), kept[k].second) - m.begin());
        after << createIndex(row, i.column(), i.internalId());
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void AnomalyFeedModel::sortMembers()
{
    if (m_sortColumn < 0 || !m_analysis)
        return; // the analysis's order: by file, run and step
    const WorkspaceAnalysis& an = *m_analysis;
    const int column = m_sortColumn;
    const auto key = [&](std::uint32_t p) {
        const AnomalyRef& r = an.anomalies[p];
        const Anomaly& a = an.anomaly(r);
        switch (column) {
        case AgentColumn: return std::tuple<std::string_view, std::string_view, std::int64_t>(a.agentId, a.runId, a.stepIndex);
        case RunColumn: return std::tuple<std::string_view, std::string_view, std::int64_t>(a.runId, {}, a.stepIndex);
        case StepColumn: return std::tuple<std::string_view, std::string_view, std::int64_t>({}, {}, a.stepIndex);
        case TimeColumn: return std::tuple<std::string_view, std::string_view, std::int64_t>({}, {}, r.timeUs);
        case ScoreColumn:
        case SeverityColumn: return std::tuple<std::string_view, std::string_view, std::int64_t>({}, {}, a.score);
        default: return std::tuple<std::string_view, std::string_view, std::int64_t>(a.ruleId, a.key, a.stepIndex);
        }
    };
    for (AnomalyGroup& g : m_groups)
        std::stable_sort(g.members.begin(), g.members.end(), [&](std::uint32_t x, std::uint32_t y) {
            return m_sortOrder == Qt::AscendingOrder ? key(x) < key(y) : key(y) < key(x);
        });
}

} // namespace rw
