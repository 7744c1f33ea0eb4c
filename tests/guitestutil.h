#pragma once
// Helpers of the offscreen GUI suites (tst_gui, tst_guifeatures).
#include "tests/testutil.h"

#include <QString>
#include <QTableView>
#include <QtTest>

#include <string>

namespace rwtest {

inline QString sample(const char* name) { return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + QLatin1String(name); }

// The file's line `line` (1-based) without its line end.
inline std::string fileLine(const QString& path, int line)
{
    const std::string all = readFile(path);
    std::size_t start = 0;
    for (int i = 1; i < line; ++i)
        start = all.find('\n', start) + 1;
    std::size_t end = all.find('\n', start);
    std::string text = all.substr(start, end - start);
    if (!text.empty() && text.back() == '\r')
        text.pop_back();
    return text;
}

inline void clickRow(QTableView* view, int row)
{
    const QRect r = view->visualRect(view->model()->index(row, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, r.center());
}

} // namespace rwtest
