#pragma once

#include "model/vocabulary.h"

#include <QBrush>
#include <QColor>
#include <QPainterPath>
#include <QPen>
#include <QString>

#include <cstdint>

class QPainter;

namespace rw {

enum class CheckStatus : std::uint8_t; // replay/evidence/evidenceverify.h

// Marker shapes: each decision has its own shape as well as its own colour,
// so the timeline and badges read without colour vision (Okabe-Ito palette).
enum class MarkerShape { Circle, Square, Diamond, Triangle, Ring, Dot };

// How a value of a vocabulary is drawn: on the timeline, in badges, as
// graph node fills. One table per vocabulary, keyed by its enum.
struct BadgeStyle
{
    QColor color;
    MarkerShape shape;
};

// allowed green circle, blocked vermillion square, require_approval orange
// diamond, pending sky ring, observed grey dot; none and other purple triangle.
BadgeStyle decisionStyle(Decision decision);
// trusted / internal / external / unverified: green circle, blue square,
// amber triangle, red diamond; none and other grey ring.
BadgeStyle trustStyle(Trust trust);
// The colour of the decision word it shares (blocked, enforced approval,
// matched allow); a violation is darker than any decision.
BadgeStyle governanceStyle(Governance governance);
// low green circle, medium amber triangle, high vermillion square, critical
// purple diamond; none and other grey ring.
BadgeStyle riskStyle(Risk risk);
// An anomaly's severity (0 info, 1 warn, 2 critical): info blue ring, warn
// amber triangle, critical dark red diamond; none of them the colour and shape
// of a decision, so that a warning never reads as "blocked" nor info as "allowed".
BadgeStyle severityStyle(int level);

// The identity badge: a ring in the colour of the agent's trust level, sky
// blue when the identity states none (which is not the grey of an unknown one).
BadgeStyle identityStyle(Trust trust, bool trustStated);

// The verification verdict's line (PASS green, FAIL dark red), and its check
// rows: the same two colours; invalid for "not applicable" (the text's own colour).
QColor verdictColor(bool passed);
QColor checkStatusColor(CheckStatus status);

// USER, SYS, SKILL, RAG, MEM, TOOL, AGENT, LOCAL, MCP, or the first letters
QString sourceTypeLabel(QStringView sourceType);

QPainterPath markerPath(MarkerShape shape, QPointF center, qreal radius);
void paintMarker(QPainter& p, MarkerShape shape, QPointF center, qreal radius, const QColor& color,
                 const QColor& outline);

// A marker made once and painted many times: its outline around the origin,
// its pen and its brush (each of which allocates). The timeline keeps one per
// decision, so painting ten thousand markers allocates nothing.
struct MarkerPaint
{
    QPainterPath path;
    QPen pen;
    QBrush brush;
};
MarkerPaint markerPaint(MarkerShape shape, qreal radius, const QColor& color, const QColor& outline);
void paintMarker(QPainter& p, const MarkerPaint& marker, QPointF center);

// Text colour readable on `background`.
QColor textOn(const QColor& background);

} // namespace rw
