#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>

namespace rw {

// Colours keys, strings, numbers and literals of pretty-printed JSON, and
// marks the current search term.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument* document);
    void setSearchTerm(const QString& term);

protected:
    void highlightBlock(const QString& text) override;

private:
    QRegularExpression m_token;
    QString m_search;
};

} // namespace rw
