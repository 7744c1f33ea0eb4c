#include "views/filterbar.h"

#include "app/text/queryhelptext.h"
#include "views/styles.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QSignalBlocker>
#include <QToolButton>

namespace rw {

namespace {

// the decisions a trace can end with, in the order a reader scans for them
constexpr Decision kChipDecisions[] = {Decision::Allowed, Decision::Blocked, Decision::RequireApproval,
                                       Decision::Pending, Decision::Observed};

QIcon chipIcon(Decision decision)
{
    // drawn at twice the size so the icon stays crisp on high-DPI screens
    QPixmap pm(32, 32);
    pm.setDevicePixelRatio(2.0);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const BadgeStyle s = decisionStyle(decision);
    paintMarker(p, s.shape, QPointF(8, 8), 5, s.color, s.color.darker(150));
    return QIcon(pm);
}

} // namespace

FilterBar::FilterBar(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    m_edit = new QLineEdit(this);
    m_edit->setPlaceholderText(tr("Filter traces: decision:blocked tool:send_email trust:unverified events>10 …  (Ctrl+F)"));
    m_edit->setAccessibleName(tr("Trace filter"));
    m_edit->setClearButtonEnabled(true);
    layout->addWidget(m_edit, 1);
    for (const Decision d : kChipDecisions) {
        const QString name = QString::fromLatin1(decisionName(d));
        auto* chip = new QToolButton(this);
        chip->setText(name);
        chip->setIcon(chipIcon(d));
        chip->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        chip->setCheckable(true);
        chip->setAutoRaise(false); // a button with a visible on/off state, not a legend
        chip->setAccessibleName(tr("Show only %1 traces").arg(name));
        chip->setToolTip(tr("Only traces whose final decision is %1 (combine several)").arg(name));
        layout->addWidget(chip);
        m_chips.push_back(chip);
        connect(chip, &QToolButton::toggled, this, &FilterBar::scheduleEmit);
    }
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(120);
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        if (m_valid)
            Q_EMIT queryChanged(effectiveQuery());
    });
    connect(m_edit, &QLineEdit::textChanged, this, [this] {
        validate();
        scheduleEmit();
    });
}

void FilterBar::setText(const QString& text)
{
    m_edit->setText(text);
    validate();
    m_debounce.stop();
    if (m_valid)
        Q_EMIT queryChanged(effectiveQuery());
}

void FilterBar::clear()
{
    // the chips first, quietly: the one query emitted below must be the empty one
    for (QToolButton* chip : m_chips) {
        const QSignalBlocker quiet(chip);
        chip->setChecked(false);
    }
    setText(QString());
}

void FilterBar::validate()
{
    const QString text = m_edit->text();
    QueryError error;
    TraceQuery::parse(text.toStdString(), &error);
    m_valid = error.code == QueryErrorCode::None;
    QPalette pal = palette();
    if (!text.trimmed().isEmpty()) {
        const bool dark = pal.color(QPalette::Base).lightnessF() < 0.5;
        const QColor ok = dark ? QColor(0x1e, 0x4d, 0x2b) : QColor(0xd4, 0xf4, 0xdc);
        const QColor bad = dark ? QColor(0x5c, 0x1e, 0x1e) : QColor(0xfc, 0xd9, 0xd2);
        pal.setColor(QPalette::Base, m_valid ? ok : bad);
    }
    m_edit->setPalette(pal);
    m_edit->setToolTip(m_valid ? filterTooltipText() : queryErrorText(error));
    m_edit->setProperty("queryError", m_valid ? QString() : queryErrorText(error));
}

void FilterBar::scheduleEmit() { m_debounce.start(); }

QString FilterBar::effectiveQuery() const
{
    QStringList chips;
    for (QToolButton* chip : m_chips)
        if (chip->isChecked())
            chips << QStringLiteral("decision:") + chip->text();
    const QString text = m_edit->text().trimmed();
    if (chips.isEmpty())
        return text;
    const QString chipQuery = QLatin1Char('(') + chips.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    return text.isEmpty() ? chipQuery : QLatin1Char('(') + text + QStringLiteral(") ") + chipQuery;
}

} // namespace rw
