#pragma once

// The Governance Metrics window (seed 002's operational metrics): one
// counter as a time series over a window of the loaded files, in total or by
// agent, tool or tenant; totals in one line; a point clicked (or Enter on it)
// asks for the traces behind it; the chart exported as PNG or SVG, the counts
// as CSV. It shows counts it is given (GovernanceMetrics counts them in a task).
#include "replay/analysis/governanceseries.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;

namespace rw {

class GovernanceChart;

class GovernanceWindow : public QWidget
{
    Q_OBJECT
public:
    explicit GovernanceWindow(QWidget* parent = nullptr);

    // null: nothing loaded; `busy` says they are being counted
    void setCounts(std::shared_ptr<const analysis::GovernanceCounts> counts);
    void setBusy(const QString& text);

    GovernanceChart* chart() const { return m_chart; }
    QComboBox* metricBox() const { return m_metric; }
    QComboBox* breakdownBox() const { return m_breakdown; }
    QComboBox* windowBox() const { return m_window; }
    QString caption() const;
    // the line under an exported chart: where it comes from and when
    QString exportFooter(std::size_t files) const;
    std::shared_ptr<const analysis::GovernanceCounts> counts() const { return m_counts; }

    // the filter of the traces behind a point: first seen in its bucket, of its agent, tool or tenant
    QString queryFor(int bucket, int series) const;

Q_SIGNALS:
    void showTraces(const QString& query);
    // export requests: the feature asks for a file and writes it
    void exportRequested(const QString& format); // "png", "svg", "csv"

private:
    void rebuild();

    std::shared_ptr<const analysis::GovernanceCounts> m_counts;
    QComboBox* m_metric = nullptr;
    QComboBox* m_breakdown = nullptr;
    QComboBox* m_window = nullptr;
    QPushButton* m_export = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_caption = nullptr;
    QLabel* m_hint = nullptr;
    GovernanceChart* m_chart = nullptr;
};

} // namespace rw
