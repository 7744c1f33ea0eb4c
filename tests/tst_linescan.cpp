// The vectorised line scanner must agree with the plain byte loop everywhere:
// lines shorter and longer than a vector, newlines at every lane, NULs and
// brackets before and after the newline, and slices ending mid-vector. And
// the whole-text JSON check the batch merge runs on the rows it copies.
#include "model/jsonvalidate.h"
#include "model/linescan.h"

#include <QRandomGenerator>
#include <QtTest>
#include <string>

class TestLineScan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesScalar_data();
    void matchesScalar();
    void randomAgreement();
    void jsonObjectText_data();
    void jsonObjectText();
};

void TestLineScan::matchesScalar_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("end");
    QTest::addColumn<int>("openers");
    QTest::addColumn<bool>("nul");
    QTest::newRow("empty") << QByteArray() << 0 << 0 << false;
    QTest::newRow("newline first") << QByteArray("\n{[") << 0 << 0 << false;
    QTest::newRow("short") << QByteArray("{\"a\": [1]}\n{") << 10 << 2 << false;
    QTest::newRow("no newline") << QByteArray("{[{[") << 4 << 4 << false;
    QTest::newRow("nul after newline ignored") << QByteArray("{}\n\0", 4) << 2 << 1 << false;
    QTest::newRow("nul before newline") << QByteArray("{\0}\n", 4) << 3 << 1 << true;
    const QByteArray longLine = QByteArray(100, 'x') + "{" + QByteArray(40, '[') + "\n" + QByteArray(70, '{');
    QTest::newRow("long") << longLine << 141 << 41 << false;
    QTest::newRow("newline at lane 31") << QByteArray(31, '{') + "\n" + QByteArray(40, '{') << 31 << 31 << false;
    QTest::newRow("newline at lane 32") << QByteArray(32, '[') + "\n" + QByteArray(40, '{') << 32 << 32 << false;
}

void TestLineScan::matchesScalar()
{
    QFETCH(QByteArray, text);
    QFETCH(int, end);
    QFETCH(int, openers);
    QFETCH(bool, nul);
    const auto n = static_cast<std::size_t>(text.size());
    const rw::LineScan fast = rw::scanLine(text.constData(), 0, n);
    const rw::LineScan slow = rw::scanLineScalar(text.constData(), 0, n);
    QCOMPARE(int(fast.end), end);
    QCOMPARE(int(fast.openers), openers);
    QCOMPARE(fast.nul, nul);
    QCOMPARE(slow.end, fast.end);
    QCOMPARE(slow.openers, fast.openers);
    QCOMPARE(slow.nul, fast.nul);
}

void TestLineScan::randomAgreement()
{
    QRandomGenerator rng(1234);
    static const char kAlphabet[] = {'a', '{', '[', '}', '\n', '\0', '"', ' '};
    for (int round = 0; round < 2000; ++round) {
        std::string text(rng.bounded(0, 300), 'a');
        const int rare = rng.bounded(1, 60); // newline density varies per round
        for (char& c : text) {
            const int r = rng.bounded(0, rare + 6);
            c = r < 6 ? kAlphabet[r] : (r == rare + 5 ? '\n' : 'x');
        }
        std::size_t pos = text.empty() ? 0 : rng.bounded(0, int(text.size()));
        while (true) {
            const rw::LineScan fast = rw::scanLine(text.data(), pos, text.size());
            const rw::LineScan slow = rw::scanLineScalar(text.data(), pos, text.size());
            QCOMPARE(fast.end, slow.end);
            QCOMPARE(fast.openers, slow.openers);
            QCOMPARE(fast.nul, slow.nul);
            if (fast.end >= text.size())
                break;
            pos = fast.end + 1;
        }
    }
}

// the batch merge's check of the rows it copies: one object, valid JSON and UTF-8, nested at most the limit
void TestLineScan::jsonObjectText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    const auto nested = [](int depth) -> QByteArray { // (a QByteArray, not a builder of temporaries)
        return QByteArray(depth - 1, '[').prepend("{\"a\":") + QByteArray(depth - 1, ']') + '}';
    };
    QTest::newRow("object") << QByteArray(R"({"run_id":"r","n":[1,2,{"x":null}]})") << true;
    QTest::newRow("empty object") << QByteArray("{}") << true;
    QTest::newRow("32 deep") << nested(32) << true;
    QTest::newRow("33 deep") << nested(33) << false;
    // a value inside the deepest bracket: simdjson counts it a level down
    QTest::newRow("31 deep with a value") << QByteArray(30, '[').prepend("{\"a\":").append("1").append(QByteArray(30, ']')).append('}') << true;
    QTest::newRow("array") << QByteArray("[1]") << false;
    QTest::newRow("string") << QByteArray(R"("x")") << false;
    QTest::newRow("two objects") << QByteArray("{}{}") << false;
    QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << false;
    QTest::newRow("cut short") << QByteArray(R"({"a":"b)") << false;
    QTest::newRow("invalid utf-8") << QByteArray("{\"a\":\"\xff\"}") << false;
    QTest::newRow("non-ascii") << QByteArray("{\"a\":\"caf\xc3\xa9\"}") << true;
    QTest::newRow("empty") << QByteArray() << false;
}

void TestLineScan::jsonObjectText()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(rw::isJsonObjectText(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), 32), valid);
}

QTEST_GUILESS_MAIN(TestLineScan)
#include "tst_linescan.moc"
