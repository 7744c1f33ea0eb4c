#include "views/heatmap/heatmapview.h"

#include "model/visibletext.h"
#include "views/styles.h"

#include <QBuffer>
#include <QHelpEvent>
#include <QImage>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QSvgGenerator>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace rw {

namespace {
QString visible(const std::string& s)
{
    return s.empty() ? QStringLiteral("(no agent id)") : QString::fromStdString(visibleText(s));
}
} // namespace

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(false);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Permission heatmap"));
}

void HeatmapView::setHeatmap(std::shared_ptr<const analysis::PermissionHeatmap> heatmap)
{
    m_map = std::move(heatmap);
    m_geometry.rows = m_map ? static_cast<int>(m_map->agents.size()) : 0;
    m_geometry.columns = m_map ? static_cast<int>(m_map->permissions.size()) : 0;
    // labels as wide as the longest name needs, within bounds
    const QFontMetrics fm(font());
    int label = 80, longest = 40;
    if (m_map) {
        for (const std::string& a : m_map->agents)
            label = std::max(label, fm.horizontalAdvance(visible(a)) + 12);
        for (const std::string& p : m_map->permissions)
            longest = std::max(longest, fm.horizontalAdvance(visible(p)) + 6);
    }
    longest = std::min(longest, 240);
    // names at 60 degrees: a cell apart they stand further apart than a line of text is high
    m_geometry.labelWidth = std::min(label, 260);
    m_geometry.headerHeight = static_cast<int>(longest * 0.87) + fm.height();
    m_geometry.rightMargin = longest / 2 + fm.height();
    m_geometry.cell = fm.height() + 8;
    // empty: room for the sentence that says so
    resize(m_geometry.rows && m_geometry.columns ? m_geometry.size() : QSize(480, 60));
    updateGeometry();
    update();
}

QString HeatmapView::cellText(int row, int column) const
{
    if (!m_map)
        return {};
    const analysis::HeatCell& c = m_map->at(static_cast<std::size_t>(row), static_cast<std::size_t>(column));
    // one arg() for all: a name holding "%3" is not filled in by the next
    QString text = tr("%1 × %2\n%3 uses in %4 of the agent's %5 runs")
                       .arg(visible(m_map->agents[static_cast<std::size_t>(row)]),
                            visible(m_map->permissions[static_cast<std::size_t>(column)]), QString::number(c.uses),
                            QString::number(c.runs), QString::number(m_map->agentRuns[static_cast<std::size_t>(row)]));
    if (c.escalated)
        text += tr("\nescalated (outside the baseline) in %1 runs").arg(c.escalated);
    if (m_map->frequentlyEscalated(static_cast<std::size_t>(row), static_cast<std::size_t>(column)))
        text += tr(": frequently escalated");
    if (c.grantedUnused)
        text += tr("\ngranted and never used in %1 runs").arg(c.grantedUnused);
    if (m_map->overProvisioned(static_cast<std::size_t>(row), static_cast<std::size_t>(column)))
        text += tr(": over-provisioned");
    return text;
}

void HeatmapView::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    paintMap(p, event->rect());
}

QByteArray HeatmapView::render(bool svgFormat, const QString& caption) const
{
    // the caption's line above the map, the map below it as on screen
    const int top = caption.isEmpty() ? 0 : fontMetrics().height() + 8;
    const QSize mapSize = m_geometry.size();
    // at most a screen's width for the caption: a long one is elided, never a picture miles wide
    const int captionWidth = caption.isEmpty() ? 0 : std::min(fontMetrics().horizontalAdvance(caption) + 16, std::max(mapSize.width(), 1600));
    const QSize size(std::max(mapSize.width(), captionWidth), mapSize.height() + top);
    const QString shown = fontMetrics().elidedText(caption, Qt::ElideMiddle, std::max(0, size.width() - 16));
    const auto draw = [&](QPainter& p) {
        p.setFont(font());
        p.fillRect(QRect(QPoint(0, 0), size), palette().color(QPalette::Base));
        if (!caption.isEmpty()) {
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRect(8, 4, size.width() - 16, top - 4), Qt::AlignLeft | Qt::AlignVCenter, shown);
        }
        p.translate(0, top);
        paintMap(p, QRect(QPoint(0, 0), mapSize));
    };
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (svgFormat) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(tr("Permission heatmap"));
        svg.setResolution(logicalDpiX()); // the widget's: text measured for it fits its cells
        QPainter p;
        if (!p.begin(&svg))
            return {};
        draw(p);
        return p.end() ? bytes : QByteArray();
    }
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&image);
    draw(p);
    p.end();
    return image.save(&buffer, "PNG") ? bytes : QByteArray();
}

void HeatmapView::paintMap(QPainter& p, const QRect& exposed) const
{
    p.fillRect(exposed, palette().color(QPalette::Base));
    if (!m_map || m_map->agents.empty() || m_map->permissions.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(exposed.adjusted(12, 12, -12, -12), Qt::AlignLeft | Qt::AlignTop,
                   tr("No permissions used or granted in the analysed runs."));
        return;
    }
    const HeatmapGeometry& g = m_geometry;
    const HeatmapGeometry::Range r = g.visible(exposed);
    const QColor text = palette().color(QPalette::Text);
    const QColor base = palette().color(QPalette::Base);
    const QColor hot = QColor(0x00, 0x72, 0xB2); // blue: sequential, readable on light and dark
    const QColor alarm = severityStyle(2).color;

    p.setPen(text);
    // agent labels of the exposed rows
    for (int row = r.firstRow; row < r.endRow; ++row) {
        const QRect label(4, g.headerHeight + row * g.cell, g.labelWidth - 8, g.cell);
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter,
                   fontMetrics().elidedText(visible(m_map->agents[static_cast<std::size_t>(row)]), Qt::ElideMiddle, label.width()));
    }
    // permission labels of the exposed columns (and of those whose names lean into it), at 60 degrees
    const HeatmapGeometry::Range labels = g.visible(exposed.adjusted(-g.rightMargin, 0, 0, 0));
    for (int column = labels.firstColumn; column < std::max(labels.endColumn, r.endColumn); ++column) {
        p.save();
        p.translate(g.labelWidth + column * g.cell + g.cell / 2 - fontMetrics().height() / 4, g.headerHeight - 4);
        p.rotate(-60);
        const int room = static_cast<int>((g.headerHeight - 4) / 0.87);
        p.drawText(QRect(0, -fontMetrics().height() / 2, room, fontMetrics().height()), Qt::AlignLeft | Qt::AlignVCenter,
                   fontMetrics().elidedText(visible(m_map->permissions[static_cast<std::size_t>(column)]), Qt::ElideMiddle, room));
        p.restore();
    }
    // the exposed cells: nothing allocated per cell
    QPen grid(palette().color(QPalette::Mid));
    grid.setWidth(1);
    QPen dashed(text, 1.5, Qt::DashLine);
    QPen frame(alarm, 2.5);
    for (int row = r.firstRow; row < r.endRow; ++row)
        for (int column = r.firstColumn; column < r.endColumn; ++column) {
            const QRect cell = g.cellRect(row, column);
            const analysis::HeatCell& c = m_map->at(static_cast<std::size_t>(row), static_cast<std::size_t>(column));
            if (c.runs > 0) {
                // the share of the agent's runs; the palest still stands out from an empty cell
                const double share = static_cast<double>(c.runs) / std::max<double>(m_map->agentRuns[static_cast<std::size_t>(row)], 1);
                const double t = 0.3 + 0.7 * std::min(share, 1.0);
                QColor fill;
                fill.setRgbF(base.redF() + (hot.redF() - base.redF()) * t, base.greenF() + (hot.greenF() - base.greenF()) * t,
                             base.blueF() + (hot.blueF() - base.blueF()) * t);
                p.fillRect(cell.adjusted(1, 1, 0, 0), fill);
            }
            p.setPen(grid);
            p.setBrush(Qt::NoBrush);
            p.drawRect(cell);
            if (m_map->overProvisioned(static_cast<std::size_t>(row), static_cast<std::size_t>(column))) {
                p.setPen(dashed);
                p.drawRect(cell.adjusted(4, 4, -4, -4));
            }
            if (m_map->frequentlyEscalated(static_cast<std::size_t>(row), static_cast<std::size_t>(column))) {
                p.setPen(frame);
                p.drawRect(cell.adjusted(2, 2, -2, -2));
                // a corner mark as well as the colour: readable without telling colours apart
                const QPoint corner = cell.topRight();
                const QPoint tri[3] = {corner + QPoint(-8, 1), corner + QPoint(-1, 1), corner + QPoint(-1, 8)};
                p.setPen(Qt::NoPen);
                p.setBrush(alarm);
                p.drawPolygon(tri, 3);
            }
        }
}

void HeatmapView::mousePressEvent(QMouseEvent* event)
{
    int row = 0, column = 0;
    if (m_map && event->button() == Qt::LeftButton && m_geometry.cellAt(event->position().toPoint(), &row, &column))
        Q_EMIT cellActivated(QString::fromStdString(m_map->agents[static_cast<std::size_t>(row)]),
                             QString::fromStdString(m_map->permissions[static_cast<std::size_t>(column)]),
                             m_map->at(static_cast<std::size_t>(row), static_cast<std::size_t>(column)).runs > 0);
    QWidget::mousePressEvent(event);
}

bool HeatmapView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        int row = 0, column = 0;
        if (m_map && m_geometry.cellAt(help->pos(), &row, &column))
            QToolTip::showText(help->globalPos(), QStringLiteral("<p style='white-space:pre'>%1</p>").arg(cellText(row, column).toHtmlEscaped()), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace rw
