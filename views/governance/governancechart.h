#pragma once

// The governance chart as a widget: the geometry laid out on resize and on
// new data (never while painting), the point under the pointer ringed with
// its value in a tooltip, and a click (or Enter on the ringed point, which
// the arrow keys move) activating it. Renders to an image or SVG text for
// export at any size.
#include "replay/analysis/governanceseries.h"
#include "views/governance/chartgeometry.h"

#include <QImage>
#include <QWidget>

#include <string>

namespace rw {

class GovernanceChart : public QWidget
{
    Q_OBJECT
public:
    explicit GovernanceChart(QWidget* parent = nullptr);

    // `unit` names what is counted in the tooltip ("traces")
    void setData(analysis::GovernanceChartData data, const QString& unit);
    const analysis::GovernanceChartData& data() const { return m_data; }
    const ChartGeometry& chartGeometry() const { return m_geometry; }
    ChartGeometry::Hit highlighted() const { return m_hover; }
    // the text of a point: "2026-03-05 14:00 · prod-triage · traces: 12"
    QString pointText(ChartGeometry::Hit hit) const;

    // for exports: the chart with a title and a footer line
    QImage image(QSize size, const QString& title, const QString& footer) const;
    std::string svg(QSize size, const QString& title, const QString& footer) const;

    QSize sizeHint() const override { return {760, 360}; }
    QSize minimumSizeHint() const override { return {320, 180}; }

Q_SIGNALS:
    void pointActivated(int bucket, int series);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    ChartGeometry layoutFor(QSizeF size, const QString& title = {}, const QString& footer = {}) const;
    void setHover(ChartGeometry::Hit hit);

    analysis::GovernanceChartData m_data;
    QString m_unit;
    ChartGeometry m_geometry;
    ChartGeometry::Hit m_hover;
};

} // namespace rw
