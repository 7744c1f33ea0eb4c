#pragma once

#include "replay/analysis/permissionheatmap.h"
#include "views/heatmap/heatmapgeometry.h"

#include <QWidget>

#include <memory>

namespace rw {

// The permission heatmap, painted: a cell per agent × permission whose
// shade is how often the agent's runs used it (a square-root scale, so one
// heavy cell does not wash out the rest), a dashed outline where it was
// granted and never used (over-provisioning), a vermillion frame and a
// corner mark where it was escalated in many of the agent's runs. Paints
// only the exposed cells; a tooltip per cell; click (or Enter on the
// current cell) asks for the runs behind it.
class HeatmapView : public QWidget
{
    Q_OBJECT
public:
    explicit HeatmapView(QWidget* parent = nullptr);

    void setHeatmap(std::shared_ptr<const analysis::PermissionHeatmap> heatmap);
    const analysis::PermissionHeatmap* heatmap() const { return m_map.get(); }
    const HeatmapGeometry& geometry() const { return m_geometry; }
    QSize sizeHint() const override { return m_geometry.size(); }
    // the text of a cell's tooltip
    QString cellText(int row, int column) const;

Q_SIGNALS:
    void cellActivated(const QString& agent, const QString& permission);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    std::shared_ptr<const analysis::PermissionHeatmap> m_map;
    HeatmapGeometry m_geometry;
};

} // namespace rw
