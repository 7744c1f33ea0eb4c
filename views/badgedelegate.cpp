#include "badgedelegate.h"

#include "styles.h"

#include <QApplication>
#include <QPainter>

namespace rw {

namespace {

struct Chip
{
    QString text;
    QColor color;
    MarkerShape shape;
};

// Draws one chip at x; returns its width (0 if it did not fit).
qreal drawChip(QPainter& p, const QRectF& cell, qreal x, const Chip& chip, const QFontMetrics& fm)
{
    const qreal h = std::min<qreal>(cell.height() - 4, fm.height() + 4);
    const qreal icon = h * 0.55;
    const qreal room = cell.right() - x - 2;
    if (room < icon + 12)
        return 0;
    const QString text = fm.elidedText(chip.text, Qt::ElideRight, static_cast<int>(room - icon - 12));
    const qreal w = std::min(room, fm.horizontalAdvance(text) + icon + 14);
    const QRectF r(x, cell.center().y() - h / 2, w, h);
    QColor fill = chip.color;
    fill.setAlphaF(0.18);
    p.setPen(QPen(chip.color, 1));
    p.setBrush(fill);
    p.drawRoundedRect(r, h / 2, h / 2);
    paintMarker(p, chip.shape, QPointF(r.left() + 4 + icon / 2, r.center().y()), icon / 2.2, chip.color, chip.color.darker(140));
    p.setPen(QApplication::palette().color(QPalette::Text));
    p.drawText(r.adjusted(icon + 8, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    return w;
}

} // namespace

BadgeDelegate::BadgeDelegate(Kind kind, int role, QObject* parent) : QStyledItemDelegate(parent), m_kind(kind), m_role(role) {}

void BadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear(); // background and selection only; the chips are the content
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    std::vector<Chip> chips;
    const QVariant value = index.data(m_role);
    if (m_kind == Kind::Provenance) {
        for (const QVariant& v : value.toList()) {
            const QVariantMap m = v.toMap();
            const QString trust = m.value(QStringLiteral("trust")).toString();
            const DecisionStyle s = trustStyle(trust);
            QString label = sourceTypeLabel(m.value(QStringLiteral("type")).toString());
            const QString name = m.value(QStringLiteral("name")).toString();
            if (!name.isEmpty())
                label += QLatin1Char(' ') + name;
            chips.push_back({label + QStringLiteral(" · ") + trust, s.color, s.shape});
        }
    } else {
        const QString word = value.toString();
        if (word.isEmpty())
            return;
        if (m_kind == Kind::Decision) {
            const DecisionStyle s = decisionStyle(word);
            chips.push_back({word, s.color, s.shape});
        } else if (m_kind == Kind::Trust) {
            const DecisionStyle s = trustStyle(word);
            chips.push_back({word, s.color, s.shape});
        } else {
            chips.push_back({word, governanceColor(word), MarkerShape::Square});
        }
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(option.rect);
    const QFontMetrics fm(option.font);
    qreal x = option.rect.left() + 3;
    for (const Chip& c : chips) {
        const qreal w = drawChip(*painter, option.rect, x, c, fm);
        if (w <= 0)
            break;
        x += w + 4;
    }
    painter->restore();
}

QSize BadgeDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(std::max(s.height(), option.fontMetrics.height() + 8));
    if (m_kind == Kind::Provenance)
        s.setWidth(std::max(s.width(), 160 * std::max<int>(1, static_cast<int>(index.data(m_role).toList().size()))));
    return s;
}

} // namespace rw
