#include "views/styles.h"

#include "replay/evidence/evidenceverify.h"

#include <QPainter>

#include <iterator>

namespace rw {

namespace {
// Okabe & Ito, "Color Universal Design"
constexpr QRgb kGreen = 0x009E73;
constexpr QRgb kVermillion = 0xD55E00;
constexpr QRgb kOrange = 0xE69F00;
constexpr QRgb kSky = 0x56B4E9;
constexpr QRgb kBlue = 0x0072B2;
constexpr QRgb kPurple = 0xCC79A7;
constexpr QRgb kGrey = 0x999999;
constexpr QRgb kDarkRed = 0x992200;    // a violation, a failed verification
constexpr QRgb kDarkGreen = 0x007A55;  // a passed verification (readable as text)

struct Entry
{
    QRgb rgb;
    MarkerShape shape;
};

// in enum order, one row per value (model/vocabulary.h)
constexpr Entry kDecisionStyles[] = {
    {kPurple, MarkerShape::Triangle},    // none
    {kGreen, MarkerShape::Circle},       // allowed
    {kVermillion, MarkerShape::Square},  // blocked
    {kOrange, MarkerShape::Diamond},     // require_approval
    {kSky, MarkerShape::Ring},           // pending
    {kGrey, MarkerShape::Dot},           // observed
    {kPurple, MarkerShape::Triangle},    // other
};
constexpr Entry kTrustStyles[] = {
    {kGrey, MarkerShape::Ring},          // none
    {kGreen, MarkerShape::Circle},       // trusted
    {kBlue, MarkerShape::Square},        // internal
    {kOrange, MarkerShape::Triangle},    // external
    {kVermillion, MarkerShape::Diamond}, // unverified
    {kGrey, MarkerShape::Ring},          // other
};
constexpr Entry kGovernanceStyles[] = {
    {kGrey, MarkerShape::Dot},           // observed
    {kGreen, MarkerShape::Circle},       // matched
    {kOrange, MarkerShape::Diamond},     // enforced
    {kVermillion, MarkerShape::Square},  // blocked
    {kPurple, MarkerShape::Ring},        // review
    {kDarkRed, MarkerShape::Triangle},   // violation
};
constexpr Entry kRiskStyles[] = {
    {kGrey, MarkerShape::Ring},          // none
    {kGreen, MarkerShape::Circle},       // low
    {kOrange, MarkerShape::Triangle},    // medium
    {kVermillion, MarkerShape::Square},  // high
    {kPurple, MarkerShape::Diamond},     // critical
    {kGrey, MarkerShape::Ring},          // other
};
static_assert(std::size(kDecisionStyles) == kDecisionCount);
static_assert(std::size(kTrustStyles) == kTrustCount);
static_assert(std::size(kGovernanceStyles) == kGovernanceCount);
static_assert(std::size(kRiskStyles) == kRiskCount);

template <class E, std::size_t N> BadgeStyle styleOf(const Entry (&table)[N], E value)
{
    const Entry& e = table[vocabularyIndex(value)];
    return {QColor::fromRgb(e.rgb), e.shape};
}

} // namespace

BadgeStyle decisionStyle(Decision d) { return styleOf(kDecisionStyles, d); }
BadgeStyle trustStyle(Trust t) { return styleOf(kTrustStyles, t); }
BadgeStyle governanceStyle(Governance g) { return styleOf(kGovernanceStyles, g); }
BadgeStyle riskStyle(Risk r) { return styleOf(kRiskStyles, r); }

BadgeStyle severityStyle(int level)
{
    if (level >= 2)
        return {QColor::fromRgb(kDarkRed), MarkerShape::Diamond};
    if (level == 1)
        return {QColor::fromRgb(kOrange), MarkerShape::Triangle};
    return {QColor::fromRgb(kBlue), MarkerShape::Ring};
}

BadgeStyle identityStyle(Trust trust, bool trustStated)
{
    return {trustStated ? trustStyle(trust).color : QColor::fromRgb(kSky), MarkerShape::Ring};
}

QColor verdictColor(bool passed) { return QColor::fromRgb(passed ? kDarkGreen : kDarkRed); }

QColor checkStatusColor(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Pass: return verdictColor(true);
    case CheckStatus::Fail: return verdictColor(false);
    case CheckStatus::NotApplicable: break;
    }
    return {};
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

namespace {

// a ring is drawn by its pen alone; the other shapes are filled and outlined
QPen markerPen(MarkerShape shape, qreal r, const QColor& color, const QColor& outline)
{
    return shape == MarkerShape::Ring ? QPen(color, qMax<qreal>(1.5, r * 0.4)) : QPen(outline, 1);
}

QBrush markerBrush(MarkerShape shape, const QColor& color)
{
    return shape == MarkerShape::Ring ? QBrush(Qt::NoBrush) : QBrush(color);
}

} // namespace

void paintMarker(QPainter& p, MarkerShape shape, QPointF c, qreal r, const QColor& color, const QColor& outline)
{
    p.setPen(markerPen(shape, r, color, outline));
    p.setBrush(markerBrush(shape, color));
    p.drawPath(markerPath(shape, c, r));
}

MarkerPaint markerPaint(MarkerShape shape, qreal radius, const QColor& color, const QColor& outline)
{
    return {markerPath(shape, QPointF(0, 0), radius), markerPen(shape, radius, color, outline),
            markerBrush(shape, color)};
}

void paintMarker(QPainter& p, const MarkerPaint& marker, QPointF center)
{
    // moving the painter, not the path: a translated path would be a new one;
    // the pixels are the same as those of a path made at the centre
    const QTransform base = p.transform();
    p.setPen(marker.pen);
    p.setBrush(marker.brush);
    p.translate(center);
    p.drawPath(marker.path);
    p.setTransform(base);
}

QColor textOn(const QColor& background)
{
    return background.lightnessF() > 0.6 ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white);
}

} // namespace rw
