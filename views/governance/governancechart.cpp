#include "views/governance/governancechart.h"

#include "views/governance/chartpainter.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace rw {

GovernanceChart::GovernanceChart(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Governance metrics chart"));
}

void GovernanceChart::setData(analysis::GovernanceChartData data, const QString& unit)
{
    m_data = std::move(data);
    m_unit = unit;
    m_hover = {};
    m_geometry = layoutFor(size());
    update();
}

ChartGeometry GovernanceChart::layoutFor(QSizeF size, const QString& title, const QString& footer) const
{
    const QFontMetricsF fm(font());
    return layoutChart(m_data, size, [&fm](const QString& s) { return fm.horizontalAdvance(s); }, fm.height(), title,
                       footer);
}

QString GovernanceChart::pointText(ChartGeometry::Hit hit) const
{
    if (!hit.valid() || static_cast<std::size_t>(hit.series) >= m_data.series.size())
        return {};
    const analysis::GovernanceSeries& s = m_data.series[static_cast<std::size_t>(hit.series)];
    const std::int64_t value = s.values[static_cast<std::size_t>(hit.bucket)];
    return QStringLiteral("%1 \u00b7 %2 \u00b7 %3: %4")
        .arg(bucketLabel(m_data, static_cast<std::size_t>(hit.bucket)), seriesLabel(m_data, s), m_unit)
        .arg(value);
}

void GovernanceChart::setHover(ChartGeometry::Hit hit)
{
    if (hit.bucket == m_hover.bucket && hit.series == m_hover.series)
        return;
    m_hover = hit;
    setAccessibleDescription(pointText(hit));
    update();
}

bool GovernanceChart::event(QEvent* event)
{
    // Escape clears the selected point before any window shortcut (the event drawer's) takes it
    if (event->type() == QEvent::ShortcutOverride && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape &&
        m_hover.valid()) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void GovernanceChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintChart(p, m_geometry, chartStyle(palette()), m_hover);
    if (hasFocus()) {
        QPen focus(palette().color(QPalette::Highlight), 2);
        p.setPen(focus);
        p.drawRect(rect().adjusted(1, 1, -1, -1));
    }
}

void GovernanceChart::resizeEvent(QResizeEvent*)
{
    m_geometry = layoutFor(size());
}

void GovernanceChart::mouseMoveEvent(QMouseEvent* event)
{
    const ChartGeometry::Hit hit = m_geometry.hitTest(event->position());
    setHover(hit);
    if (hit.valid())
        QToolTip::showText(event->globalPosition().toPoint(), pointText(hit) + tr("\nClick to show these traces"), this);
    else
        QToolTip::hideText();
}

void GovernanceChart::mouseReleaseEvent(QMouseEvent* event)
{
    const ChartGeometry::Hit hit = m_geometry.hitTest(event->position());
    if (event->button() == Qt::LeftButton && hit.valid())
        Q_EMIT pointActivated(hit.bucket, hit.series);
}

void GovernanceChart::leaveEvent(QEvent*)
{
    setHover({});
}

void GovernanceChart::keyPressEvent(QKeyEvent* event)
{
    if (m_data.empty() || m_data.series.empty()) {
        QWidget::keyPressEvent(event);
        return;
    }
    const auto counted = [&](int series, int bucket) {
        return m_data.series[static_cast<std::size_t>(series)].values[static_cast<std::size_t>(bucket)] != 0;
    };
    // the next counted point of a series from `bucket` in direction `step` (zeros have no traces behind them)
    const auto next = [&](int series, int bucket, int step) {
        for (int b = bucket; b >= 0 && b < static_cast<int>(m_data.buckets); b += step)
            if (counted(series, b))
                return b;
        return -1;
    };
    ChartGeometry::Hit h = m_hover;
    const int series = static_cast<int>(m_data.series.size());
    switch (event->key()) {
    case Qt::Key_Left: h.bucket = h.valid() ? next(h.series, h.bucket - 1, -1) : -1; break;
    case Qt::Key_Right: h.bucket = h.valid() ? next(h.series, h.bucket + 1, 1) : -1; break;
    case Qt::Key_Up:
    case Qt::Key_Down: {
        if (!h.valid())
            break;
        // the nearest counted point of the series above or below
        const int s = h.series + (event->key() == Qt::Key_Up ? -1 : 1);
        if (s < 0 || s >= series)
            return;
        const int after = next(s, h.bucket, 1), before = next(s, h.bucket, -1);
        if (after < 0 && before < 0)
            return;
        h = {after < 0 || (before >= 0 && h.bucket - before <= after - h.bucket) ? before : after, s};
        break;
    }
    case Qt::Key_Home: h = {next(h.valid() ? h.series : 0, 0, 1), h.valid() ? h.series : 0}; break;
    case Qt::Key_End:
        h = {next(h.valid() ? h.series : 0, static_cast<int>(m_data.buckets) - 1, -1), h.valid() ? h.series : 0};
        break;
    case Qt::Key_Escape: setHover({}); QToolTip::hideText(); return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_hover.valid())
            Q_EMIT pointActivated(m_hover.bucket, m_hover.series);
        return;
    default: QWidget::keyPressEvent(event); return;
    }
    if (!h.valid()) { // nothing there yet: the first counted point of the first series
        h = {-1, 0};
        for (int s = 0; s < series && h.bucket < 0; ++s)
            h = {next(s, 0, 1), s};
    }
    if (!h.valid())
        return;
    setHover(h);
    const QPointF at = m_geometry.lines[static_cast<std::size_t>(h.series)].points[static_cast<std::size_t>(h.bucket)];
    QToolTip::showText(mapToGlobal(at.toPoint()), pointText(h) + tr("\nEnter: show these traces"), this);
}

QImage GovernanceChart::image(QSize size, const QString& title, const QString& footer) const
{
    QImage out(size, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&out);
    p.setFont(font());
    paintChart(p, layoutFor(size, title, footer), chartStyle(palette()));
    return out;
}

std::string GovernanceChart::svg(QSize size, const QString& title, const QString& footer) const
{
    return chartSvg(layoutFor(size, title, footer), chartStyle(palette()), title);
}

} // namespace rw
