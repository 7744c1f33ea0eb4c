#include "views/timelinegeometry.h"

#include <QtTest>

class TestTimelineGeometry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fitMapsRangeToWidth();
    void zoomKeepsAnchor();
    void panIsClamped();
    void zoomIsBounded();
    void ensureVisible();
    void ticks_data();
    void ticks();
};

void TestTimelineGeometry::fitMapsRangeToWidth()
{
    rw::TimelineGeometry g;
    g.setWidth(1000);
    g.setRange(1000, 11000); // 10 ms
    QCOMPARE(g.xForTime(1000), 0.0);
    QCOMPARE(g.xForTime(11000), 1000.0);
    QCOMPARE(g.xForTime(6000), 500.0);
    QCOMPARE(g.timeForX(250), std::int64_t(3500));
    QCOMPARE(g.zoom(), 1.0);
}

void TestTimelineGeometry::zoomKeepsAnchor()
{
    rw::TimelineGeometry g;
    g.setWidth(1000);
    g.setRange(0, 10000);
    const std::int64_t under = g.timeForX(300);
    g.zoomAt(300, 4);
    QCOMPARE(g.timeForX(300), under);
    QCOMPARE(g.zoom(), 4.0);
    QCOMPARE(g.visibleEnd() - g.visibleStart(), std::int64_t(2500));
    g.zoomAt(300, 0.25);
    QCOMPARE(g.zoom(), 1.0);
}

void TestTimelineGeometry::panIsClamped()
{
    rw::TimelineGeometry g;
    g.setWidth(1000);
    g.setRange(0, 10000);
    g.pan(500); // at zoom 1 there is nowhere to go
    QCOMPARE(g.visibleStart(), std::int64_t(0));
    g.zoomAt(0, 2);
    g.pan(250);
    QCOMPARE(g.visibleStart(), std::int64_t(1250));
    g.pan(100000);
    QCOMPARE(g.visibleEnd(), std::int64_t(10000));
    g.pan(-100000);
    QCOMPARE(g.visibleStart(), std::int64_t(0));
}

void TestTimelineGeometry::zoomIsBounded()
{
    rw::TimelineGeometry g;
    g.setWidth(500);
    g.setRange(0, 1000000000); // 1000 s
    g.zoomAt(0, 1e12);
    QVERIFY(g.visibleEnd() - g.visibleStart() >= 10); // 50 px per microsecond at most
    g.zoomAt(0, 1e-12);
    QCOMPARE(g.zoom(), 1.0);
}

void TestTimelineGeometry::ensureVisible()
{
    rw::TimelineGeometry g;
    g.setWidth(1000);
    g.setRange(0, 10000);
    g.zoomAt(0, 10); // shows 0..1000
    g.ensureVisible(5000, 20);
    QVERIFY(g.xForTime(5000) >= 20 && g.xForTime(5000) <= 980);
    // resizing keeps the zoom and the centre
    const double zoom = g.zoom();
    g.setWidth(500);
    QCOMPARE(g.zoom(), zoom);
}

void TestTimelineGeometry::ticks_data()
{
    QTest::addColumn<qint64>("span");
    QTest::addColumn<qint64>("step");
    QTest::newRow("10 ms in 1000 px, 100 px apart") << qint64(10000) << qint64(1000);
    QTest::newRow("7 ms") << qint64(7000) << qint64(1000);
    QTest::newRow("30 ms") << qint64(30000) << qint64(5000);
    QTest::newRow("4 min") << qint64(240000000) << qint64(50000000);
    QTest::newRow("15 us") << qint64(15) << qint64(2);
}

void TestTimelineGeometry::ticks()
{
    QFETCH(qint64, span);
    QFETCH(qint64, step);
    rw::TimelineGeometry g;
    g.setWidth(1000);
    g.setRange(0, span);
    QCOMPARE(g.tickStep(100), step);
}

QTEST_GUILESS_MAIN(TestTimelineGeometry)
#include "tst_timelinegeometry.moc"
