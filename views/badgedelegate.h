#pragma once

#include <QStyledItemDelegate>

namespace rw {

// Paints badges in item views, pulling typed data by role:
//  - Provenance: a chip per provenance item (source type label + name +
//    trust), coloured and shaped by trust level;
//  - Decision / Trust / Governance: one chip with the word, coloured and
//    shaped as on the timeline.
class BadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    enum class Kind { Provenance, Decision, Trust, Governance };

    BadgeDelegate(Kind kind, int role, QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    Kind m_kind;
    int m_role;
};

} // namespace rw
