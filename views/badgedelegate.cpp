#include "views/badgedelegate.h"

#include "views/styles.h"

#include <QApplication>
#include <QPainter>

namespace rw {

BadgeDelegate::BadgeDelegate(Kind kind, int role, QObject* parent) : QStyledItemDelegate(parent), m_kind(kind), m_role(role) {}

void BadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear(); // background and selection only; the chips are the content
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    // the typed value picks colour and shape, the cell's text is the chip's word
    const std::vector<Chip> chips = chipsFor(m_kind, index.data(m_role), index.data(Qt::DisplayRole).toString());
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(option.rect);
    const QFontMetrics fm(option.font);
    qreal x = option.rect.left() + 3;
    for (const Chip& c : chips) {
        const bool selected = option.state & QStyle::State_Selected;
        const qreal w = paintChip(*painter, option.rect, x, option.rect.right(), c, fm,
                                  QApplication::palette().color(QPalette::Text),
                                  selected ? QApplication::palette().color(QPalette::Base) : QColor());
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
        s.setWidth(std::max(
            s.width(), 160 * std::max<int>(1, static_cast<int>(index.data(m_role).value<ProvenanceBadges>().items.size()))));
    return s;
}

} // namespace rw
