#include "model/timestamp.h"

#include <QtTest>

class TestTimestamp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void roundTrip();
};

void TestTimestamp::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("micros");

    // 2026-05-17T00:00:00Z = 1778976000 s
    QTest::newRow("upstream") << QByteArray("2026-05-17T00:00:00.123456+00:00") << true << qint64(1778976000123456);
    QTest::newRow("zulu") << QByteArray("2026-05-17T00:00:00Z") << true << qint64(1778976000000000);
    QTest::newRow("no zone is UTC") << QByteArray("2026-05-17T00:00:00") << true << qint64(1778976000000000);
    QTest::newRow("millis") << QByteArray("2026-05-17T00:00:00.5Z") << true << qint64(1778976000500000);
    QTest::newRow("nanos truncated") << QByteArray("2026-05-17T00:00:00.123456789Z") << true << qint64(1778976000123456);
    QTest::newRow("plus offset") << QByteArray("2026-05-17T05:30:00+05:30") << true << qint64(1778976000000000);
    QTest::newRow("minus offset") << QByteArray("2026-05-16T16:00:00-08:00") << true << qint64(1778976000000000);
    QTest::newRow("space separator") << QByteArray("2026-05-17 00:00:00Z") << true << qint64(1778976000000000);
    QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00Z") << true << qint64(0);
    QTest::newRow("before epoch") << QByteArray("1969-12-31T23:59:59Z") << true << qint64(-1000000);
    QTest::newRow("leap day") << QByteArray("2024-02-29T00:00:00Z") << true << qint64(1709164800000000);
    QTest::newRow("feb 29 non-leap") << QByteArray("2026-02-29T00:00:00Z") << false << qint64(0);
    QTest::newRow("feb 30") << QByteArray("2026-02-30T00:00:00Z") << false << qint64(0);
    QTest::newRow("month 13") << QByteArray("2026-13-01T00:00:00Z") << false << qint64(0);
    QTest::newRow("hour 24") << QByteArray("2026-05-17T24:00:00Z") << false << qint64(0);
    QTest::newRow("leap second") << QByteArray("2026-06-30T23:59:60Z") << false << qint64(0);
    QTest::newRow("words") << QByteArray("yesterday afternoon") << false << qint64(0);
    QTest::newRow("empty") << QByteArray("") << false << qint64(0);
    QTest::newRow("date only") << QByteArray("2026-05-17") << false << qint64(0);
    QTest::newRow("trailing junk") << QByteArray("2026-05-17T00:00:00Zjunk") << false << qint64(0);
    QTest::newRow("10 fraction digits") << QByteArray("2026-05-17T00:00:00.1234567890Z") << false << qint64(0);
    QTest::newRow("bad offset") << QByteArray("2026-05-17T00:00:00+25:00") << false << qint64(0);
    QTest::newRow("arabic digits") << QByteArray("\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6-05-17T00:00:00Z") << false
                                   << qint64(0);
}

void TestTimestamp::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(qint64, micros);
    const QByteArray& utf8 = text;
    const auto result = rw::parseTimestamp(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
    QCOMPARE(result.has_value(), valid);
    if (valid)
        QCOMPARE(*result, micros);
}

void TestTimestamp::roundTrip()
{
    for (const std::int64_t t : {std::int64_t(0), std::int64_t(1778976000123456), std::int64_t(-1000000),
                                 std::int64_t(253402300799999999)}) {
        const std::string text = rw::formatTimestampUtc(t);
        const auto back = rw::parseTimestamp(text);
        QVERIFY2(back.has_value(), text.c_str());
        QCOMPARE(*back, t);
    }
    QCOMPARE(rw::formatTimestampUtc(1778976000123456), std::string("2026-05-17T00:00:00.123456Z"));
}

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
