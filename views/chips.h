#pragma once

#include "views/models/rolevalues.h"
#include "views/styles.h"

#include <QVariant>
#include <QWidget>

#include <vector>

class QPainter;

namespace rw {

// A badge: a rounded chip with a shaped marker and a word, coloured by what
// it says. Shared by the item delegates and the drawer's badge strip.
struct Chip
{
    QString text;
    QColor color;
    MarkerShape shape;
};

enum class ChipKind { Provenance, Decision, Trust, Governance, Risk, Agent, Severity };

// Chips for a value as the models hand it out by role (rolevalues.h):
//  - Decision, Trust, Governance, Risk, Severity (an anomaly's): the enum picks colour and shape,
//    `shown` is the text (the cell's DisplayRole: the word as written,
//    escaped); no chip when it is empty, except for governance, which is
//    always one of its words;
//  - AgentIdentity, ProvenanceBadges: exact values, escaped here.
std::vector<Chip> chipsFor(ChipKind kind, const QVariant& value, const QString& shown = QString());
// Paints one chip at x, vertically centred in `row`; returns its width, 0 if
// it did not fit before `right`.
qreal paintChip(QPainter& p, const QRectF& row, qreal x, qreal right, const Chip& chip, const QFontMetrics& fm,
                const QColor& textColor, const QColor& solidBackground = QColor());

// A row of chips (the drawer header: decision, risk, agent, provenance).
class BadgeStrip : public QWidget
{
    Q_OBJECT
public:
    explicit BadgeStrip(QWidget* parent = nullptr);
    void setChips(std::vector<Chip> chips);
    const std::vector<Chip>& chips() const { return m_chips; }
    QSize sizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<Chip> m_chips;
};

} // namespace rw
