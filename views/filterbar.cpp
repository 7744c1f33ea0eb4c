#include "filterbar.h"

#include "styles.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QToolButton>

namespace rw {

namespace {

const char* const kChipDecisions[] = {"allowed", "blocked", "require_approval", "pending", "observed"};

QIcon chipIcon(const QString& decision)
{
    // drawn at twice the size so the icon stays crisp on high-DPI screens
    QPixmap pm(32, 32);
    pm.setDevicePixelRatio(2.0);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const DecisionStyle s = decisionStyle(decision);
    paintMarker(p, s.shape, QPointF(8, 8), 5, s.color, s.color.darker(150));
    return QIcon(pm);
}

} // namespace

QString queryErrorText(const QueryError& e)
{
    const QString token = QString::fromStdString(e.token);
    switch (e.code) {
    case QueryErrorCode::None: return {};
    case QueryErrorCode::UnterminatedQuote: return FilterBar::tr("Unterminated quote starting at column %1").arg(e.position + 1);
    case QueryErrorCode::UnexpectedToken: return FilterBar::tr("Unexpected \"%1\" at column %2").arg(token).arg(e.position + 1);
    case QueryErrorCode::MissingValue: return FilterBar::tr("A value is missing at column %1").arg(e.position + 1);
    case QueryErrorCode::UnknownField:
        return FilterBar::tr("Unknown field \"%1\". Known: decision, tool, trust, agent, tenant, stage, trace, governance, "
                             "budget, reason, file, events, duration, diagnostics, violations, first_seen")
            .arg(token);
    case QueryErrorCode::OperatorNotAllowed: return FilterBar::tr("\"%1\" compares numbers and times only").arg(token);
    case QueryErrorCode::BadNumber: return FilterBar::tr("\"%1\" is not a number").arg(token);
    case QueryErrorCode::BadTime: return FilterBar::tr("\"%1\" is not a time (use 2026-03-05T14:00)").arg(token);
    case QueryErrorCode::BadDuration: return FilterBar::tr("\"%1\" is not a duration (use 1.5s, 200ms, 3m)").arg(token);
    case QueryErrorCode::UnbalancedParenthesis: return FilterBar::tr("Unbalanced parenthesis at column %1").arg(e.position + 1);
    case QueryErrorCode::EmptyGroup: return FilterBar::tr("Empty parentheses at column %1").arg(e.position + 1);
    }
    return {};
}

FilterBar::FilterBar(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    m_edit = new QLineEdit(this);
    m_edit->setPlaceholderText(tr("Filter traces: decision:blocked tool:send_email trust:unverified events>10 …  (Ctrl+F)"));
    m_edit->setAccessibleName(tr("Trace filter"));
    m_edit->setClearButtonEnabled(true);
    layout->addWidget(m_edit, 1);
    for (const char* d : kChipDecisions) {
        const QString name = QString::fromLatin1(d);
        auto* chip = new QToolButton(this);
        chip->setText(name);
        chip->setIcon(chipIcon(name));
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
    m_edit->setToolTip(m_valid ? tr("Filter: juxtaposition is AND; OR, NOT / -, parentheses, \"quotes\", "
                                    "field:value, events>10, duration>=1.5s, first_seen>=2026-03-05T14:00")
                               : queryErrorText(error));
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
