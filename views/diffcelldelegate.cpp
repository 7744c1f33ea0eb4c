#include "views/diffcelldelegate.h"

#include "views/chips.h"
#include "views/models/comparisonmodel.h"

#include <QApplication>
#include <QPainter>

namespace rw {

QColor DiffCellDelegate::changeColor(int rowChange)
{
    // the graph overlay's mark colours: changed reddish purple, added blue, removed grey
    switch (static_cast<RowChange>(rowChange)) {
    case RowChange::Changed: return QColor(0xCC, 0x79, 0xA7);
    case RowChange::Added: return QColor(0x00, 0x72, 0xB2);
    case RowChange::Removed: return QColor(0x80, 0x80, 0x80);
    case RowChange::Same: break;
    }
    return QApplication::palette().color(QPalette::PlaceholderText);
}

void DiffCellDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const int change = index.data(ComparisonModel::ChangeRole).toInt();
    const int side = index.data(ComparisonModel::SideRole).toInt();
    const bool absent = (side == 0 && change == static_cast<int>(RowChange::Added)) ||
                        (side == 1 && change == static_cast<int>(RowChange::Removed));
    const bool selected = option.state & QStyle::State_Selected;
    if (!selected) {
        if (absent) {
            painter->fillRect(option.rect, QBrush(option.palette.color(QPalette::Mid), Qt::BDiagPattern));
        } else if (index.data(ComparisonModel::CellChangedRole).toBool()) {
            QColor tint = changeColor(static_cast<int>(RowChange::Changed));
            tint.setAlpha(70);
            painter->fillRect(option.rect, tint);
        } else if (side >= 0 && change != static_cast<int>(RowChange::Same) && change != static_cast<int>(RowChange::Changed)) {
            QColor tint = changeColor(change);
            tint.setAlpha(40);
            painter->fillRect(option.rect, tint);
        }
    }
    const QVariant decision = index.data(ComparisonModel::DecisionRole);
    if (index.column() == ComparisonModel::MarkerColumn) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        opt.backgroundBrush = {};
        QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        painter->save();
        QFont f = option.font;
        f.setBold(true);
        painter->setFont(f);
        painter->setPen(selected ? option.palette.color(QPalette::HighlightedText) : changeColor(change));
        painter->drawText(option.rect, Qt::AlignCenter, text);
        painter->restore();
        return;
    }
    const QString decisionWord = decision.isValid() ? index.data(Qt::DisplayRole).toString() : QString();
    if (!decisionWord.isEmpty()) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const std::vector<Chip> chips = chipsFor(ChipKind::Decision, decision, decisionWord);
        painter->save();
        if (selected && index.data(ComparisonModel::CellChangedRole).toBool())
            painter->fillRect(QRect(option.rect.left(), option.rect.bottom() - 2, option.rect.width(), 3),
                              changeColor(static_cast<int>(RowChange::Changed)));
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setClipRect(option.rect);
        if (!chips.empty())
            paintChip(*painter, option.rect, option.rect.left() + 3, option.rect.right(), chips.front(), QFontMetrics(option.font),
                      option.palette.color(QPalette::Text), selected ? option.palette.color(QPalette::Base) : QColor());
        painter->restore();
        return;
    }
    QStyledItemDelegate::paint(painter, option, index);
    // on the selected row the tint is hidden: a bar under the cell still says "changed"
    if (selected && index.data(ComparisonModel::CellChangedRole).toBool())
        painter->fillRect(QRect(option.rect.left(), option.rect.bottom() - 2, option.rect.width(), 3),
                          changeColor(static_cast<int>(RowChange::Changed)));
}

QSize DiffCellDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(std::max(s.height(), option.fontMetrics.height() + 8));
    return s;
}

} // namespace rw
