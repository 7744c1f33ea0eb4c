#include "views/trace/tablesetup.h"

#include "views/badgedelegate.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"

#include <QHeaderView>
#include <QTableView>

namespace rw {

namespace {

void setBadge(QTableView* view, int column, BadgeDelegate::Kind kind, int role)
{
    view->setItemDelegateForColumn(column, new BadgeDelegate(kind, role, view));
}

template <std::size_t N>
void setWidths(QTableView* view, const int (&widths)[N])
{
    for (std::size_t c = 0; c < N; ++c)
        view->setColumnWidth(static_cast<int>(c), widths[c]);
}

} // namespace

QTableView* makeTable(QWidget* parent, const QString& accessibleName)
{
    auto* view = new QTableView(parent);
    view->setAccessibleName(accessibleName);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

void setUpTraceTable(QTableView* view, TraceListModel* model)
{
    using M = TraceListModel;
    view->setModel(model);
    view->setSortingEnabled(true);
    view->sortByColumn(M::FirstSeenColumn, Qt::AscendingOrder); // chronological by default
    setBadge(view, M::DecisionColumn, BadgeDelegate::Kind::Decision, M::DecisionRole);
    setBadge(view, M::GovernanceColumn, BadgeDelegate::Kind::Governance, M::GovernanceRole);
    setBadge(view, M::AgentColumn, BadgeDelegate::Kind::Agent, M::AgentRole);
    setBadge(view, M::TrustColumn, BadgeDelegate::Kind::Trust, M::TrustRole);
    setBadge(view, M::AnomaliesColumn, BadgeDelegate::Kind::Severity, M::AnomalySeverityRole);
    static constexpr int widths[M::ColumnCount] = {210, 180, 80, 182, 72, 56, 130, 124, 136, 112, 116, 110, 66, 190};
    setWidths(view, widths);
}

void setUpEventTable(QTableView* view, EventTableModel* model)
{
    using M = EventTableModel;
    view->setModel(model);
    setBadge(view, M::DecisionColumn, BadgeDelegate::Kind::Decision, M::DecisionRole);
    setBadge(view, M::RiskColumn, BadgeDelegate::Kind::Risk, M::RiskRole);
    setBadge(view, M::ProvenanceColumn, BadgeDelegate::Kind::Provenance, M::ProvenanceRole);
    static constexpr int widths[M::ColumnCount] = {30, 56, 168, 78, 130, 76, 150, 84, 130, 300, 330};
    setWidths(view, widths);
}

} // namespace rw
