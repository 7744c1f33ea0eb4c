#pragma once

#include "replay/analysis/permissionheatmap.h"
#include "views/heatmap/heatmapgeometry.h"

#include <QWidget>

class QPainter;

#include <memory>

namespace rw {

// The permission heatmap, painted: a cell per agent × permission whose
// shade is the share of the agent's runs that used it (so an agent with few
// runs reads as clearly as a busy one), a dashed outline where it was
// granted and never used (over-provisioning), a dark red frame and a
// corner mark where it was escalated in many of the agent's runs. Paints
// only the exposed cells; a tooltip per cell; a click asks for the runs
// behind it.
class HeatmapView : public QWidget
{
    Q_OBJECT
public:
    explicit HeatmapView(QWidget* parent = nullptr);

    void setHeatmap(std::shared_ptr<const analysis::PermissionHeatmap> heatmap);
    const analysis::PermissionHeatmap* heatmap() const { return m_map.get(); }
    const HeatmapGeometry& geometry() const { return m_geometry; }
    QSize sizeHint() const override { return m_geometry.rows && m_geometry.columns ? m_geometry.size() : QSize(480, 60); }
    // the text of a cell's tooltip
    QString cellText(int row, int column) const;
    // The whole map, painted as on screen, as the bytes of an SVG or a PNG
    // file ("" when it cannot be encoded), with `caption` written above it
    // (what it counts: the window, the files). Written by the caller, through
    // the output-path guard.
    QByteArray render(bool svg, const QString& caption = {}) const;

Q_SIGNALS:
    // `used`: some run of the agent used it (else it was only granted)
    void cellActivated(const QString& agent, const QString& permission, bool used);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    void paintMap(QPainter& p, const QRect& exposed) const;

    std::shared_ptr<const analysis::PermissionHeatmap> m_map;
    HeatmapGeometry m_geometry;
};

} // namespace rw
