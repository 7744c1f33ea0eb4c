#include "views/chips.h"

#include "model/visibletext.h"

#include <QPainter>

#include <algorithm>
#include <QPaintEvent>

namespace rw {

DecisionStyle riskStyle(QStringView r)
{
    if (r == u"low")
        return {QColor(0x00, 0x9E, 0x73), MarkerShape::Circle};
    if (r == u"medium")
        return {QColor(0xE6, 0x9F, 0x00), MarkerShape::Triangle};
    if (r == u"high")
        return {QColor(0xD5, 0x5E, 0x00), MarkerShape::Square};
    if (r == u"critical")
        return {QColor(0xCC, 0x79, 0xA7), MarkerShape::Diamond};
    return {QColor(0x99, 0x99, 0x99), MarkerShape::Ring};
}

std::vector<Chip> chipsFor(ChipKind kind, const QVariant& value)
{
    std::vector<Chip> chips;
    if (kind == ChipKind::Provenance) {
        // least trusted first: that is the chip an investigator must not miss
        QVariantList items = value.toList();
        auto rank = [](const QVariant& v) {
            const QString t = v.toMap().value(QStringLiteral("trust")).toString();
            return t == u"unverified" ? 0 : t == u"external" ? 1 : t == u"internal" ? 3 : t == u"trusted" ? 4 : 2;
        };
        std::stable_sort(items.begin(), items.end(), [&](const QVariant& a, const QVariant& b) { return rank(a) < rank(b); });
        if (items.isEmpty())
            chips.push_back({QStringLiteral("none"), QColor(0x99, 0x99, 0x99), MarkerShape::Ring});
        for (const QVariant& v : items) {
            const QVariantMap m = v.toMap();
            const QString trust = m.value(QStringLiteral("trust")).toString();
            const DecisionStyle s = trustStyle(trust);
            QString label = sourceTypeLabel(m.value(QStringLiteral("type")).toString());
            const QString name = m.value(QStringLiteral("name")).toString();
            if (!name.isEmpty())
                label += QLatin1Char(' ') + name;
            chips.push_back({visibleText(label + QStringLiteral(" · ") + trust), s.color, s.shape});
        }
        return chips;
    }
    if (kind == ChipKind::Agent) {
        const QVariantMap m = value.toMap();
        const QString name = m.value(QStringLiteral("name")).toString();
        const QString id = m.value(QStringLiteral("id")).toString();
        const QString trust = m.value(QStringLiteral("trust")).toString();
        if (name.isEmpty() && id.isEmpty())
            return chips;
        QString text = name.isEmpty() ? id : name;
        if (!id.isEmpty() && id != name)
            text += QStringLiteral(" · ") + id;
        if (!trust.isEmpty())
            text += QStringLiteral(" · ") + trust;
        const DecisionStyle s = trustStyle(trust);
        chips.push_back({visibleText(text), trust.isEmpty() ? QColor(0x56, 0xB4, 0xE9) : s.color, MarkerShape::Ring});
        return chips;
    }
    const QString word = value.toString();
    if (word.isEmpty())
        return chips;
    switch (kind) {
    case ChipKind::Decision: {
        const DecisionStyle s = decisionStyle(word);
        chips.push_back({visibleText(word), s.color, s.shape});
        break;
    }
    case ChipKind::Trust: {
        const DecisionStyle s = trustStyle(word);
        chips.push_back({visibleText(word), s.color, s.shape});
        break;
    }
    case ChipKind::Risk: {
        const DecisionStyle s = riskStyle(word);
        chips.push_back({visibleText(word), s.color, s.shape});
        break;
    }
    default: {
        const MarkerShape shape = word == u"violation" ? MarkerShape::Triangle
                                  : word == u"blocked"  ? MarkerShape::Square
                                  : word == u"enforced" ? MarkerShape::Diamond
                                  : word == u"matched"  ? MarkerShape::Circle
                                  : word == u"review"   ? MarkerShape::Ring
                                                        : MarkerShape::Dot;
        chips.push_back({visibleText(word), governanceColor(word), shape});
        break;
    }
    }
    return chips;
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
