// View ▸ Follow Growing Files driven offscreen (issue 14): a file appended to
// while it is open shows its new events and traces as they arrive; the
// selected trace stays selected and the list stays at its end; a rotated file
// is read anew and said; a loaded re-evaluation is run again, so that what
// bundle B would decide otherwise stays counted; with Follow off, growth is
// offered, not loaded. RW_TEST_SHOTS=DIR saves a screenshot of the window.
#include "tests/guitestutil.h"
#include "views/mainwindow.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"
#include "views/policy/policycontroller.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>

using namespace rw;
using rwtest::sample;

namespace {

QList<QByteArray> lines(const char* name)
{
    QFile f(sample(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> out;
    for (const QByteArray& l : f.readAll().split('\n'))
        if (!l.trimmed().isEmpty())
            out << l + '\n';
    return out;
}

bool append(const QString& path, const QList<QByteArray>& add, QIODevice::OpenMode mode = QIODevice::Append)
{
    QFile f(path);
    if (!f.open(mode))
        return false;
    for (const QByteArray& l : add)
        if (f.write(l) != l.size())
            return false;
    return true;
}

QString currentTrace(MainWindow& w)
{
    const std::shared_ptr<const Workspace> ws = w.tracePage().workspace();
    const std::int64_t row = w.tracePage().currentRow();
    if (!ws || row < 0)
        return {};
    const std::string_view id = ws->str(ws->row(static_cast<std::size_t>(row)), ws->row(static_cast<std::size_t>(row)).traceId);
    return QString::fromUtf8(id.data(), static_cast<qsizetype>(id.size()));
}

} // namespace

class TestGuiFollow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsAGrowingFile();
};

void TestGuiFollow::followsAGrowingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("audit.jsonl"));
    const QList<QByteArray> finance = lines("finance-email-blocked.jsonl");
    QCOMPARE(finance.size(), 10);
    QVERIFY(append(log, finance.mid(0, 6), QIODevice::WriteOnly)); // its first plan only

    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({log});
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 1);
    QCOMPARE(w.tracePage().eventModel()->rowCount(), 6);
    QAction* follow = w.findChild<QAction*>(QStringLiteral("followAction"));
    QLabel* indicator = w.findChild<QLabel*>(QStringLiteral("followIndicator"));
    QVERIFY(follow && indicator);
    QVERIFY(!indicator->isVisible());

    // Follow off: growth is offered, never loaded behind the user's back
    QVERIFY(append(log, finance.mid(6, 1)));
    QTest::qWait(1500);
    QCOMPARE(w.tracePage().eventModel()->rowCount(), 6);

    // on: what was appended meanwhile comes at once, the rest as it arrives
    follow->trigger();
    QVERIFY(indicator->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().eventModel()->rowCount(), 7, 10000);
    QCOMPARE(indicator->text(), QStringLiteral("● Following"));
    const QString selected = currentTrace(w);
    QVERIFY(!selected.isEmpty());
    QVERIFY(append(log, finance.mid(7)));
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().eventModel()->rowCount(), 10, 10000);
    QCOMPARE(currentTrace(w), selected); // the same trace, its new events below

    // a policy re-evaluation stays live: appended decisions are re-evaluated too
    PolicyController* policy = w.findChild<PolicyController*>();
    QVERIFY(policy);
    QVERIFY(policy->loadPolicy(sample("policies/strict.yaml")));
    policy->reevaluate(PolicyController::Scope::All);
    QVERIFY(w.waitUntilIdle());
    QTRY_VERIFY_WITH_TIMEOUT(w.session().reevaluation() != nullptr, 10000);
    const std::size_t before = w.session().reevaluation()->summary.decisionPoints;
    QVERIFY(append(log, lines("budget-breach.jsonl")));
    QTRY_VERIFY_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount() > 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(w.session().reevaluation() && w.session().reevaluation()->summary.decisionPoints > before, 10000);
    QCOMPARE(currentTrace(w), selected);
    QVERIFY(w.waitUntilIdle());
    if (const QByteArray shots = qgetenv("RW_TEST_SHOTS"); !shots.isEmpty())
        QVERIFY(w.grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/follow-policy.png")));

    // rotated: the new file is read from its start, and the indicator says so
    QVERIFY(QFile::rename(log, log + QStringLiteral(".1")));
    QVERIFY(append(log, lines("ops-restart-approval.jsonl"), QIODevice::WriteOnly));
    QTRY_VERIFY_WITH_TIMEOUT(indicator->text().contains(QStringLiteral("audit.jsonl rotated at")), 10000);
    QVERIFY(w.waitUntilIdle());
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 1, 10000);
    QVERIFY(currentTrace(w).startsWith(QStringLiteral("ops-restart")));
    if (const QByteArray shots = qgetenv("RW_TEST_SHOTS"); !shots.isEmpty())
        QVERIFY(w.grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/follow.png")));

    // off again: the indicator goes, growth is offered again
    follow->trigger();
    QVERIFY(!indicator->isVisible());
    QVERIFY(append(log, finance));
    QTest::qWait(1500);
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 1);
}

QTEST_MAIN(TestGuiFollow)
#include "tst_guifollow.moc"
