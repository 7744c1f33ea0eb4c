#include "views/styles.h"

#include <QPainter>

namespace rw {

namespace {
// Okabe & Ito, "Color Universal Design"
const QColor kGreen(0x00, 0x9E, 0x73);
const QColor kVermillion(0xD5, 0x5E, 0x00);
const QColor kOrange(0xE6, 0x9F, 0x00);
const QColor kSky(0x56, 0xB4, 0xE9);
const QColor kBlue(0x00, 0x72, 0xB2);
const QColor kPurple(0xCC, 0x79, 0xA7);
const QColor kGrey(0x99, 0x99, 0x99);
} // namespace

DecisionStyle decisionStyle(QStringView d)
{
    if (d == u"allowed" || d == u"allow")
        return {kGreen, MarkerShape::Circle};
    if (d == u"blocked" || d == u"block")
        return {kVermillion, MarkerShape::Square};
    if (d == u"require_approval")
        return {kOrange, MarkerShape::Diamond};
    if (d == u"pending")
        return {kSky, MarkerShape::Ring};
    if (d == u"observed")
        return {kGrey, MarkerShape::Dot};
    return {kPurple, MarkerShape::Triangle};
}

DecisionStyle trustStyle(QStringView t)
{
    if (t == u"trusted")
        return {kGreen, MarkerShape::Circle};
    if (t == u"internal")
        return {kBlue, MarkerShape::Square};
    if (t == u"external")
        return {kOrange, MarkerShape::Triangle};
    if (t == u"unverified")
        return {kVermillion, MarkerShape::Diamond};
    return {kGrey, MarkerShape::Ring};
}

QColor governanceColor(QStringView g)
{
    // the same colour as the decision word it shares (blocked, enforced approval,
    // matched allow); a violation is darker than any decision
    if (g == u"violation")
        return QColor(0x99, 0x22, 0x00);
    if (g == u"blocked")
        return kVermillion;
    if (g == u"enforced")
        return kOrange;
    if (g == u"matched")
        return kGreen;
    if (g == u"review")
        return kPurple;
    return kGrey;
}

QString sourceTypeLabel(QStringView t)
{
    if (t == u"user_prompt")
        return QStringLiteral("USER");
    if (t == u"system_prompt")
        return QStringLiteral("SYS");
    if (t == u"skill")
        return QStringLiteral("SKILL");
    if (t == u"retrieval_chunk")
        return QStringLiteral("RAG");
    if (t == u"memory")
        return QStringLiteral("MEM");
    if (t == u"tool_result")
        return QStringLiteral("TOOL");
    if (t == u"agent_message")
        return QStringLiteral("AGENT");
    if (t == u"local_agent")
        return QStringLiteral("LOCAL");
    if (t == u"mcp_client")
        return QStringLiteral("MCP");
    return t.left(5).toString().toUpper();
}

QPainterPath markerPath(MarkerShape shape, QPointF c, qreal r)
{
    QPainterPath path;
    switch (shape) {
    case MarkerShape::Circle:
    case MarkerShape::Ring:
        path.addEllipse(c, r, r);
        break;
    case MarkerShape::Dot:
        path.addEllipse(c, r * 0.55, r * 0.55);
        break;
    case MarkerShape::Square:
        path.addRect(QRectF(c.x() - r * 0.85, c.y() - r * 0.85, r * 1.7, r * 1.7));
        break;
    case MarkerShape::Diamond:
        path.moveTo(c.x(), c.y() - r * 1.15);
        path.lineTo(c.x() + r * 1.15, c.y());
        path.lineTo(c.x(), c.y() + r * 1.15);
        path.lineTo(c.x() - r * 1.15, c.y());
        path.closeSubpath();
        break;
    case MarkerShape::Triangle:
        path.moveTo(c.x(), c.y() - r * 1.1);
        path.lineTo(c.x() + r * 1.05, c.y() + r * 0.85);
        path.lineTo(c.x() - r * 1.05, c.y() + r * 0.85);
        path.closeSubpath();
        break;
    }
    return path;
}

void paintMarker(QPainter& p, MarkerShape shape, QPointF c, qreal r, const QColor& color, const QColor& outline)
{
    const QPainterPath path = markerPath(shape, c, r);
    if (shape == MarkerShape::Ring) {
        p.setPen(QPen(color, qMax<qreal>(1.5, r * 0.4)));
        p.setBrush(Qt::NoBrush);
    } else {
        p.setPen(QPen(outline, 1));
        p.setBrush(color);
    }
    p.drawPath(path);
}

QColor textOn(const QColor& background)
{
    return background.lightnessF() > 0.6 ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white);
}

} // namespace rw
