// The workbench driven like a person would, offscreen: open a sample, filter,
// select a trace, select an event, open the drawer and check that the raw
// bytes shown are exactly the file's line; findings panel; a growing file;
// the status bar's task rows; the shell's places for features.
#include "replay/evidence/evidenceverify.h"
#include "tests/guitestutil.h"
#include "views/diffview.h"
#include "views/eventdrawer.h"
#include "views/filterbar.h"
#include "views/graphview.h"
#include "views/infobar.h"
#include "views/jsondiffview.h"
#include "views/compare/comparisoncontroller.h"
#include "views/evidence/evidencecontroller.h"
#include "views/export/graphexport.h"
#include "views/findings/findingspanel.h"
#include "views/mainwindow.h"
#include "views/policy/policycontroller.h"
#include "views/trace/tracepage.h"
#include "views/models/comparisonmodel.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"
#include "views/reevaluationpanel.h"
#include "views/session/session.h"
#include "views/taskprogresswidget.h"
#include "views/timelineview.h"

#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTreeWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QThreadPool>
#include <QtTest>

#include <limits>
#include <sys/stat.h>

using namespace rw;
using rwtest::clickRow;
using rwtest::fileLine;
using rwtest::sample;

namespace {

// A panel as a next issue would add one (an anomaly feed, say): a class that
// takes the Workbench, registers a dock and a status widget, and listens to
// the session. Nothing of the shell is edited for it.
class ProbePanel : public QObject
{
    Q_OBJECT
public:
    explicit ProbePanel(Workbench& workbench) : QObject(workbench.host())
    {
        m_dock = new QDockWidget(QStringLiteral("Probe"), workbench.host());
        m_dock->setObjectName(QStringLiteral("probe"));
        workbench.addDock(m_dock, Qt::BottomDockWidgetArea);
        m_status = new QLabel(workbench.host());
        workbench.addStatusWidget(m_status);
        connect(&workbench.session(), &Session::workspaceChanged, this,
                [this](std::shared_ptr<const Workspace> ws) { m_status->setText(QStringLiteral("probe: %1 rows").arg(ws->rows().size())); });
    }
    QDockWidget* m_dock = nullptr;
    QLabel* m_status = nullptr;
};

bool viewMenuToggles(MainWindow& w, QDockWidget* dock)
{
    return w.menu(Workbench::Menu::View)->actions().contains(dock->toggleViewAction());
}

} // namespace

class TestGui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void featuresRegisterThemselves();
    void openFilterSelectInspect();
    void invalidFilterTurnsRed();
    void hostileFilterTurnsRed_data();
    void hostileFilterTurnsRed();
    void findingsPanel();
    void growingFile_data();
    void growingFile();
    void emptyState();
    void goToTraceClearsTheChips();
    void exportDuringReloadKeepsBoth();
    void oneStatusRowPerTask();
    void taskTitlesShowNoRawControls();
};

void TestGui::openFilterSelectInspect()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("finance-email-blocked.jsonl"), sample("ops-restart-approval.jsonl"),
                 sample("untrusted-skill-restart.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 3);
    QVERIFY(w.statusText().contains(QStringLiteral("3 traces")));

    // filter by typing, as a user does
    w.tracePage().filterBar()->lineEdit()->setFocus();
    QTest::keyClicks(w.tracePage().filterBar()->lineEdit(), QStringLiteral("decision:blocked trust:unverified"));
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 1, 5000);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().traceModel()->index(0, 0).data().toString(), QStringLiteral("skill-restart-prod-payments"));
    QVERIFY(w.statusText().contains(QStringLiteral("1 of 3 traces")));

    // a decision chip narrows further: nothing is both blocked and allowed
    w.tracePage().filterBar()->lineEdit()->clear();
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 3, 5000);
    QVERIFY(w.waitUntilIdle());

    // select the finance trace with a click
    int financeRow = -1;
    for (int r = 0; r < w.tracePage().traceModel()->rowCount(); ++r)
        if (w.tracePage().traceModel()->index(r, 0).data().toString() == QStringLiteral("fin-2026-03-05-invoice-7781"))
            financeRow = r;
    QVERIFY(financeRow >= 0);
    clickRow(w.tracePage().traceView(), financeRow);
    QCOMPARE(w.tracePage().eventModel()->rowCount(), 10);
    QCOMPARE(w.tracePage().timeline()->laneCount(), 4);

    // select the blocked decision event (row 8) with a click; the timeline follows
    clickRow(w.tracePage().eventView(), 7);
    const std::uint32_t eventIndex = w.tracePage().eventModel()->eventIndex(7);
    QCOMPARE(w.tracePage().timeline()->selectedEvent(), std::int64_t(eventIndex));

    // Enter opens the drawer; the raw bytes are exactly the file's line 8
    QTest::keyClick(w.tracePage().eventView(), Qt::Key_Return);
    QVERIFY(w.tracePage().drawerDock()->isVisible());
    QCOMPARE(w.tracePage().drawer()->rawText().toStdString(), fileLine(sample("finance-email-blocked.jsonl"), 8));
    QVERIFY(w.tracePage().drawer()->prettyText().contains(QStringLiteral("\"decision\": \"blocked\"")));

    // the timeline drives the table too: Right selects the next event
    w.tracePage().timeline()->setFocus();
    QTest::keyClick(w.tracePage().timeline(), Qt::Key_Right);
    QCOMPARE(w.tracePage().eventView()->currentIndex().row(), 8);
    QCOMPARE(w.tracePage().drawer()->rawText().toStdString(), fileLine(sample("finance-email-blocked.jsonl"), 9));

    // Esc closes the drawer
    QTest::keyClick(&w, Qt::Key_Escape);
    QVERIFY(!w.tracePage().drawerDock()->isVisible());

    // j moves to the next trace
    w.tracePage().traceView()->setFocus();
    const int before = w.tracePage().traceView()->currentIndex().row();
    QTest::keyClick(w.tracePage().traceView(), Qt::Key_J);
    QCOMPARE(w.tracePage().traceView()->currentIndex().row(), std::min(before + 1, 2));

    QVERIFY(w.tracePage().selectTrace(QStringLiteral("ops-restart-orders")));
    QCOMPARE(w.tracePage().eventModel()->rowCount(), 10);
}

void TestGui::invalidFilterTurnsRed()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    w.openFiles({sample("finance-email-blocked.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QLineEdit* edit = w.tracePage().filterBar()->lineEdit();
    QTest::keyClicks(edit, QStringLiteral("events>ten"));
    QVERIFY(!w.tracePage().filterBar()->isValid());
    QVERIFY(edit->property("queryError").toString().contains(QStringLiteral("not a number")));
    QVERIFY(edit->toolTip().contains(QStringLiteral("ten")));
    QTest::qWait(300);
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 1); // the last valid filter stays
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("events>5"));
    QVERIFY(w.tracePage().filterBar()->isValid());
    QVERIFY(edit->property("queryError").toString().isEmpty());
}

// Pasting 10,000 nested parentheses crashed the workbench (stack overflow in
// the parser): the bar turns red and says why, the list keeps its rows.
void TestGui::hostileFilterTurnsRed_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("message");
    QTest::newRow("10,000 parentheses")
        << QString(10000, QLatin1Char('(')) + QStringLiteral("x") + QString(10000, QLatin1Char(')'))
        << QStringLiteral("nested too deeply at column 65");
    QTest::newRow("30,000 NOT") << QStringLiteral("NOT ").repeated(30000) + QStringLiteral("x")
                                << QStringLiteral("nested too deeply at column 257");
}

void TestGui::hostileFilterTurnsRed()
{
    QFETCH(QString, filter);
    QFETCH(QString, message);
    MainWindow w(MainWindow::Options{false});
    w.show();
    w.openFiles({sample("finance-email-blocked.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QLineEdit* edit = w.tracePage().filterBar()->lineEdit();
    edit->setMaxLength(std::numeric_limits<int>::max());
    edit->setText(filter); // as a paste does
    QVERIFY(!w.tracePage().filterBar()->isValid());
    QVERIFY2(edit->property("queryError").toString().contains(message), qPrintable(edit->property("queryError").toString()));
    QVERIFY(edit->toolTip().contains(message));
    QTest::qWait(300);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 1);
}

void TestGui::findingsPanel()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("damaged.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(w.statusText().contains(QStringLiteral("finding")));
    auto* button = w.findChild<QToolButton*>();
    QList<QToolButton*> buttons = w.findChildren<QToolButton*>();
    QToolButton* diag = nullptr;
    for (QToolButton* b : buttons)
        if (b->text().contains(QStringLiteral("finding")))
            diag = b;
    QVERIFY(diag);
    Q_UNUSED(button);
    QTest::mouseClick(diag, Qt::LeftButton);
    QVERIFY(w.feature<FindingsPanel>()->dock()->isVisible());
    auto* table = qobject_cast<QTableView*>(w.feature<FindingsPanel>()->dock()->widget());
    QVERIFY(table);
    // double-click the invalid JSON finding: the drawer shows that raw line
    int row = -1;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        if (table->model()->index(r, 3).data().toString() == QStringLiteral("INVALID_JSON"))
            row = r;
    QVERIFY(row >= 0);
    QTRY_VERIFY(table->isVisible() && table->viewport()->height() > 40);
    table->scrollTo(table->model()->index(row, 4));
    const QRect rect = table->visualRect(table->model()->index(row, 4));
    QVERIFY(table->viewport()->rect().contains(rect.center()));
    QSignalSpy doubleClicks(table, &QTableView::doubleClicked);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(doubleClicks.size(), 1);
    QVERIFY(w.tracePage().drawerDock()->isVisible());
    QCOMPARE(w.tracePage().drawer()->rawText().toStdString(), fileLine(sample("damaged.jsonl"), 3));
}

void TestGui::growingFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("plain") << QStringLiteral("live.jsonl");
    // a name is data: shown as written, never as markup (QLabel guesses rich text otherwise)
    QTest::newRow("markup") << QStringLiteral("<b>live.jsonl");
}

void TestGui::growingFile()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    const QString path = dir.path() + QLatin1Char('/') + name;
    QVERIFY(QFile::copy(sample("ops-restart-approval.jsonl"), path));
    MainWindow w(MainWindow::Options{false});
    w.show();
    w.openFiles({path});
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().workspace()->totalEvents(), std::uint64_t(10));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write(QByteArray::fromStdString(fileLine(sample("mcp-call.jsonl"), 1)) + "\n");
    }
    QPushButton* load = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 for (QPushButton* b : w.findChildren<QPushButton*>())
                                     if (b->isVisible() && b->text() == QStringLiteral("Load new lines"))
                                         load = b;
                                 return load != nullptr;
                             }()),
                             5000);
    QVERIFY(w.infoBar()->text().startsWith(name));
    QCOMPARE(w.infoBar()->findChild<QLabel*>()->textFormat(), Qt::PlainText);
    QLabel* fileLabel = nullptr;
    for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
        if (l->text() == name)
            fileLabel = l;
    QVERIFY(fileLabel);
    QCOMPARE(fileLabel->textFormat(), Qt::PlainText);
    QTest::mouseClick(load, Qt::LeftButton);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().workspace()->totalEvents(), std::uint64_t(11));
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 2);
}

void TestGui::emptyState()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    QVERIFY(w.statusText().contains(QStringLiteral("No file")));
    w.openFiles({QStringLiteral("/nonexistent/file.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(!w.tracePage().workspace());
    bool sawError = false;
    for (QLabel* l : w.findChildren<QLabel*>())
        sawError = sawError || (l->isVisible() && l->text().contains(QStringLiteral("not found")));
    QVERIFY(sawError);
}

void TestGui::goToTraceClearsTheChips()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("finance-email-blocked.jsonl"), sample("ops-restart-approval.jsonl"),
                 sample("untrusted-skill-restart.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QToolButton* blocked = nullptr;
    for (QToolButton* chip : w.tracePage().filterBar()->findChildren<QToolButton*>())
        if (chip->text() == QStringLiteral("blocked"))
            blocked = chip;
    QVERIFY(blocked);
    blocked->click();
    QTRY_COMPARE_WITH_TIMEOUT(w.tracePage().traceModel()->rowCount(), 2, 5000);
    QVERIFY(w.waitUntilIdle());
    // the approval trace is hidden by the chip; going to it must show it and keep it shown
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("ops-restart-orders")));
    QVERIFY(w.waitUntilIdle());
    QTest::qWait(300); // past the filter bar's debounce
    QVERIFY(w.waitUntilIdle());
    QVERIFY(!blocked->isChecked());
    QCOMPARE(w.tracePage().filterBar()->effectiveQuery(), QString());
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 3);
    const QModelIndex current = w.tracePage().traceView()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(w.tracePage().traceModel()->index(current.row(), 0).data().toString(), QStringLiteral("ops-restart-orders"));
}

void TestGui::exportDuringReloadKeepsBoth()
{
    // load, re-evaluation and export shared one cancel flag: exporting during a
    // reload cancelled the reload, and the files stayed the old ones
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QStringList files = {sample("finance-email-blocked.jsonl"), sample("ops-restart-approval.jsonl"),
                               sample("untrusted-skill-restart.jsonl")};
    w.openFiles(files);
    QVERIFY(w.waitUntilIdle());
    QSignalSpy loaded(&w, &MainWindow::loaded);
    QSignalSpy exported(w.feature<EvidenceController>(), &EvidenceController::evidenceExported);
    QTemporaryDir dir;
    w.openFiles(files);
    EvidenceController::Options options;
    options.filtered = true;
    w.feature<EvidenceController>()->exportEvidence(dir.filePath(QStringLiteral("during-reload.zip")), options);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(exported.count(), 1);
    QCOMPARE(exported.at(0).at(1).toString(), QString());
}

void TestGui::oneStatusRowPerTask()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("finance-email-blocked.jsonl"), sample("ops-restart-approval.jsonl")});
    QVERIFY(w.waitUntilIdle());
    TaskRunner& runner = w.session().tasks();
    TaskProgressWidget& bar = *w.taskProgress();
    std::atomic<bool> release{false};
    auto wait = [&](const CancelToken& cancel, TaskProgress& progress) {
        progress.setStage(QStringLiteral("stage one"));
        progress.report(1, 4);
        while (!release.load() && !cancel.cancelled())
            QThread::msleep(2);
        return cancel.cancelled();
    };
    bool compareDelivered = false;
    runner.start<bool>(TaskKind::Compare, QStringLiteral("Comparing two traces"), wait, [&](bool) { compareDelivered = true; });
    runner.start<bool>(TaskKind::Verify, QStringLiteral("Verifying bundle.zip"), wait, [](bool) {});
    // rows appear once a task has run for a moment, one each, each with its own Cancel
    QTRY_COMPARE_WITH_TIMEOUT(bar.visibleRows(), 2, 5000);
    QVERIFY(bar.isVisible());
    if (qEnvironmentVariableIsSet("RW_SHOT_DIR"))
        w.grab().save(qEnvironmentVariable("RW_SHOT_DIR") + QStringLiteral("/task-rows.png"));
    QAbstractButton* cancel = nullptr;
    for (QAbstractButton* b : bar.findChildren<QAbstractButton*>())
        if (b->accessibleName() == QStringLiteral("Cancel Verifying bundle.zip"))
            cancel = b;
    QVERIFY(cancel);
    cancel->click();
    QTRY_COMPARE_WITH_TIMEOUT(bar.visibleRows(), 1, 5000);
    QVERIFY(runner.running(TaskKind::Compare)); // the other task goes on
    release = true;
    QTRY_VERIFY_WITH_TIMEOUT(compareDelivered, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(bar.visibleRows(), 0, 5000);
    QVERIFY(!bar.isVisible());
}

void TestGui::taskTitlesShowNoRawControls()
{
    // a task's title names a file, and file names are untrusted: ESC, CR and a bidi override
    TaskRunner runner;
    TaskProgressWidget bar(&runner);
    bar.show();
    std::atomic<bool> release{false};
    const QString hostile = QStringLiteral("Loading a\x1b[31mred\rb\u202Egnp.jsonl");
    runner.start<bool>(
        TaskKind::Load, hostile,
        [&](const CancelToken& cancel, TaskProgress& progress) {
            progress.setStage(hostile);
            progress.report(1, 2);
            while (!release.load() && !cancel.cancelled())
                QThread::msleep(2);
            return true;
        },
        [](bool) {});
    QTRY_COMPARE_WITH_TIMEOUT(bar.visibleRows(), 1, 5000);
    QTest::qWait(50);
    QStringList shown;
    for (const QLabel* label : bar.findChildren<QLabel*>())
        shown << label->text();
    for (const QWidget* w : bar.findChildren<QWidget*>())
        shown << w->toolTip() << w->accessibleName();
    for (const QString& text : shown)
        for (const QChar c : text)
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f && c.unicode() != 0x202e, qPrintable(text));
    release = true;
    QTRY_COMPARE_WITH_TIMEOUT(bar.visibleRows(), 0, 5000);
}

// Step 2 of the architecture issue: the shell's places are enough for a new
// dock. The built-in features registered theirs; a probe added from outside
// gets a View toggle, a hidden dock and a status widget fed by the session.
void TestGui::featuresRegisterThemselves()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    // the menus in the order the shell declares, whatever order features fill them in
    QStringList titles;
    for (QAction* a : w.menuBar()->actions())
        titles << a->text();
    QCOMPARE(titles, (QStringList{QStringLiteral("&File"), QStringLiteral("&Edit"), QStringLiteral("&Go"), QStringLiteral("&Trace"),
                                  QStringLiteral("&Policy"), QStringLiteral("&View"), QStringLiteral("&Help")}));
    QVERIFY(w.feature<PolicyController>());
    QVERIFY(w.feature<ComparisonController>());
    QVERIFY(w.feature<EvidenceController>());
    QVERIFY(w.feature<GraphExport>());
    QVERIFY(w.feature<FindingsPanel>());
    for (QDockWidget* dock : {w.tracePage().drawerDock(), w.feature<FindingsPanel>()->dock(), w.feature<PolicyController>()->dock()}) {
        QVERIFY2(viewMenuToggles(w, dock), qPrintable(dock->objectName()));
        QVERIFY(!dock->isVisible());
    }
    auto* probe = new ProbePanel(w);
    QCOMPARE(w.feature<ProbePanel>(), probe);
    QVERIFY(viewMenuToggles(w, probe->m_dock));
    QVERIFY(!probe->m_dock->isVisible());
    w.openFiles({sample("ops-restart-approval.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY2(w.statusText().contains(QStringLiteral("probe: 1 rows")), qPrintable(w.statusText()));
    w.menu(Workbench::Menu::View)->actions().at(w.menu(Workbench::Menu::View)->actions().indexOf(probe->m_dock->toggleViewAction()))->trigger();
    QVERIFY(probe->m_dock->isVisible());
}

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
