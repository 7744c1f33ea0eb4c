#pragma once

#include <QStyledItemDelegate>

namespace rw {

// Paints the cells of a ComparisonModel: changed fields tinted on both sides,
// the side a row is missing from hatched, decisions as chips, the change
// marker in its colour. Pulls everything by role.
class DiffCellDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static QColor changeColor(int rowChange);
};

} // namespace rw
