// The window's features driven offscreen: the execution graph and its
// export, comparisons, re-evaluation under a policy bundle, evidence export,
// verification and the evidence view.
#include "replay/evidence/evidenceverify.h"
#include "tests/guitestutil.h"
#include "views/diffview.h"
#include "views/eventdrawer.h"
#include "views/filterbar.h"
#include "views/graphview.h"
#include "views/jsondiffview.h"
#include "views/compare/comparisoncontroller.h"
#include "views/decisiontree/decisiontreetab.h"
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

class TestGuiFeatures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hiddenTraceClearsThePanes();
    void decisionTreeTab();
    void manyPlansGraphIsFolded();
    void graphSelectionSync();
    void exportGraph_data();
    void exportGraph();
    void exportRefusesInputs_data();
    void exportRefusesInputs();
    void compareTwoTraces();
    void reevaluateFilterAndCompare();
    void badPolicyBundleIsRefused();
    void exportVerifyAndOpenEvidence();
};

// 10k plans of 10k different tools used to give 10k folded nodes, 20 s of
// layout and then no graph: the graph is folded before layout and says so.
void TestGuiFeatures::manyPlansGraphIsFolded()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("many-plans.jsonl"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const std::string bytes = rwtest::manyPlansTrace(10000, 10000, 3);
        QCOMPARE(f.write(bytes.data(), qint64(bytes.size())), qint64(bytes.size()));
    }
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({path});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("big")));
    w.tracePage().tabs()->setCurrentWidget(w.tracePage().graphView());
    QVERIFY(w.waitUntilIdle());
    QTRY_VERIFY_WITH_TIMEOUT(w.tracePage().graphView()->nodeCount() > 0, 30000);
    QVERIFY(w.tracePage().graphView()->nodeCount() < 300);
    QVERIFY2(w.tracePage().graphView()->foldNote().contains(QStringLiteral("9976 execution plans were folded")),
             qPrintable(w.tracePage().graphView()->foldNote()));
}

void TestGuiFeatures::graphSelectionSync()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("untrusted-skill-restart.jsonl")});
    QVERIFY(w.waitUntilIdle());
    w.tracePage().tabs()->setCurrentWidget(w.tracePage().graphView());
    QVERIFY(w.waitUntilIdle());
    QTRY_VERIFY_WITH_TIMEOUT(w.tracePage().graphView()->nodeCount() > 0, 20000);
    // click the policy node: the table and the timeline select its event
    const ExecutionGraph& g = w.tracePage().graphView()->graph();
    const std::int64_t policy = g.findNode("plan1:policy");
    QVERIFY(policy >= 0);
    const QPoint at = w.tracePage().graphView()->mapFromScene(w.tracePage().graphView()->nodeCenter(static_cast<int>(policy)));
    QTest::mouseClick(w.tracePage().graphView()->viewport(), Qt::LeftButton, {}, at);
    const std::uint32_t event = g.nodes[static_cast<std::size_t>(policy)].events.front();
    QCOMPARE(w.tracePage().eventModel()->eventIndex(w.tracePage().eventView()->currentIndex().row()), event);
    QCOMPARE(w.tracePage().timeline()->selectedEvent(), std::int64_t(event));
    // and the reverse: selecting the last event in the table highlights the outcome node
    w.tracePage().eventView()->setCurrentIndex(w.tracePage().eventModel()->index(3, 0));
    QCOMPARE(w.tracePage().eventModel()->data(w.tracePage().eventModel()->index(3, EventTableModel::TypeColumn), Qt::DisplayRole).toString(),
             QStringLiteral("tool_blocked"));
}

// the decision tree tab: laid out when looked at, a click on a node selects its step everywhere,
// the selection elsewhere highlights it, and another trace brings its own tree
void TestGuiFeatures::decisionTreeTab()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("run-branching.json"), sample("finance-email-blocked.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("run-disk-0907")));
    auto* tab = w.feature<DecisionTreeTab>();
    QVERIFY(tab);
    GraphView* tree = tab->view();
    QCOMPARE(tree->nodeCount(), 0); // not laid out while another tab is shown
    QSignalSpy laidOut(tab, &DecisionTreeTab::laidOut);
    w.tracePage().showTab(tab->page());
    QVERIFY(laidOut.wait(30000));
    const ExecutionGraph& g = tree->graph();
    const std::int64_t abandoned = g.findNode("step:4");
    const std::int64_t alternative = g.findNode("step:3:alt1");
    QVERIFY(abandoned >= 0 && alternative >= 0);
    QCOMPARE(g.nodes[static_cast<std::size_t>(abandoned)].mark, BranchMark::Abandoned);
    // an alternative selects the step that weighed it (step 2, the third event)
    const QPoint at = tree->mapFromScene(tree->nodeCenter(static_cast<int>(alternative)));
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, at);
    const std::uint32_t event = g.nodes[static_cast<std::size_t>(alternative)].events.front();
    QCOMPARE(w.tracePage().currentEvent(), std::int64_t(event));
    QCOMPARE(w.tracePage().eventView()->currentIndex().row(), 2);
    QCOMPARE(w.tracePage().timeline()->selectedEvent(), std::int64_t(event));
    // the other trace: its own tree, the blocked plan a policy-rejected branch
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("fin-2026-03-05-invoice-7781")));
    QVERIFY(laidOut.wait(30000));
    const std::int64_t blocked = tree->graph().findNode("plan2");
    QVERIFY(blocked >= 0);
    QCOMPARE(tree->graph().nodes[static_cast<std::size_t>(blocked)].mark, BranchMark::PolicyRejected);
    // Trace ▸ Show Decision Tree (Alt+4) brings the tab back from another
    w.tracePage().showTab(w.tracePage().graphView());
    QTest::keyClick(&w, Qt::Key_4, Qt::AltModifier);
    QCOMPARE(w.tracePage().tabs()->currentWidget(), tab->page());
    // a layout cancelled from the status bar is laid out again when the tab is shown again
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("run-disk-0907")));
    w.session().tasks().cancelKind(TaskKind::DecisionTree);
    QVERIFY(w.waitUntilIdle());
    w.tracePage().showTab(w.tracePage().graphView());
    w.tracePage().showTab(tab->page());
    QTRY_VERIFY_WITH_TIMEOUT(tree->nodeCount() > 0 && tree->graph().findNode("step:4") >= 0, 30000);
}

void TestGuiFeatures::exportGraph_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("magic"); // how the written file begins; empty: nothing is written
    QTest::newRow("svg") << QStringLiteral("g.svg") << QByteArray("<?xml");
    QTest::newRow("png") << QStringLiteral("g.PNG") << QByteArray("\x89PNG\r\n");
    QTest::newRow("dot") << QStringLiteral("g.dot") << QByteArray("digraph");
    QTest::newRow("gv") << QStringLiteral("g.gv") << QByteArray("digraph");
    QTest::newRow("unknown suffix") << QStringLiteral("g.txt") << QByteArray();
}

void TestGuiFeatures::exportGraph()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, magic);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    MainWindow w(MainWindow::Options{false});
    QSignalSpy spy(w.feature<GraphExport>(), &GraphExport::graphExported);
    // nothing selected yet: refused, nothing written
    w.feature<GraphExport>()->exportGraph(path);
    QCOMPARE(spy.count(), 1);
    QVERIFY(!spy.takeFirst().at(1).toString().isEmpty());
    w.openFiles({sample("untrusted-skill-restart.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("skill-restart-prod-payments")));
    w.feature<GraphExport>()->exportGraph(path);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 20000);
    const QString error = spy.takeFirst().at(1).toString();
    QFile file(path);
    if (magic.isEmpty()) {
        QVERIFY(error.contains(QStringLiteral("txt")));
        QVERIFY(!file.exists());
        // refused at once: the load's background hashing must report back before the window goes
        // (MainWindow's hash job reaches the window through a QPointer while it is being destroyed)
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        return;
    }
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY2(bytes.startsWith(magic), bytes.left(40).constData());
    // the file is the trace's graph: the blocked tool call is in it (PNG: a real image of some size)
    if (!magic.startsWith('\x89'))
        QVERIFY(bytes.contains("restart_service"));
    else
        QVERIFY(bytes.size() > 2000);
}

void TestGuiFeatures::exportRefusesInputs_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("evidence");
    QTest::newRow("graph over the open audit file") << QStringLiteral("A.jsonl") << false;
    QTest::newRow("graph over it via a symlink") << QStringLiteral("L.dot") << false;
    QTest::newRow("graph onto a FIFO") << QStringLiteral("fifo.svg") << false;
    QTest::newRow("evidence over the open audit file") << QStringLiteral("A.jsonl") << true;
    QTest::newRow("evidence over it via a symlink") << QStringLiteral("L.dot") << true;
    QTest::newRow("evidence onto a FIFO") << QStringLiteral("fifo.svg") << true;
}

// The GUI's exports choose their file as the CLI does: never an open audit file, never a FIFO.
void TestGuiFeatures::exportRefusesInputs()
{
    QFETCH(QString, name);
    QFETCH(bool, evidence);
    QTemporaryDir dir;
    const QString audit = dir.filePath(QStringLiteral("A.jsonl"));
    QVERIFY(QFile::copy(sample("untrusted-skill-restart.jsonl"), audit));
    QVERIFY(QFile::link(QStringLiteral("A.jsonl"), dir.filePath(QStringLiteral("L.dot"))));
    QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("fifo.svg"))).constData(), 0600), 0);
    const std::string before = rwtest::readFile(audit);
    MainWindow w(MainWindow::Options{false});
    w.openFiles({audit});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("skill-restart-prod-payments")));
    QSignalSpy graphSpy(w.feature<GraphExport>(), &GraphExport::graphExported);
    QSignalSpy evidenceSpy(w.feature<EvidenceController>(), &EvidenceController::evidenceExported);
    if (evidence)
        w.feature<EvidenceController>()->exportEvidence(dir.filePath(name), EvidenceController::Options{});
    else
        w.feature<GraphExport>()->exportGraph(dir.filePath(name));
    QVERIFY(w.waitUntilIdle());
    QSignalSpy& spy = evidence ? evidenceSpy : graphSpy;
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 20000);
    QVERIFY(!spy.at(0).at(1).toString().isEmpty());
    QCOMPARE(rwtest::readFile(audit), before);
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("L.dot"))).isSymLink());
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot).size(), 3);
    // refused at once: the load's background hashing must report back before the window goes
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
}

void TestGuiFeatures::compareTwoTraces()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("ops-restart-approval.jsonl"), sample("untrusted-skill-restart.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(!w.feature<ComparisonController>()->compareWithMarked()); // nothing marked yet
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("ops-restart-orders")));
    w.feature<ComparisonController>()->markForComparison();
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("skill-restart-prod-payments")));
    QSignalSpy compared(w.feature<ComparisonController>(), &ComparisonController::compared);
    QVERIFY(w.feature<ComparisonController>()->compareWithMarked());
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(compared.count(), 1);
    QCOMPARE(w.tracePage().tabs()->currentWidget(), w.feature<ComparisonController>()->diffView());
    QVERIFY(!w.tracePage().eventView()->isVisible()); // the comparison gets the height

    // approval + approved retry on the left, one blocked plan on the right
    const ComparisonModel* model = w.feature<ComparisonController>()->diffView()->model();
    const TraceComparison& c = model->comparison();
    QCOMPARE(c.leftPlans, std::size_t(2));
    QCOMPARE(c.rightPlans, std::size_t(1));
    QVERIFY(c.removed > 0);
    QCOMPARE(c.rows.size(), std::size_t(model->rowCount()));
    // the policy decision of plan 1: require_approval on the left, blocked on the right
    int decisionRow = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->compareRow(r).step == "decision / evaluate" && model->compareRow(r).leftPlan == 1)
            decisionRow = r;
    QVERIFY(decisionRow >= 0);
    QCOMPARE(model->index(decisionRow, ComparisonModel::LeftDecisionColumn).data(ComparisonModel::DecisionRole).toString(),
             QStringLiteral("require_approval"));
    QCOMPARE(model->index(decisionRow, ComparisonModel::RightDecisionColumn).data(ComparisonModel::DecisionRole).toString(),
             QStringLiteral("blocked"));
    QVERIFY(model->index(decisionRow, ComparisonModel::RightDecisionColumn).data(ComparisonModel::CellChangedRole).toBool());

    // click the row: the JSON drawer shows both raw records and marks the changed lines
    QTableView* table = w.feature<ComparisonController>()->diffView()->table();
    clickRow(table, decisionRow);
    JsonDiffView* json = w.feature<ComparisonController>()->diffView()->jsonDiff();
    QVERIFY(json->leftText()->toPlainText().contains(QStringLiteral("\"require_approval\"")));
    QVERIFY(json->rightText()->toPlainText().contains(QStringLiteral("\"blocked\"")));
    QVERIFY(json->changeList()->count() > 0);
    bool decisionListed = false;
    for (int i = 0; i < json->changeList()->count(); ++i)
        decisionListed |= json->changeList()->item(i)->text().startsWith(QStringLiteral("/decision "));
    QVERIFY(decisionListed);
    QVERIFY(json->markedLines(0) > 0 && json->markedLines(1) > 0);

    // "only differences" hides the equal rows
    w.feature<ComparisonController>()->diffView()->onlyDifferences()->setChecked(true);
    QCOMPARE(table->model()->rowCount(), model->rowCount() - static_cast<int>(c.same));
    w.feature<ComparisonController>()->diffView()->onlyDifferences()->setChecked(false);

    // the graph overlay: removed plan 2 drawn, click a node to select its row
    w.feature<ComparisonController>()->diffView()->tabs()->setCurrentIndex(1);
    GraphView* overlay = w.feature<ComparisonController>()->diffView()->graphOverlay();
    QTRY_VERIFY(overlay->nodeCount() > 0);
    int removed = 0;
    for (int i = 0; i < overlay->nodeCount(); ++i)
        removed += overlay->nodeMark(i) == DiffMark::Removed;
    QVERIFY(removed > 0);
    const std::int64_t policy = overlay->graph().findNode("plan1:policy");
    QVERIFY(policy >= 0);
    QCOMPARE(overlay->nodeMark(static_cast<int>(policy)), DiffMark::Changed);
    const QPoint at = overlay->mapFromScene(overlay->nodeCenter(static_cast<int>(policy)));
    table->clearSelection();
    table->setCurrentIndex(table->model()->index(0, 0));
    QTest::mouseClick(overlay->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(w.feature<ComparisonController>()->diffView()->tabs()->currentIndex(), 0);
    QCOMPARE(table->currentIndex().row(), decisionRow);
}

void TestGuiFeatures::reevaluateFilterAndCompare()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("finance-email-blocked.jsonl"), sample("ops-restart-approval.jsonl"),
                 sample("untrusted-skill-restart.jsonl"), sample("legacy-lines.jsonl"), sample("mcp-call.jsonl")});
    QVERIFY(w.waitUntilIdle());
    const int allRows = w.tracePage().traceModel()->rowCount();
    QCOMPARE(allRows, 7);
    QString error;
    QVERIFY2(w.feature<PolicyController>()->loadPolicy(sample("policies/permissive.yaml"), QString(), &error), qPrintable(error));
    QSignalSpy reevaluated(w.feature<PolicyController>(), &PolicyController::reevaluated);
    w.feature<PolicyController>()->reevaluate(PolicyController::Scope::All);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(reevaluated.count(), 1);
    QVERIFY(w.feature<PolicyController>()->dock()->isVisible());
    ReevaluationPanel* panel = w.feature<PolicyController>()->panel();
    QVERIFY2(panel->headerText().contains(QStringLiteral("7 traces")), qPrintable(panel->headerText()));

    // click a flip count: the trace list shows exactly the traces behind it
    QTreeWidgetItem* flip = panel->findItem(QStringLiteral("flips"), QStringLiteral("blocked->allowed"));
    QVERIFY(flip);
    const QRect r = panel->tree()->visualItemRect(flip);
    QTest::mouseClick(panel->tree()->viewport(), Qt::LeftButton, {}, r.center());
    QVERIFY(w.waitUntilIdle());
    QVERIFY(w.feature<PolicyController>()->hasRestriction());
    const int behind = flip->text(1).section(QStringLiteral(" · "), 1).toInt();
    QVERIFY(behind > 0);
    QCOMPARE(w.tracePage().traceModel()->rowCount(), behind);
    QStringList ids;
    for (int row = 0; row < w.tracePage().traceModel()->rowCount(); ++row)
        ids << w.tracePage().traceModel()->index(row, 0).data().toString();
    QVERIFY2(ids.contains(QStringLiteral("fin-2026-03-05-invoice-7781")), qPrintable(ids.join(QLatin1Char(' '))));
    QVERIFY(!ids.contains(QStringLiteral("mcp-7f3e2b1c9a")));
    // the filter still applies on top of the restriction
    w.tracePage().filterBar()->setText(QStringLiteral("tool:send_email"));
    QTRY_COMPARE(w.tracePage().traceModel()->rowCount(), 1);
    w.tracePage().filterBar()->setText(QString());
    QTRY_COMPARE(w.tracePage().traceModel()->rowCount(), behind);
    w.feature<PolicyController>()->clearRestriction();
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().traceModel()->rowCount(), allRows);

    // not-replayable points are listed and open their event
    QTreeWidgetItem* point = panel->findItem(QStringLiteral("not-replayable"), QString());
    QVERIFY(point);
    QTest::mouseClick(panel->tree()->viewport(), Qt::LeftButton, {}, panel->tree()->visualItemRect(point).center());
    QVERIFY(w.tracePage().drawerDock()->isVisible());

    // the fraudulent email: blocked as recorded, allowed under the permissive bundle
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("fin-2026-03-05-invoice-7781")));
    QVERIFY(w.feature<ComparisonController>()->compareWithReevaluation());
    QVERIFY(w.waitUntilIdle());
    const ComparisonModel* model = w.feature<ComparisonController>()->diffView()->model();
    int flipped = -1;
    for (int row = 0; row < model->rowCount(); ++row) {
        const CompareRow& cr = model->compareRow(row);
        if (cr.fieldChanged(CompareField::Decision))
            flipped = row;
        // a re-evaluation never adds or removes steps
        QCOMPARE(cr.left, cr.right);
    }
    QVERIFY(flipped >= 0);
    QCOMPARE(model->index(flipped, ComparisonModel::LeftToolColumn).data().toString(), QStringLiteral("send_email"));
    QCOMPARE(model->index(flipped, ComparisonModel::RightDecisionColumn).data(ComparisonModel::DecisionRole).toString(),
             QStringLiteral("allowed"));
    clickRow(w.feature<ComparisonController>()->diffView()->table(), flipped);
    bool decisionListed = false;
    for (int i = 0; i < w.feature<ComparisonController>()->diffView()->jsonDiff()->changeList()->count(); ++i)
        decisionListed |= w.feature<ComparisonController>()->diffView()->jsonDiff()->changeList()->item(i)->text().startsWith(QStringLiteral("/decision "));
    QVERIFY(decisionListed);
    // and the overlay shows the policy node changed
    w.feature<ComparisonController>()->diffView()->tabs()->setCurrentIndex(1);
    GraphView* overlay = w.feature<ComparisonController>()->diffView()->graphOverlay();
    QTRY_VERIFY(overlay->nodeCount() > 0);
    const std::int64_t policy = overlay->graph().findNode("plan2:policy");
    QVERIFY(policy >= 0);
    QCOMPARE(overlay->nodeMark(static_cast<int>(policy)), DiffMark::Changed);
}

void TestGuiFeatures::badPolicyBundleIsRefused()
{
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.yaml"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("rules:\n  - tool: x\n    action: explode\n");
    f.close();
    MainWindow w(MainWindow::Options{false});
    w.openFiles({sample("finance-email-blocked.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QString error;
    QVERIFY(!w.feature<PolicyController>()->loadPolicy(bad, QString(), &error));
    QVERIFY2(error.contains(QStringLiteral("bad.yaml:3")), qPrintable(error));
    QVERIFY(!w.feature<ComparisonController>()->compareWithReevaluation()); // no bundle loaded
    QVERIFY(!w.feature<PolicyController>()->loadPolicy(dir.filePath(QStringLiteral("missing.yaml")), QString(), &error));
    QVERIFY(!error.isEmpty());
}

void TestGuiFeatures::exportVerifyAndOpenEvidence()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.openFiles({sample("finance-email-blocked.jsonl"), sample("untrusted-skill-restart.jsonl"), sample("ops-restart-approval.jsonl")});
    QVERIFY(w.waitUntilIdle());
    w.tracePage().filterBar()->setText(QStringLiteral("tool:restart_service"));
    QTRY_COMPARE(w.tracePage().traceModel()->rowCount(), 2);
    QVERIFY(w.waitUntilIdle());
    QTemporaryDir dir;
    const QString bundle = dir.filePath(QStringLiteral("bundle.zip"));
    QSignalSpy exported(w.feature<EvidenceController>(), &EvidenceController::evidenceExported);
    EvidenceController::Options options;
    options.filtered = true;
    options.examiner = QStringLiteral("GUI examiner");
    options.caseId = QStringLiteral("CASE-GUI");
    options.includeAnalysis = true; // the run-trace analysis goes in, and is verified
    w.feature<EvidenceController>()->exportEvidence(bundle, options);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(exported.count(), 1);
    QCOMPARE(exported.at(0).at(1).toString(), QString());
    QVERIFY(QFile::exists(bundle));

    QSignalSpy verified(w.feature<EvidenceController>(), &EvidenceController::evidenceVerified);
    w.feature<EvidenceController>()->verifyEvidence(bundle, QString(), {sample("untrusted-skill-restart.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(verified.count(), 1);
    QVERIFY(verified.at(0).at(0).toBool());
    QCOMPARE(w.feature<EvidenceController>()->lastVerification()->manifest["case_id"].get<std::string>(), std::string("CASE-GUI"));
    for (const char* item : {"analysis report", "analysis configuration", "analysis witnesses"}) {
        bool passed = false;
        for (const CheckItem& i : w.feature<EvidenceController>()->lastVerification()->items)
            passed = passed || (i.item == item && i.status == CheckStatus::Pass);
        QVERIFY2(passed, item);
    }
    QCOMPARE(w.feature<EvidenceController>()->lastVerification()->manifest["selection"]["filter"].get<std::string>(), std::string("tool:restart_service"));
    QWidget* report = w.feature<EvidenceController>()->showVerification();
    QVERIFY(report && report->isVisible());
    report->close();

    // the evidence view: the bundle's original lines, opened read-only
    QVERIFY(w.feature<EvidenceController>()->openVerifiedBundle());
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().workspace()->fileCount(), std::size_t(1));
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 2);
    QVERIFY(QString::fromStdString(w.tracePage().workspace()->file(0).path()).endsWith(QStringLiteral("bundle-lines.jsonl")));

    // a file that is not a bundle fails, and is never opened
    w.feature<EvidenceController>()->verifyEvidence(sample("mcp-call.jsonl"));
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(verified.count(), 2);
    QVERIFY(!verified.at(1).at(0).toBool());
    QVERIFY(!w.feature<EvidenceController>()->openVerifiedBundle());
    // nothing selected and "selected trace" asked: refused with a reason
    w.openFiles({sample("mcp-call.jsonl")});
    QVERIFY(w.waitUntilIdle());
    w.tracePage().traceView()->clearSelection();
}

// A filter or a restriction that hides the selected trace must not leave its
// events below the list, read as if they belonged to the traces shown.
void TestGuiFeatures::hiddenTraceClearsThePanes()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    w.openFiles({sample("finance-email-blocked.jsonl"), sample("ops-restart-approval.jsonl")});
    QVERIFY(w.waitUntilIdle());
    TracePage& page = w.tracePage();
    QVERIFY(page.selectTrace(QStringLiteral("ops-restart-orders")));
    QVERIFY(page.eventModel()->rowCount() > 0);
    const std::int64_t shown = page.currentRow();
    std::vector<std::uint32_t> others;
    for (std::uint32_t r = 0; r < page.workspace()->rows().size(); ++r)
        if (r != shown)
            others.push_back(r);
    w.feature<PolicyController>()->restrictToRows(QStringLiteral("a test"), others);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(page.traceModel()->rowCount(), int(others.size()));
    QCOMPARE(page.currentRow(), std::int64_t(-1));
    QCOMPARE(page.eventModel()->rowCount(), 0);
    QVERIFY(!page.traceView()->currentIndex().isValid());
    // and it comes back when shown again
    w.feature<PolicyController>()->clearRestriction();
    QVERIFY(w.waitUntilIdle());
    QVERIFY(page.selectTrace(QStringLiteral("ops-restart-orders")));
    QVERIFY(page.eventModel()->rowCount() > 0);
}

QTEST_MAIN(TestGuiFeatures)
#include "tst_guifeatures.moc"
