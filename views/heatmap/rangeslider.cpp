#include "views/heatmap/rangeslider.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace rw {

namespace {
constexpr int kHandle = 8; // a handle's width beside its position: the track starts and ends this far in
}

RangeSlider::RangeSlider(QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAccessibleName(tr("Time window"));
    setToolTip(tr("Drag a handle to narrow the window; Left/Right move its start, Shift+Left/Right its end, Home shows all"));
}

void RangeSlider::setRange(int lower, int upper)
{
    lower = std::clamp(lower, 0, m_max);
    upper = std::clamp(upper, 0, m_max);
    if (lower > upper)
        std::swap(lower, upper);
    if (lower == m_lower && upper == m_upper)
        return;
    m_lower = lower;
    m_upper = upper;
    update();
    Q_EMIT rangeChanged(m_lower, m_upper);
}

int RangeSlider::xOf(int position) const
{
    const int span = std::max(1, width() - 2 * kHandle);
    return kHandle + static_cast<int>(std::lround(static_cast<double>(position) * span / m_max));
}

int RangeSlider::positionAt(int x) const
{
    const int span = std::max(1, width() - 2 * kHandle);
    return std::clamp(static_cast<int>(std::lround(static_cast<double>(x - kHandle) * m_max / span)), 0, m_max);
}

void RangeSlider::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int mid = height() / 2;
    const QColor track = palette().color(QPalette::Mid);
    const QColor chosen = palette().color(QPalette::Highlight);
    p.setPen(Qt::NoPen);
    p.setBrush(track);
    p.drawRoundedRect(QRectF(kHandle, mid - 2, width() - 2 * kHandle, 4), 2, 2);
    p.setBrush(chosen);
    p.drawRect(QRectF(xOf(m_lower), mid - 3, xOf(m_upper) - xOf(m_lower), 6));
    // the handles, told apart by shape: the start points right (▶), the end left (◀); dark
    // outlines on the button colour, the focused one drawn in the highlight colour and thicker
    for (const bool upperHandle : {false, true}) {
        const qreal x = xOf(upperHandle ? m_upper : m_lower);
        const qreal w = kHandle;
        QPolygonF shape;
        if (upperHandle)
            shape << QPointF(x, mid - 10) << QPointF(x, mid + 10) << QPointF(x - w, mid + 10) << QPointF(x - w, mid + 4)
                  << QPointF(x - w - 4, mid) << QPointF(x - w, mid - 4) << QPointF(x - w, mid - 10);
        else
            shape << QPointF(x, mid - 10) << QPointF(x, mid + 10) << QPointF(x + w, mid + 10) << QPointF(x + w, mid + 4)
                  << QPointF(x + w + 4, mid) << QPointF(x + w, mid - 4) << QPointF(x + w, mid - 10);
        const bool focused = hasFocus() && upperHandle == m_draggingUpper;
        p.setBrush(focused ? chosen : palette().color(QPalette::Button));
        p.setPen(QPen(palette().color(QPalette::WindowText), focused ? 2 : 1.2));
        p.drawPolygon(shape);
    }
}

void RangeSlider::focusInEvent(QFocusEvent* event)
{
    update(); // the focused handle is drawn apart
    QWidget::focusInEvent(event);
}

void RangeSlider::focusOutEvent(QFocusEvent* event)
{
    update();
    QWidget::focusOutEvent(event);
}

void RangeSlider::mousePressEvent(QMouseEvent* event)
{
    const int x = static_cast<int>(event->position().x());
    // the nearer handle; on a tie the one the click is beyond
    const int toLower = std::abs(x - xOf(m_lower)), toUpper = std::abs(x - xOf(m_upper));
    m_draggingUpper = toUpper < toLower || (toUpper == toLower && x > xOf(m_upper));
    mouseMoveEvent(event);
}

void RangeSlider::mouseMoveEvent(QMouseEvent* event)
{
    const int at = positionAt(static_cast<int>(event->position().x()));
    if (m_draggingUpper)
        setRange(m_lower, std::max(at, m_lower));
    else
        setRange(std::min(at, m_upper), m_upper);
}

void RangeSlider::keyPressEvent(QKeyEvent* event)
{
    const bool upperHandle = event->modifiers() & Qt::ShiftModifier;
    int step = 0;
    switch (event->key()) {
    case Qt::Key_Left: step = -1; break;
    case Qt::Key_Right: step = 1; break;
    case Qt::Key_PageDown: step = -std::max(1, m_max / 10); break;
    case Qt::Key_PageUp: step = std::max(1, m_max / 10); break;
    case Qt::Key_Home:
    case Qt::Key_End:
        setRange(0, m_max);
        return;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    // a step of one position is too fine to see on a long span: a hundredth at least
    if (std::abs(step) == 1)
        step *= std::max(1, m_max / 100);
    m_draggingUpper = upperHandle;
    if (upperHandle)
        setRange(m_lower, std::max(m_upper + step, m_lower));
    else
        setRange(std::min(m_lower + step, m_upper), m_upper);
}

} // namespace rw
