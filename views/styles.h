#pragma once

#include <QColor>
#include <QPainterPath>
#include <QString>

class QPainter;

namespace rw {

// Marker shapes: each decision has its own shape as well as its own colour,
// so the timeline and badges read without colour vision (Okabe-Ito palette).
enum class MarkerShape { Circle, Square, Diamond, Triangle, Ring, Dot };

struct DecisionStyle
{
    QColor color;
    MarkerShape shape;
};

DecisionStyle decisionStyle(QStringView decision);
// trusted / internal / external / unverified: green circle, blue square,
// amber triangle, red diamond; anything else grey ring.
DecisionStyle trustStyle(QStringView trust);
QColor governanceColor(QStringView governance);
// USER, SYS, SKILL, RAG, MEM, TOOL, AGENT, LOCAL, MCP, or the first letters
QString sourceTypeLabel(QStringView sourceType);

QPainterPath markerPath(MarkerShape shape, QPointF center, qreal radius);
void paintMarker(QPainter& p, MarkerShape shape, QPointF center, qreal radius, const QColor& color,
                 const QColor& outline);
// Text colour readable on `background`.
QColor textOn(const QColor& background);

} // namespace rw
