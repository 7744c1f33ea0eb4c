#pragma once

#include <QString>

class QTableView;
class QWidget;

namespace rw {

class EventTableModel;
class TraceListModel;

// The tables' common look (whole-row selection, no wrapping, compact rows)
// and each table's delegates and starting widths, in one place instead of
// per-column code where the tables are built.
QTableView* makeTable(QWidget* parent, const QString& accessibleName);
void setUpTraceTable(QTableView* view, TraceListModel* model);
void setUpEventTable(QTableView* view, EventTableModel* model);

} // namespace rw
