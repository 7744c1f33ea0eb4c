#include "views/infobar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace rw {

InfoBar::InfoBar(QWidget* parent) : QFrame(parent)
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::ToolTipBase));
    pal.setColor(QPalette::WindowText, pal.color(QPalette::ToolTipText));
    setPalette(pal);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    m_label = new QLabel(this);
    m_label->setWordWrap(true);
    // messages quote file names, trace ids and policy text: never read as markup
    m_label->setTextFormat(Qt::PlainText);
    m_action = new QPushButton(this);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAccessibleName(tr("Dismiss message"));
    layout->addWidget(m_label, 1);
    layout->addWidget(m_action);
    layout->addWidget(close);
    hide();
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT dismissed();
    });
    connect(m_action, &QPushButton::clicked, this, [this] {
        hide();
        if (m_callback)
            m_callback();
    });
}

void InfoBar::showMessage(const QString& text, const QString& action, std::function<void()> onAction)
{
    m_label->setText(text);
    m_action->setText(action);
    m_action->setVisible(!action.isEmpty());
    m_callback = std::move(onAction);
    show();
}

QString InfoBar::text() const
{
    return m_label->text();
}

} // namespace rw
