#include "views/jsonhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace rw {

JsonHighlighter::JsonHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document),
      m_token(QStringLiteral(R"(("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b)"))
{
}

void JsonHighlighter::setSearchTerm(const QString& term)
{
    if (term == m_search)
        return;
    m_search = term;
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString& text)
{
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightnessF() < 0.5;
    QTextCharFormat key, string, number, literal, hit;
    key.setForeground(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x00, 0x4f, 0x9e));
    key.setFontWeight(QFont::DemiBold);
    string.setForeground(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    number.setForeground(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
    literal.setForeground(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x80, 0x00, 0x80));
    hit.setBackground(QColor(0xE6, 0x9F, 0x00, 150));

    auto it = m_token.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedStart(1) >= 0)
            setFormat(static_cast<int>(m.capturedStart(1)), static_cast<int>(m.capturedLength(1)),
                      m.capturedStart(2) >= 0 ? key : string);
        else if (m.capturedStart(3) >= 0)
            setFormat(static_cast<int>(m.capturedStart(3)), static_cast<int>(m.capturedLength(3)), number);
        else
            setFormat(static_cast<int>(m.capturedStart(4)), static_cast<int>(m.capturedLength(4)), literal);
    }
    if (!m_search.isEmpty()) {
        for (qsizetype i = text.indexOf(m_search, 0, Qt::CaseInsensitive); i >= 0;
             i = text.indexOf(m_search, i + m_search.size(), Qt::CaseInsensitive))
            setFormat(static_cast<int>(i), static_cast<int>(m_search.size()), hit);
    }
}

} // namespace rw
