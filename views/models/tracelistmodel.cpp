#include "views/models/tracelistmodel.h"

#include "model/timestamp.h"
#include "model/visibletext.h"
#include "views/models/rolevalues.h"

#include <QDateTime>

#include <algorithm>
#include <numeric>

namespace rw {

namespace {

QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

} // namespace

QString formatDurationUs(std::int64_t us)
{
    if (us < 1000)
        return QStringLiteral("%1 µs").arg(us);
    if (us < 1000000)
        return QStringLiteral("%1 ms").arg(static_cast<double>(us) / 1e3, 0, 'f', 1);
    if (us < 600000000)
        return QStringLiteral("%1 s").arg(static_cast<double>(us) / 1e6, 0, 'f', 2);
    return QStringLiteral("%1 min").arg(static_cast<double>(us) / 60e6, 0, 'f', 1);
}

QString formatTimeUs(std::int64_t us)
{
    if (us == kNoTime)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

TraceListModel::TraceListModel(QObject* parent) : QAbstractTableModel(parent) { registerRoleValueTypes(); }

void TraceListModel::setWorkspace(std::shared_ptr<const Workspace> ws)
{
    beginResetModel();
    if (ws != m_ws)
        m_anomalies.clear();
    m_ws = std::move(ws);
    m_rows.resize(m_ws ? m_ws->rows().size() : 0);
    std::iota(m_rows.begin(), m_rows.end(), 0u);
    applySort();
    endResetModel();
}

void TraceListModel::setWorkspace(std::shared_ptr<const Workspace> ws, std::vector<std::uint32_t> visibleRows)
{
    beginResetModel();
    if (ws != m_ws)
        m_anomalies.clear();
    m_ws = std::move(ws);
    m_rows = std::move(visibleRows);
    applySort();
    endResetModel();
}

void TraceListModel::setVisibleRows(std::vector<std::uint32_t> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    applySort();
    endResetModel();
}

void TraceListModel::setAnomalies(std::vector<RowAnomalies> anomalies)
{
    if (m_ws && !anomalies.empty() && anomalies.size() != m_ws->rows().size())
        return; // another workspace's
    m_anomalies = std::move(anomalies);
    if (m_sortColumn == AnomaliesColumn) {
        Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList before = persistentIndexList();
        std::vector<std::uint32_t> kept;
        for (const QModelIndex& i : before)
            kept.push_back(m_rows[static_cast<std::size_t>(i.row())]);
        applySort();
        QModelIndexList after;
        for (std::size_t k = 0; k < kept.size(); ++k)
            after << index(rowOfWorkspaceRow(kept[k]), before[static_cast<int>(k)].column());
        changePersistentIndexList(before, after);
        Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    } else if (!m_rows.empty()) {
        Q_EMIT dataChanged(index(0, AnomaliesColumn), index(rowCount() - 1, AnomaliesColumn));
    }
}

int TraceListModel::rowOfWorkspaceRow(std::size_t wsRow) const
{
    const auto it = std::find(m_rows.begin(), m_rows.end(), static_cast<std::uint32_t>(wsRow));
    return it == m_rows.end() ? -1 : static_cast<int>(it - m_rows.begin());
}

int TraceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TraceListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TraceListModel::sortKey(const TraceRow& r, int column) const
{
    auto s = [&](StrId id) { return id == kNoStr ? QString() : qstr(m_ws->str(r, id)); };
    switch (column) {
    case TraceIdColumn: return s(r.traceId);
    case AgentColumn: return s(r.agentName);
    case TenantColumn: return s(r.tenant);
    case FirstSeenColumn: return static_cast<qlonglong>(r.firstSeenUs);
    case DurationColumn: return static_cast<qlonglong>(r.durationUs);
    case EventsColumn: return r.events;
    case ToolColumn: return s(r.tool);
    case DecisionColumn: return s(r.finalDecision);
    case GovernanceColumn: return static_cast<int>(r.governance);
    case TrustColumn: return trustRank(r.trust);
    case BudgetColumn: return r.violations;
    case DiagnosticsColumn: return r.diagnostics;
    case AnomaliesColumn: {
        // the worst first, then how many (a trace without any below one with infos)
        const std::size_t row = static_cast<std::size_t>(&r - m_ws->rows().data());
        if (row >= m_anomalies.size() || m_anomalies[row].count == 0)
            return qlonglong(-1);
        return (qlonglong(m_anomalies[row].worst) << 32) + m_anomalies[row].count;
    }
    case FileColumn: return r.file;
    default: break;
    }
    return {};
}

QVariant TraceListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_ws || index.row() >= rowCount())
        return {};
    const std::size_t wsRow = m_rows[static_cast<std::size_t>(index.row())];
    const TraceRow& r = m_ws->row(wsRow);
    auto s = [&](StrId id) { return id == kNoStr ? QString() : qstr(m_ws->str(r, id)); };
    // what a person reads shows hidden characters escaped (bidi, zero-width,
    // controls); the roles below keep the exact values for lookups and filters
    auto v = [&](StrId id) { return id == kNoStr ? QString() : visibleUtf8(m_ws->str(r, id)); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TraceIdColumn: return v(r.traceId);
        case AgentColumn:
            return r.agentId != kNoStr && r.agentId != r.agentName ? v(r.agentName) + QStringLiteral(" (") + v(r.agentId) + QLatin1Char(')')
                                                                  : v(r.agentName);
        case TenantColumn: return v(r.tenant);
        case FirstSeenColumn: return formatTimeUs(r.firstSeenUs);
        case DurationColumn: return r.events < 2 ? QStringLiteral("—") : formatDurationUs(r.durationUs);
        case EventsColumn: return r.events;
        case ToolColumn: return v(r.tool);
        case DecisionColumn: return v(r.finalDecision);
        case GovernanceColumn: return QString::fromLatin1(governanceName(r.governance));
        case TrustColumn: return QString::fromLatin1(trustName(r.trust));
        case BudgetColumn:
            return r.violations > 0 ? QStringLiteral("violated (%1)").arg(r.violations) : v(r.budgetStatus);
        case DiagnosticsColumn: return r.diagnostics ? QVariant(r.diagnostics) : QVariant(QString());
        case AnomaliesColumn:
            // the count, and the worst of them (the chip's colour): "5, worst critical"
            if (wsRow < m_anomalies.size() && m_anomalies[wsRow].count > 0)
                return tr("%1, worst %2").arg(m_anomalies[wsRow].count).arg(QLatin1String(rowWorstWord(m_anomalies[wsRow])));
            return QString();
        case FileColumn: return visibleUtf8(m_ws->file(r.file).path()).section(QLatin1Char('/'), -1);
        default: break;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == FileColumn)
            return visibleUtf8(m_ws->file(r.file).path());
        if (index.column() == DecisionColumn && r.finalReason != kNoStr)
            return v(r.finalReason);
        if (index.column() == TraceIdColumn)
            return v(r.traceId);
        if (index.column() == AnomaliesColumn && wsRow < m_anomalies.size() && m_anomalies[wsRow].count > 0) {
            const RowAnomalies& a = m_anomalies[wsRow];
            return tr("%1 anomalies: %2 critical, %3 warn, %4 info")
                .arg(a.count)
                .arg(a.critical)
                .arg(a.warn)
                .arg(a.count - a.critical - a.warn);
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == EventsColumn || index.column() == DurationColumn || index.column() == DiagnosticsColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case SortRole: return sortKey(r, index.column());
    case WorkspaceRowRole: return static_cast<qulonglong>(wsRow);
    case TraceIdRole: return s(r.traceId);
    case DecisionRole: return QVariant::fromValue(r.decision);
    case GovernanceRole: return QVariant::fromValue(r.governance);
    case TrustRole: return QVariant::fromValue(r.trust);
    case AgentIdRole: return s(r.agentId);
    case AgentRole: return QVariant::fromValue(AgentIdentity{s(r.agentName), s(r.agentId), s(r.agentTrust), r.agentTrustLevel});
    case AnomalySeverityRole:
        if (wsRow < m_anomalies.size() && m_anomalies[wsRow].count > 0)
            return QVariant::fromValue(static_cast<analysis::Severity>(m_anomalies[wsRow].worst));
        break;
    default: break;
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TraceIdColumn: return tr("Trace");
    case AgentColumn: return tr("Agent");
    case TenantColumn: return tr("Tenant");
    case FirstSeenColumn: return tr("First seen (UTC)");
    case DurationColumn: return tr("Duration");
    case EventsColumn: return tr("Events");
    case ToolColumn: return tr("Tool");
    case DecisionColumn: return tr("Final decision");
    case GovernanceColumn: return tr("Governance");
    case TrustColumn: return tr("Provenance trust");
    case BudgetColumn: return tr("Budget");
    case DiagnosticsColumn: return tr("Findings");
    case AnomaliesColumn: return tr("Anomalies");
    case FileColumn: return tr("File");
    default: break;
    }
    return {};
}

void TraceListModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<std::uint32_t> wsRows;
    for (const QModelIndex& i : before)
        wsRows.push_back(m_rows[static_cast<std::size_t>(i.row())]);
    applySort();
    QModelIndexList after;
    for (qsizetype k = 0; k < before.size(); ++k)
        after << index(rowOfWorkspaceRow(wsRows[static_cast<std::size_t>(k)]), before[k].column());
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void TraceListModel::applySort()
{
    if (!m_ws || m_sortColumn < 0)
        return;
    const bool asc = m_sortOrder == Qt::AscendingOrder;
    auto key = [&](std::uint32_t row) { return sortKey(m_ws->row(row), m_sortColumn); };
    const bool numeric = m_sortColumn != TraceIdColumn && m_sortColumn != AgentColumn && m_sortColumn != TenantColumn &&
                         m_sortColumn != ToolColumn && m_sortColumn != DecisionColumn;
    if (numeric) {
        std::vector<std::pair<qlonglong, std::uint32_t>> keyed;
        keyed.reserve(m_rows.size());
        for (const std::uint32_t row : m_rows)
            keyed.emplace_back(key(row).toLongLong(), row);
        std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
            return asc ? a.first < b.first : b.first < a.first;
        });
        for (std::size_t i = 0; i < keyed.size(); ++i)
            m_rows[i] = keyed[i].second;
    } else {
        // compare the UTF-8 bytes directly: no QString per comparison
        auto text = [&](std::uint32_t row) -> std::string_view {
            const TraceRow& r = m_ws->row(row);
            const StrId id = m_sortColumn == TraceIdColumn ? r.traceId
                             : m_sortColumn == AgentColumn ? r.agentName
                             : m_sortColumn == TenantColumn ? r.tenant
                             : m_sortColumn == ToolColumn   ? r.tool
                                                            : r.finalDecision;
            return id == kNoStr ? std::string_view() : m_ws->str(r, id);
        };
        std::stable_sort(m_rows.begin(), m_rows.end(), [&](std::uint32_t a, std::uint32_t b) {
            return asc ? text(a) < text(b) : text(b) < text(a);
        });
    }
}

} // namespace rw
