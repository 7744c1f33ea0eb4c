#pragma once

#include "views/chips.h"

#include <QStyledItemDelegate>

namespace rw {

// Paints badges in item views, pulling typed data by role (rolevalues.h):
//  - Provenance (ProvenanceBadges): a chip per provenance item (source type
//    label + name + trust), coloured and shaped by trust level;
//  - Decision / Trust / Governance / Risk (the enum): one chip with the
//    cell's DisplayRole word, coloured and shaped as on the timeline;
//  - Agent (AgentIdentity): the identity badge (name · id · trust).
class BadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using Kind = ChipKind;

    BadgeDelegate(Kind kind, int role, QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    Kind m_kind;
    int m_role;
};

} // namespace rw
