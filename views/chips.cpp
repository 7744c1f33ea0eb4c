#include "views/chips.h"

#include "model/visibletext.h"

#include <QPainter>

#include <algorithm>
#include <QPaintEvent>

namespace rw {

namespace {

Chip chipOf(const QString& text, const BadgeStyle& style) { return {text, style.color, style.shape}; }

std::vector<Chip> provenanceChips(const ProvenanceBadges& badges)
{
    // least trusted first: that is the chip an investigator must not miss
    // (an item without a trust level ranks with the unknown ones)
    std::vector<const ProvenanceBadge*> items;
    for (const ProvenanceBadge& b : badges.items)
        items.push_back(&b);
    auto rank = [](const ProvenanceBadge* b) { return trustRank(b->trust == Trust::None ? Trust::Other : b->trust); };
    std::stable_sort(items.begin(), items.end(), [&](const auto* a, const auto* b) { return rank(a) > rank(b); });
    std::vector<Chip> chips;
    if (items.empty())
        chips.push_back(chipOf(QString::fromLatin1(trustName(Trust::None)), trustStyle(Trust::None)));
    for (const ProvenanceBadge* b : items) {
        QString label = sourceTypeLabel(b->sourceType);
        if (!b->sourceName.isEmpty())
            label += QLatin1Char(' ') + b->sourceName;
        chips.push_back(chipOf(visibleText(label + QStringLiteral(" · ") + b->trustWord), trustStyle(b->trust)));
    }
    return chips;
}

std::vector<Chip> agentChips(const AgentIdentity& a)
{
    if (a.name.isEmpty() && a.id.isEmpty())
        return {};
    QString text = a.name.isEmpty() ? a.id : a.name;
    if (!a.id.isEmpty() && a.id != a.name)
        text += QStringLiteral(" · ") + a.id;
    if (!a.trustWord.isEmpty())
        text += QStringLiteral(" · ") + a.trustWord;
    return {chipOf(visibleText(text), identityStyle(a.trust, !a.trustWord.isEmpty()))};
}

} // namespace

std::vector<Chip> chipsFor(ChipKind kind, const QVariant& value, const QString& shown)
{
    switch (kind) {
    case ChipKind::Provenance: return provenanceChips(value.value<ProvenanceBadges>());
    case ChipKind::Agent: return agentChips(value.value<AgentIdentity>());
    case ChipKind::Governance: {
        if (!value.isValid())
            return {};
        const auto g = value.value<Governance>();
        return {chipOf(shown.isEmpty() ? QString::fromLatin1(governanceName(g)) : shown, governanceStyle(g))};
    }
    case ChipKind::Decision:
    case ChipKind::Trust:
    case ChipKind::Risk:
    case ChipKind::Severity: break;
    }
    if (shown.isEmpty() || !value.isValid())
        return {};
    switch (kind) {
    case ChipKind::Decision: return {chipOf(shown, decisionStyle(value.value<Decision>()))};
    case ChipKind::Trust: return {chipOf(shown, trustStyle(value.value<Trust>()))};
    case ChipKind::Risk: return {chipOf(shown, riskStyle(value.value<Risk>()))};
    case ChipKind::Severity: {
        return {chipOf(shown, severityStyle(static_cast<int>(value.value<analysis::Severity>())))};
    }
    default: break;
    }
    return {};
}

qreal paintChip(QPainter& p, const QRectF& row, qreal x, qreal right, const Chip& chip, const QFontMetrics& fm,
                const QColor& textColor, const QColor& solidBackground)
{
    const qreal h = std::min<qreal>(row.height() - 4, fm.height() + 4);
    const qreal icon = h * 0.55;
    const qreal room = right - x - 2;
    if (room < icon + 12)
        return 0;
    const QString text = fm.elidedText(chip.text, Qt::ElideRight, static_cast<int>(room - icon - 12));
    const qreal w = std::min(room, fm.horizontalAdvance(text) + icon + 14);
    const QRectF r(x, row.center().y() - h / 2, w, h);
    QColor fill = chip.color;
    fill.setAlphaF(0.18);
    p.setPen(QPen(chip.color, 1));
    if (solidBackground.isValid()) {
        // on a selected row: an opaque chip, so it does not vanish into the highlight
        p.setBrush(solidBackground);
        p.drawRoundedRect(r, h / 2, h / 2);
    }
    p.setBrush(fill);
    p.drawRoundedRect(r, h / 2, h / 2);
    paintMarker(p, chip.shape, QPointF(r.left() + 4 + icon / 2, r.center().y()), icon / 2.2, chip.color,
                chip.color.darker(140));
    p.setPen(textColor);
    p.drawText(r.adjusted(icon + 8, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    return w;
}

BadgeStrip::BadgeStrip(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
}

void BadgeStrip::setChips(std::vector<Chip> chips)
{
    m_chips = std::move(chips);
    QStringList names;
    for (const Chip& c : m_chips)
        names << c.text;
    setAccessibleName(tr("Badges: %1").arg(names.join(QStringLiteral(", "))));
    updateGeometry();
    update();
}

QSize BadgeStrip::sizeHint() const { return {300, heightForWidth(300)}; }

int BadgeStrip::heightForWidth(int width) const
{
    // chips wrap onto as many rows as they need
    const QFontMetrics fm(font());
    const int rowHeight = fm.height() + 10;
    int rows = m_chips.empty() ? 0 : 1;
    qreal x = 0;
    for (const Chip& c : m_chips) {
        const qreal w = fm.horizontalAdvance(c.text) + fm.height() + 18;
        if (x > 0 && x + w > width) {
            ++rows;
            x = 0;
        }
        x += w;
    }
    return rows * rowHeight;
}

void BadgeStrip::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    p.setClipRect(event->rect());
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(font());
    const int rowHeight = fm.height() + 10;
    qreal x = 0;
    int row = 0;
    for (const Chip& c : m_chips) {
        const qreal want = fm.horizontalAdvance(c.text) + fm.height() + 18;
        if (x > 0 && x + want > width()) {
            ++row;
            x = 0;
        }
        const QRectF line(0, row * rowHeight, width(), rowHeight);
        const qreal w = paintChip(p, line, x, width(), c, fm, palette().color(QPalette::WindowText));
        x += w + 4;
    }
}

} // namespace rw
