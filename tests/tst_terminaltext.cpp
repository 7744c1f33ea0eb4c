// The CLI text writer (app/common/terminaltext) and the visible-text rules it
// shares with the GUI (model/visibletext): every class of control, bidi,
// invisible and invalid input is escaped visibly, the escaping is reversible,
// and cells are cut on whole characters and escapes only.
#include "app/text/terminaltext.h"
#include "model/visibletext.h"
#include "tests/fuzz/textfuzzcheck.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

class TestTerminalText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escapes_data();
    void escapes();
    void qstringEscapes_data();
    void qstringEscapes();
    void cutAtEveryWidth_data();
    void cutAtEveryWidth();
    void cellKeepsWholeUnits_data();
    void cellKeepsWholeUnits();
    void numbersWidenNeverCut_data();
    void numbersWidenNeverCut();
    void plainTextUnchanged();
    void rawJsonStaysTheSameJson_data();
    void rawJsonStaysTheSameJson();
};

void TestTerminalText::escapes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    auto row = [](const char* name, std::string_view in, const char* out) {
        QTest::newRow(name) << QByteArray(in.data(), static_cast<qsizetype>(in.size())) << QByteArray(out);
    };
    using namespace std::string_view_literals;
    row("plain", "send_email", "send_email");
    row("NUL", "a\0b"sv, "a\\x00b");
    row("BEL", "a\ab", "a\\x07b");
    row("BS overwrite", "rm\b\b\b\bsafe_tool", "rm\\x08\\x08\\x08\\x08safe_tool");
    row("CR", "send_email\rtool: get_invoice", "send_email\\rtool: get_invoice");
    row("LF", "trace\nfake row", "trace\\nfake row");
    row("TAB", "a\tb", "a\\tb");
    row("ESC CSI erase line", "x\x1b[2Ky", "x\\x1b[2Ky");
    row("OSC 52 clipboard", "\x1b]52;c;cm0gLXJm\a", "\\x1b]52;c;cm0gLXJm\\x07");
    row("OSC title ST", "\x1b]0;pwned\x1b\\", "\\x1b]0;pwned\\x1b\\\\");
    row("DEL", "a\x7f", "a\\x7f");
    row("C1 CSI U+009B", "\xc2\x9b" "2J", "\\u009b2J");
    row("C1 NEL U+0085", "a\xc2\x85" "b", "a\\u0085b");
    row("RLO", "invoice-\xe2\x80\xaegnp.exe", "invoice-\\u202egnp.exe");
    row("LRE", "\xe2\x80\xaa", "\\u202a");
    row("PDF", "\xe2\x80\xac", "\\u202c");
    row("LRI", "\xe2\x81\xa6", "\\u2066");
    row("PDI", "\xe2\x81\xa9", "\\u2069");
    row("LRM", "\xe2\x80\x8e", "\\u200e");
    row("RLM", "\xe2\x80\x8f", "\\u200f");
    row("ALM", "\xd8\x9c", "\\u061c");
    row("ZWSP", "pay\xe2\x80\x8bments", "pay\\u200bments");
    row("ZWNJ", "\xe2\x80\x8c", "\\u200c");
    row("ZWJ", "\xe2\x80\x8d", "\\u200d");
    row("word joiner", "\xe2\x81\xa0", "\\u2060");
    row("invisible plus", "\xe2\x81\xa4", "\\u2064");
    row("BOM", "\xef\xbb\xbf" "x", "\\ufeffx");
    row("soft hyphen", "pay\xc2\xad" "ments", "pay\\u00adments");
    row("line separator", "a\xe2\x80\xa8" "b", "a\\u2028b");
    row("tag begin", "\xf3\xa0\x80\x81", "\\U000e0001");
    row("tag A", "ok\xf3\xa0\x81\x81", "ok\\U000e0041");
    row("cancel tag", "\xf3\xa0\x81\xbf", "\\U000e007f");
    row("invalid 0xff", "a\xff" "b", "a\\xffb");
    row("lone continuation", "\x80", "\\x80");
    row("truncated sequence", "\xe2\x80", "\\xe2\\x80");
    row("overlong slash", "\xc0\xaf", "\\xc0\\xaf");
    row("surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80");
    row("beyond U+10FFFF", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
    row("valid after invalid", "\xe2" "\xc3\xa9", "\\xe2\xc3\xa9");
    row("backslash doubled", "C:\\temp", "C:\\\\temp");
    row("typed escape stays distinct", "\\u202e", "\\\\u202e");
    row("accented", "caf\xc3\xa9", "caf\xc3\xa9");
    row("CJK", "\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87");
    row("emoji", "\xf0\x9f\x94\x92", "\xf0\x9f\x94\x92");
}

void TestTerminalText::escapes()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const std::string_view in(input.constData(), static_cast<std::size_t>(input.size()));
    const std::string out = rw::terminalText(in);
    QCOMPARE(QByteArray::fromStdString(out), expected);
    QCOMPARE(rw::needsVisibleEscape(in), input != expected);
    QCOMPARE(rwfuzz::terminalSafetyProblem(out), std::string());
    QCOMPARE(rwfuzz::unescapeVisible(out).value_or("(broken)"), std::string(in));
    // every prefix of the input (cut inside a sequence included) is written safely
    for (std::size_t n = 0; n <= in.size(); ++n) {
        const std::string problem = rwfuzz::checkTextInput(in.substr(0, n));
        QVERIFY2(problem.empty(), qPrintable(QStringLiteral("prefix of %1 bytes: %2").arg(n).arg(QString::fromStdString(problem))));
    }
}

void TestTerminalText::qstringEscapes_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"payments"_s << u"payments"_s;
    QTest::newRow("RLO") << u"invoice-\u202egnp.exe"_s << u"invoice-\\u202egnp.exe"_s;
    QTest::newRow("ZWSP") << u"pay\u200bments"_s << u"pay\\u200bments"_s;
    QTest::newRow("tag") << (u"ok"_s + QString::fromUcs4(U"\U000E0041", 1)) << u"ok\\U000e0041"_s;
    QTest::newRow("ESC") << u"a\x1b[2Jb"_s << u"a\\x1b[2Jb"_s;
    QTest::newRow("newline") << u"a\nb"_s << u"a\\nb"_s;
    QTest::newRow("umlaut") << u"Grüße"_s << u"Grüße"_s;
}

void TestTerminalText::qstringEscapes()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(rw::visibleText(input), expected);
}

void TestTerminalText::cutAtEveryWidth_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("ascii") << QByteArray("trace-2026-03-09-quarterly");
    QTest::newRow("two-byte") << QByteArray("caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9");
    QTest::newRow("three-byte wide") << QByteArray("\xe4\xb8\xad\xe6\x96\x87\xe5\xb7\xa5\xe5\x85\xb7 tool");
    QTest::newRow("four-byte emoji") << QByteArray("\xf0\x9f\x94\x92lock\xf0\x9f\x94\x91key");
    QTest::newRow("escapes") << QByteArray("a\x1b[2K\xe2\x80\xae" "b\rc\xff\xf3\xa0\x81\x81");
    QTest::newRow("mixed") << QByteArray("\xc3\xa9\xe4\xb8\xad\\x\xf0\x9f\x94\x92\n\xe2\x80\x8b");
    QTest::newRow("numbers") << QByteArray("v1.2.3 took 31553789.12 s, 1,024 events\x12" "34");
}

void TestTerminalText::cutAtEveryWidth()
{
    // checkTextInput fits the text into every width from 0 to two past its
    // length; feeding it every byte prefix also cuts inside each sequence
    QFETCH(QByteArray, input);
    for (qsizetype n = 0; n <= input.size(); ++n) {
        const std::string problem = rwfuzz::checkTextInput(std::string_view(input.constData(), static_cast<std::size_t>(n)));
        QVERIFY2(problem.empty(), qPrintable(QStringLiteral("prefix of %1 bytes: %2").arg(n).arg(QString::fromStdString(problem))));
    }
}

void TestTerminalText::cellKeepsWholeUnits_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("width");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("ascii padded") << QByteArray("abc") << 5 << QByteArray("abc  ");
    QTest::newRow("ascii cut") << QByteArray("abcdef") << 4 << QByteArray("abc~");
    QTest::newRow("exact fit") << QByteArray("abcd") << 4 << QByteArray("abcd");
    QTest::newRow("escape not split") << QByteArray("ab\xe2\x80\xae" "cd") << 6 << QByteArray("ab~   ");
    QTest::newRow("escape kept whole") << QByteArray("ab\xe2\x80\xae" "cd") << 9 << QByteArray("ab\\u202e~");
    QTest::newRow("wide char not split") << QByteArray("a\xe4\xb8\xad\xe6\x96\x87") << 4 << QByteArray("a\xe4\xb8\xad~");
    QTest::newRow("wide char left out") << QByteArray("ab\xe4\xb8\xad\xe6\x96\x87") << 4 << QByteArray("ab~ ");
    QTest::newRow("two-byte") << QByteArray("\xc3\xa9\xc3\xa9\xc3\xa9") << 2 << QByteArray("\xc3\xa9~");
    QTest::newRow("number not cut") << QByteArray("run-1234567") << 9 << QByteArray("run-~    ");
    QTest::newRow("decimal not cut") << QByteArray("took 31553789.12 s") << 15 << QByteArray("took ~         ");
    QTest::newRow("cut after a number") << QByteArray("id 42 and more") << 7 << QByteArray("id 42 ~");
    QTest::newRow("escape digits are no number") << QByteArray("a\x12" "345") << 7 << QByteArray("a\\x12~ ");
    QTest::newRow("width one") << QByteArray("abc") << 1 << QByteArray("~");
    QTest::newRow("width zero") << QByteArray("abc") << 0 << QByteArray("");
}

void TestTerminalText::cellKeepsWholeUnits()
{
    QFETCH(QByteArray, input);
    QFETCH(int, width);
    QFETCH(QByteArray, expected);
    const std::string cell = rw::terminalCell(std::string_view(input.constData(), static_cast<std::size_t>(input.size())),
                                              static_cast<std::size_t>(width));
    QCOMPARE(QByteArray::fromStdString(cell), expected);
}

void TestTerminalText::numbersWidenNeverCut_data()
{
    QTest::addColumn<QString>("number");
    QTest::addColumn<int>("width");
    QTest::addColumn<QString>("expected");
    QTest::newRow("fits") << u"42"_s << 6 << u"42    "_s;
    QTest::newRow("exact") << u"123456"_s << 6 << u"123456"_s;
    QTest::newRow("longer widens") << u"31553789.12 s"_s << 9 << u"31553789.12 s"_s;
}

void TestTerminalText::numbersWidenNeverCut()
{
    QFETCH(QString, number);
    QFETCH(int, width);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(rw::numberCell(number.toStdString(), static_cast<std::size_t>(width))), expected);
}

void TestTerminalText::plainTextUnchanged()
{
    // the fast path: printable ASCII without a backslash comes back as it was
    std::string all;
    for (int c = 0x20; c < 0x7f; ++c)
        if (c != '\\')
            all += static_cast<char>(c);
    QCOMPARE(rw::terminalText(all), all);
    QVERIFY(!rw::needsVisibleEscape(all));
}

void TestTerminalText::rawJsonStaysTheSameJson_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("shown");
    QTest::newRow("plain") << QByteArray(R"({"a": "b\"c\\d"})") << QByteArray(R"({"a": "b\"c\\d"})");
    QTest::newRow("RLO") << QByteArray("{\"t\": \"invoice-\xe2\x80\xaegnp.exe\"}") << QByteArray(R"({"t": "invoice-\u202egnp.exe"})");
    QTest::newRow("zero-width") << QByteArray("{\"t\": \"pay\xe2\x80\x8bments\"}") << QByteArray(R"({"t": "pay\u200bments"})");
    QTest::newRow("tag as surrogate pair") << QByteArray("{\"t\": \"ok\xf3\xa0\x81\x81\"}")
                                           << QByteArray(R"({"t": "ok\udb40\udc41"})");
    QTest::newRow("C1") << QByteArray("{\"t\": \"a\xc2\x9b\"}") << QByteArray(R"({"t": "a\u009b"})");
    QTest::newRow("CR between tokens") << QByteArray("{\"t\":\r1}") << QByteArray(R"({"t":\u000d1})");
}

void TestTerminalText::rawJsonStaysTheSameJson()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, shown);
    const std::string out = rw::visibleJson(line.toStdString());
    QCOMPARE(QByteArray::fromStdString(out), shown);
    QCOMPARE(rwfuzz::terminalSafetyProblem(out), std::string());
    // inside strings the escapes are JSON's own: the record reads the same
    if (out.find("\\u000d") == std::string::npos) // a CR between tokens was whitespace; escaped it is not
        QCOMPARE(nlohmann::json::parse(out), nlohmann::json::parse(line.toStdString()));
}

QTEST_GUILESS_MAIN(TestTerminalText)
#include "tst_terminaltext.moc"
