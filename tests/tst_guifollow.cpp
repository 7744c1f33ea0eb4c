// View ▸ Follow Growing Files driven offscreen (issue 14): a file appended to
// while it is open shows its new events and traces as they arrive; the
// selected trace stays selected and the list stays at its end; a rotated file
// (or removed, then created again) is read anew and said; scrolled away from
// the end, the list stays put and the indicator says so; a loaded
// re-evaluation is run again, so that what bundle B would decide otherwise
// stays counted; with Follow off, growth is offered, not loaded.
// RW_TEST_SHOTS=DIR saves screenshots of the window.
#include "tests/guitestutil.h"
#include "views/infobar.h"
#include "views/mainwindow.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"
#include "views/policy/policycontroller.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QToolButton>
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
    void anomalyCountFollows();
};

void TestGuiFollow::followsAGrowingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log = dir.filePath(QStringLiteral("audit.jsonl"));
    const QList<QByteArray> finance = lines("finance-email-blocked.jsonl");
    const QList<QByteArray> budget = lines("budget-breach.jsonl");
    QCOMPARE(finance.size(), 10);
    // two traces: the finance one's first plan only, and the research loop (which we select)
    QVERIFY(append(log, finance.mid(0, 6) + budget, QIODevice::WriteOnly));

    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({log});
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 2);
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("research-loop-4471")));
    QVERIFY(w.tracePage().traceView()->currentIndex().row() != 0); // not the row a reset falls back to
    const std::int64_t event = w.tracePage().eventModel()->eventIndex(3);
    w.tracePage().selectEvent(event, nullptr);
    QAction* follow = w.findChild<QAction*>(QStringLiteral("followAction"));
    QLabel* indicator = w.findChild<QLabel*>(QStringLiteral("followIndicator"));
    InfoBar* info = w.findChild<InfoBar*>();
    QVERIFY(follow && indicator && info);

    // Follow off: growth is offered, never loaded behind the user's back
    QVERIFY(append(log, finance.mid(6, 1)));
    QTRY_VERIFY_WITH_TIMEOUT(info->isVisible() && info->text().contains(QStringLiteral("grew by")), 10000);
    QCOMPARE(w.session().workspace()->rows().size(), std::size_t(2));
    QCOMPARE(w.session().workspace()->totalEvents(), std::uint64_t(6 + 16));

    // on: the offer goes, what was appended meanwhile comes at once, the rest as it arrives
    follow->trigger();
    QVERIFY(indicator->isVisible());
    QVERIFY(!info->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(w.session().workspace()->totalEvents(), std::uint64_t(7 + 16), 10000);
    QCOMPARE(indicator->text(), QStringLiteral("● Following"));
    QCOMPARE(currentTrace(w), QStringLiteral("research-loop-4471")); // the selected trace and event stay
    QCOMPARE(w.tracePage().currentEvent(), event);
    QVERIFY(append(log, finance.mid(7)));
    QTRY_COMPARE_WITH_TIMEOUT(w.session().workspace()->totalEvents(), std::uint64_t(10 + 16), 10000);
    QCOMPARE(currentTrace(w), QStringLiteral("research-loop-4471"));

    // a policy re-evaluation stays live: appended decisions are re-evaluated too, quietly
    PolicyController* policy = w.findChild<PolicyController*>();
    QVERIFY(policy);
    QVERIFY(policy->loadPolicy(sample("policies/strict.yaml")));
    policy->reevaluate(PolicyController::Scope::All);
    QVERIFY(w.waitUntilIdle());
    QTRY_VERIFY_WITH_TIMEOUT(w.session().reevaluation() != nullptr, 10000);
    const std::size_t before = w.session().reevaluation()->summary.decisionPoints;
    QVERIFY(append(log, lines("untrusted-skill-restart.jsonl")));
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 3, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(w.session().reevaluation() && w.session().reevaluation()->summary.decisionPoints > before, 10000);
    QCOMPARE(currentTrace(w), QStringLiteral("research-loop-4471"));
    QVERIFY(w.waitUntilIdle());
    if (const QByteArray shots = qgetenv("RW_TEST_SHOTS"); !shots.isEmpty())
        QVERIFY(w.grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/follow-policy.png")));

    // many traces: scrolled away from the end, the list stays where it is and the indicator says so
    QList<QByteArray> many;
    for (int t = 0; t < 120; ++t)
        for (const QByteArray& l : finance.mid(0, 2))
            many << QByteArray(l).replace(QByteArrayLiteral("fin-2026-03-05-invoice-7781"), QByteArray("many-" + QByteArray::number(t)));
    QVERIFY(append(log, many));
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 123, 10000);
    QVERIFY(w.waitUntilIdle());
    QScrollBar* bar = w.tracePage().traceView()->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    bar->setValue(0);
    QTRY_VERIFY(indicator->text().contains(QStringLiteral("not scrolling")));
    QVERIFY(append(log, QList<QByteArray>{QByteArray(finance[0]).replace("fin-2026-03-05-invoice-7781", "many-late")}));
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 124, 10000);
    QTest::qWait(50);
    QCOMPARE(bar->value(), 0);
    bar->setValue(bar->maximum()); // at the end: new rows scroll into view
    QTRY_COMPARE(indicator->text(), QStringLiteral("● Following"));
    QVERIFY(append(log, QList<QByteArray>{QByteArray(finance[0]).replace("fin-2026-03-05-invoice-7781", "many-later")}));
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 125, 10000);
    QTRY_COMPARE(bar->value(), bar->maximum());

    // renamed away (logrotate's `create`, slow): said; what was loaded stays, and once a new file is
    // at the name the old one stays open under its new name, with the lines the writer added there
    QVERIFY(QFile::rename(log, log + QStringLiteral(".1")));
    QTRY_VERIFY_WITH_TIMEOUT(indicator->text().contains(QStringLiteral("audit.jsonl removed at")), 10000);
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 125); // what was loaded stays
    QVERIFY(append(log + QStringLiteral(".1"), QList<QByteArray>{QByteArray(finance[0]).replace("fin-2026-03-05-invoice-7781", "late-in-old")}));
    QVERIFY(append(log, lines("ops-restart-approval.jsonl"), QIODevice::WriteOnly));
    QTRY_VERIFY_WITH_TIMEOUT(indicator->text().contains(QStringLiteral("audit.jsonl rotated at")), 10000);
    QVERIFY2(indicator->text().contains(QStringLiteral("kept as audit.jsonl.1")), qPrintable(indicator->text()));
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 125 + 1 + 1, 10000); // the old rows, its late one, the new file's
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.session().paths(), (QStringList{log + QStringLiteral(".1"), log}));
    QCOMPARE(currentTrace(w), QStringLiteral("research-loop-4471")); // still open: still selected
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("late-in-old")));
    // the writer goes on in the renamed file for a moment: followed there too
    QVERIFY(append(log + QStringLiteral(".1"), QList<QByteArray>{QByteArray(finance[0]).replace("fin-2026-03-05-invoice-7781", "later-in-old")}));
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 128, 10000);
    // rotated in one step (rename and create between two polls)
    QVERIFY(QFile::rename(log, log + QStringLiteral(".2")));
    QVERIFY(append(log, lines("mcp-call.jsonl"), QIODevice::WriteOnly));
    QTRY_VERIFY_WITH_TIMEOUT(indicator->text().contains(QStringLiteral("kept as audit.jsonl.2")), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 129, 10000);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.session().paths(), (QStringList{log + QStringLiteral(".1"), log + QStringLiteral(".2"), log}));
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("mcp-7f3e2b1c9a")));
    if (const QByteArray shots = qgetenv("RW_TEST_SHOTS"); !shots.isEmpty())
        QVERIFY(w.grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/follow.png")));

    // off again: the indicator goes, growth is offered again
    follow->trigger();
    QVERIFY(!indicator->isVisible());
    QVERIFY(append(log, finance));
    QTRY_VERIFY_WITH_TIMEOUT(info->isVisible() && info->text().contains(QStringLiteral("grew by")), 10000);
    QVERIFY(!currentTrace(w).isEmpty());
    QVERIFY(currentTrace(w).startsWith(QStringLiteral("mcp")));
}

// the anomaly count of the status bar (and the feed) follows the growth: each load is analysed again
void TestGuiFollow::anomalyCountFollows()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
    const QList<QByteArray> runs = lines("run-incidents.jsonl"); // a run a line
    QVERIFY(runs.size() >= 3);
    QVERIFY(append(log, runs.mid(0, 1), QIODevice::WriteOnly)); // the exfiltration: one critical
    MainWindow w(MainWindow::Options{false});
    w.show();
    w.openFiles({log});
    QVERIFY(w.waitUntilIdle());
    auto* button = w.findChild<QToolButton*>(QStringLiteral("anomalyButton"));
    QVERIFY(button);
    QCOMPARE(button->text(), QStringLiteral("1 anomaly · 1 critical"));
    w.findChild<QAction*>(QStringLiteral("followAction"))->trigger();
    QVERIFY(append(log, runs.mid(1, 1))); // the credential probing: another critical
    QTRY_COMPARE_WITH_TIMEOUT(button->text(), QStringLiteral("2 anomalies · 2 critical"), 10000);
    QCOMPARE(w.session().analysis()->anomalies.size(), std::size_t{2});
}

QTEST_MAIN(TestGuiFollow)
#include "tst_guifollow.moc"
