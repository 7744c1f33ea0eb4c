// The session without widgets, as heaptrack tests its parser: load, filter,
// restrict, re-evaluate and export through its signals, and the task runner's
// rules (latest wins within a kind, never across kinds; progress by change;
// nothing delivered after a cancel). The shared-cancel bugs of the window
// (a reload cancelled by an export, a re-evaluation outliving its workspace)
// are pinned here.
#include "model/taskrunner.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/minisign.h"
#include "replay/policy/policybundle.h"
#include "views/session/session.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <numeric>

using namespace rw;

namespace {

QString sample(const char* name) { return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + QLatin1String(name); }

QStringList allSamples()
{
    return {sample("finance-email-blocked.jsonl"), sample("mcp-call.jsonl"), sample("ops-restart-approval.jsonl"),
            sample("untrusted-skill-restart.jsonl"), sample("budget-breach.jsonl")};
}

std::shared_ptr<const PolicyEngine> strictPolicy()
{
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(sample("policies/strict.yaml").toStdString(), diagnostics);
    if (!bundle)
        return nullptr;
    return std::make_shared<const PolicyEngine>(*bundle, nullptr);
}

// rows the filter language selects on its own, for comparison
std::vector<std::uint32_t> expectedRows(const Workspace& ws, const char* query)
{
    QueryError error;
    return TraceQuery::parse(query, &error).filter(ws);
}

bool waitFor(QSignalSpy& spy, int count = 1)
{
    return spy.count() >= count || QTest::qWaitFor([&] { return spy.count() >= count; }, 20000);
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openDeliversTheFilteredListOnce();
    void badFilterChangesNothing();
    void restrictionNarrowsTheFilter();
    void latestOpenWins();
    void exportDuringReloadCancelsNeither();
    void reloadDropsTheReevaluation();
    void loadAppendedReadsOnlyWhatChanged();
    void rotationChainReadsEachFileOnce();
    void analysisFollowsEveryLoad();
    void compareTwoTracesAndWithThePolicy();
    void exportNotesReachTheFrontEnd();
    void exportAssemblesTheRequestInItsTask();
    void openFailuresAreCodes();
    void verificationNamesNoFlags();
    void progressOnlyWhenItChanges();
    void cancelledTaskDeliversNothing();
};

void TestSession::openDeliversTheFilteredListOnce()
{
    Session s;
    QVERIFY(s.setFilter(QStringLiteral("decision:blocked")));
    QSignalSpy changed(&s, &Session::workspaceChanged);
    QSignalSpy visible(&s, &Session::visibleRowsChanged);
    s.open(allSamples());
    QVERIFY(waitFor(changed));
    QTest::qWait(50);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(visible.count(), 0); // no flash of every trace before the filtered list
    const auto rows = changed.first().at(1).value<RowList>();
    QVERIFY(rows);
    QCOMPARE(*rows, expectedRows(*s.workspace(), "decision:blocked"));
    QVERIFY(!rows->empty() && rows->size() < s.workspace()->rows().size());
}

void TestSession::badFilterChangesNothing()
{
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open(allSamples());
    QVERIFY(waitFor(changed));
    const RowList before = s.visibleRows();
    QueryError error;
    QVERIFY(!s.setFilter(QStringLiteral("decision:"), &error));
    QVERIFY(error.code != QueryErrorCode::None);
    QCOMPARE(s.filter(), QString());
    QCOMPARE(s.visibleRows(), before);
}

void TestSession::restrictionNarrowsTheFilter()
{
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open(allSamples());
    QVERIFY(waitFor(changed));
    QSignalSpy visible(&s, &Session::visibleRowsChanged);
    s.restrictTo(std::make_shared<const std::vector<std::uint32_t>>(std::vector<std::uint32_t>{0, 1}));
    QVERIFY(waitFor(visible));
    QCOMPARE(*s.visibleRows(), (std::vector<std::uint32_t>{0, 1}));
    QVERIFY(s.setFilter(QStringLiteral("trace:") + QString::fromStdString(std::string(s.workspace()->str(s.workspace()->row(1), s.workspace()->row(1).traceId)))));
    QVERIFY(waitFor(visible, 2));
    QCOMPARE(*s.visibleRows(), (std::vector<std::uint32_t>{1}));
}

void TestSession::latestOpenWins()
{
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    QSignalSpy finished(&s.tasks(), &TaskRunner::taskFinished);
    const TaskId first = s.open({sample("mcp-call.jsonl")});
    const TaskId second = s.open({sample("budget-breach.jsonl")});
    QVERIFY(first != second);
    QVERIFY(waitFor(changed));
    QTest::qWait(100);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(s.paths().size(), 1);
    QVERIFY(s.paths().front().endsWith(QStringLiteral("budget-breach.jsonl")));
    // the superseded load's row went at once, as cancelled
    QCOMPARE(finished.first().at(0).value<TaskId>(), first);
    QCOMPARE(finished.first().at(2).toBool(), true);
}

void TestSession::exportDuringReloadCancelsNeither()
{
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open(allSamples());
    QVERIFY(waitFor(changed));
    QTemporaryDir dir;
    QSignalSpy exported(&s, &Session::evidenceExported);
    QSignalSpy finished(&s.tasks(), &TaskRunner::taskFinished);
    // the window shared one cancel flag: starting the export cancelled the reload
    const TaskId reload = s.open(allSamples());
    EvidenceChoice choice;
    choice.rows = {0};
    choice.graphSvg = false;
    const TaskId exporting = s.exportEvidence(dir.filePath(QStringLiteral("e.zip")).toStdString(), choice);
    QVERIFY(waitFor(changed, 2));
    QVERIFY(waitFor(exported));
    const auto result = exported.first().at(0).value<EvidenceResult>();
    QVERIFY2(result.ok, result.error.c_str());
    QVERIFY(waitFor(finished, 2));
    int seen = 0;
    for (const QList<QVariant>& f : finished) {
        const TaskKind kind = f.at(1).value<TaskKind>();
        if (kind == TaskKind::Analyze || kind == TaskKind::Hash)
            continue; // the analyses that follow each load
        QVERIFY(f.at(0).value<TaskId>() == reload || f.at(0).value<TaskId>() == exporting);
        QCOMPARE(f.at(2).toBool(), false); // neither cancelled
        ++seen;
    }
    QCOMPARE(seen, 2);
}

void TestSession::reloadDropsTheReevaluation()
{
    const auto policy = strictPolicy();
    QVERIFY(policy);
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open(allSamples());
    QVERIFY(waitFor(changed));
    s.setPolicy(policy);
    QSignalSpy reevaluated(&s, &Session::reevaluated);
    std::vector<std::uint32_t> all(s.workspace()->rows().size());
    std::iota(all.begin(), all.end(), 0u);
    s.reevaluate(all);
    QVERIFY(waitFor(reevaluated));
    QVERIFY(s.reevaluation());
    QCOMPARE(s.reevaluation()->rows.size(), all.size());
    // its rows name the old workspace: a reload clears it, and says so
    QSignalSpy cleared(&s, &Session::reevaluationCleared);
    s.open({sample("mcp-call.jsonl")});
    QVERIFY(waitFor(changed, 2));
    QCOMPARE(cleared.count(), 1);
    QVERIFY(!s.reevaluation());
}

// Follow's reload: an unchanged file is kept (the same model), a grown one
// extended to what a fresh open gives, a file removed meanwhile kept as loaded
void TestSession::loadAppendedReadsOnlyWhatChanged()
{
    QTemporaryDir dir;
    const QString grown = dir.path() + QStringLiteral("/grown.jsonl");
    const QString still = dir.path() + QStringLiteral("/still.jsonl");
    QVERIFY(QFile::copy(sample("mcp-call.jsonl"), grown));
    QVERIFY(QFile::copy(sample("budget-breach.jsonl"), still));
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    QSignalSpy failed(&s, &Session::openFailed);
    s.open({grown, still});
    QVERIFY(waitFor(changed));
    const std::shared_ptr<const ReplayModel> stillModel = s.workspace()->sharedFile(1);
    const std::size_t before = s.workspace()->file(0).eventCount();

    // a new trace and one more event of an existing one, the second line unfinished for now
    QFile source(sample("finance-email-blocked.jsonl"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QList<QByteArray> extra = source.readAll().split('\n');
    QVERIFY(extra.size() > 3);
    {
        QFile f(grown);
        QVERIFY(f.open(QIODevice::Append));
        f.write(extra[0] + '\n' + extra[1].left(40));
    }
    s.loadAppended();
    QVERIFY(waitFor(changed, 2));
    QCOMPARE(s.workspace()->fileCount(), std::size_t{2});
    QCOMPARE(s.workspace()->sharedFile(1), stillModel); // not read again
    QCOMPARE(s.workspace()->file(0).eventCount(), before + 2); // the unfinished line is read, as a load reads it
    {
        QFile f(grown);
        QVERIFY(f.open(QIODevice::Append));
        f.write(extra[1].mid(40) + '\n' + extra[2] + '\n');
    }
    QVERIFY(QFile::remove(still));
    s.loadAppended();
    QVERIFY(waitFor(changed, 3));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(s.workspace()->fileCount(), std::size_t{2}); // the removed file stays as it was loaded
    QCOMPARE(s.workspace()->sharedFile(1), stillModel);
    QCOMPARE(s.workspace()->file(0).eventCount(), before + 3);
    QCOMPARE(s.workspace()->file(0).stats().rejected, std::uint64_t{0}); // the finished line reads whole

    // the rows are those of a fresh open of the grown file
    Session fresh;
    QSignalSpy freshChanged(&fresh, &Session::workspaceChanged);
    fresh.open({grown});
    QVERIFY(waitFor(freshChanged));
    const Workspace& a = *s.workspace();
    const Workspace& b = *fresh.workspace();
    std::vector<std::string> rowsA, rowsB;
    for (const TraceRow& r : a.rows())
        if (r.file == 0)
            rowsA.push_back(std::string(a.str(r, r.traceId)) + ' ' + std::to_string(r.events) + ' ' +
                            std::string(a.str(r, r.finalDecision)));
    for (const TraceRow& r : b.rows())
        rowsB.push_back(std::string(b.str(r, r.traceId)) + ' ' + std::to_string(r.events) + ' ' +
                        std::string(b.str(r, r.finalDecision)));
    QCOMPARE(rowsA, rowsB);
    QVERIFY(rowsA.size() >= 2);
}

// logrotate with two generations open: audit.jsonl.1 -> .2 and audit.jsonl -> .1, a new audit.jsonl.
// Each file is open once afterwards, each old one with what it held
void TestSession::rotationChainReadsEachFileOnce()
{
    QTemporaryDir dir;
    const QString log = dir.path() + QStringLiteral("/audit.jsonl");
    const QString one = log + QStringLiteral(".1"), two = log + QStringLiteral(".2");
    QVERIFY(QFile::copy(sample("mcp-call.jsonl"), log));
    QVERIFY(QFile::copy(sample("budget-breach.jsonl"), one));
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open({one, log});
    QVERIFY(waitFor(changed));
    const std::uint64_t mcpEvents = s.workspace()->file(1).eventCount(), budgetEvents = s.workspace()->file(0).eventCount();
    QVERIFY(QFile::rename(one, two));
    QVERIFY(QFile::rename(log, one));
    QVERIFY(QFile::copy(sample("finance-email-blocked.jsonl"), log));
    s.loadAppended({{one, two}, {log, one}});
    QVERIFY(waitFor(changed, 2));
    QCOMPARE(s.paths(), (QStringList{two, one, log}));
    QCOMPARE(s.workspace()->fileCount(), std::size_t{3});
    QCOMPARE(s.workspace()->file(0).eventCount(), budgetEvents);
    QCOMPARE(s.workspace()->file(1).eventCount(), mcpEvents);
    QCOMPARE(s.workspace()->file(2).eventCount(), std::uint64_t{10});
}

// the analysis runs by itself after a load, names the workspace it was made on, and a newer
// load drops it (null) before its own arrives; a load overtaken by another delivers nothing
void TestSession::analysisFollowsEveryLoad()
{
    Session s;
    QSignalSpy analysed(&s, &Session::analysed);
    s.open({sample("run-incidents.jsonl")});
    QVERIFY(waitFor(analysed));
    const auto first = analysed.front().front().value<std::shared_ptr<const analysis::WorkspaceAnalysis>>();
    QVERIFY(first && first == s.analysis());
    QCOMPARE(first->rows.size(), s.workspace()->rows().size());
    QVERIFY(!first->anomalies.empty());
    s.open({sample("run-12345.json")}, true);
    QVERIFY(waitFor(analysed, 3));
    QVERIFY(!analysed.at(1).front().value<std::shared_ptr<const analysis::WorkspaceAnalysis>>());
    const auto second = s.analysis();
    QVERIFY(second && second != first);
    QCOMPARE(second->files.size(), std::size_t{2});
    QVERIFY(second->anomalies.size() > first->anomalies.size());
    // two loads at once: the analysis of the last only
    s.open({sample("run-incidents.jsonl")});
    s.open({sample("run-12345.json")});
    QVERIFY(QTest::qWaitFor([&] { return s.analysis() != nullptr && !s.tasks().anyRunningBut(TaskKind::Hash); }, 20000));
    QCOMPARE(s.analysis()->files.size(), std::size_t{1});
    QCOMPARE(s.analysis()->rows.size(), s.workspace()->rows().size());
    QCOMPARE(s.paths().size(), 1);
    QVERIFY(s.paths().front().endsWith(QStringLiteral("run-12345.json")));
}

void TestSession::compareTwoTracesAndWithThePolicy()
{
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open(allSamples());
    QVERIFY(waitFor(changed));
    QSignalSpy ready(&s, &Session::comparisonReady);
    s.compare(0, 1);
    QVERIFY(waitFor(ready));
    auto result = ready.first().at(0).value<std::shared_ptr<const ComparisonResult>>();
    QVERIFY(result);
    QCOMPARE(result->ws, s.workspace());
    QVERIFY(!result->comparison.rows.empty());
    QVERIFY(!result->graph.graph.nodes.empty());
    // without a layout helper the comparison still arrives, saying why there is no layout
    QVERIFY(result->layout.has_value() == (result->layoutRun.error == LayoutError::None));

    QCOMPARE(s.compareWithPolicy(0), TaskId(0)); // no policy yet: nothing starts
    s.setPolicy(strictPolicy());
    s.compareWithPolicy(0);
    QVERIFY(waitFor(ready, 2));
    result = ready.at(1).at(0).value<std::shared_ptr<const ComparisonResult>>();
    QCOMPARE(result->left.model, result->right.model); // one trace, as recorded and as re-evaluated
    QCOMPARE(result->comparison.rows.size(), std::size_t(result->comparison.same + result->comparison.changed +
                                                         result->comparison.removed + result->comparison.added));
}

void TestSession::exportNotesReachTheFrontEnd()
{
    // no layout helper: the bundle is written without graph.svg, and says why in its notes
    qputenv("RW_GRAPH_LAYOUT", "/nonexistent/rw-graph-layout");
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open({sample("mcp-call.jsonl")});
    QVERIFY(waitFor(changed));
    QTemporaryDir dir;
    QSignalSpy exported(&s, &Session::evidenceExported);
    EvidenceChoice choice;
    choice.rows = {0};
    s.exportEvidence(dir.filePath(QStringLiteral("notes.zip")).toStdString(), choice);
    QVERIFY(waitFor(exported));
    qunsetenv("RW_GRAPH_LAYOUT");
    const auto result = exported.first().at(0).value<EvidenceResult>();
    QVERIFY2(result.ok, result.error.c_str());
    QVERIFY(!result.notes.empty());
    QVERIFY(result.notes.front().find("no graph.svg") != std::string::npos);
}

void TestSession::exportAssemblesTheRequestInItsTask()
{
    QTemporaryDir dir;
    const QString policyPath = dir.filePath(QStringLiteral("strict.yaml"));
    QVERIFY(QFile::copy(sample("policies/strict.yaml"), policyPath));
    QFile::setPermissions(policyPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(policyPath.toStdString(), diagnostics);
    QVERIFY(bundle);
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open({sample("finance-email-blocked.jsonl"), sample("mcp-call.jsonl")});
    QVERIFY(waitFor(changed));
    QSignalSpy exported(&s, &Session::evidenceExported);
    auto exportAs = [&](const QString& name, const EvidenceChoice& choice) {
        const int before = exported.count();
        s.exportEvidence(dir.filePath(name).toStdString(), choice);
        return waitFor(exported, before + 1) ? exported.at(before).at(0).value<EvidenceResult>() : EvidenceResult();
    };
    EvidenceChoice choice;
    choice.rows = {1};
    choice.graphSvg = false;
    choice.tool = "replay-workbench";
    choice.engine = std::make_shared<const PolicyEngine>(*bundle, nullptr);
    // the policy's bundle, its replay diff of exactly the exported trace, in one task
    EvidenceResult result = exportAs(QStringLiteral("ok.zip"), choice);
    QVERIFY2(result.ok, result.error.c_str());
    const BundleRead read = readBundle(dir.filePath(QStringLiteral("ok.zip")).toStdString());
    QVERIFY(read.find("reevaluation/policy-strict.yaml"));
    QVERIFY(read.find("reevaluation/replay-diff.json"));
    // never written over the policy in use: refused as an output, a code
    result = exportAs(QStringLiteral("strict.yaml"), choice);
    QVERIFY(!result.ok);
    QCOMPARE(result.outputFailure.error, OutputError::SameAsInput);
    // a key that is not a key, a policy edited since it was loaded: codes, nothing written
    choice.signKeyPath = dir.filePath(QStringLiteral("absent.key")).toStdString();
    result = exportAs(QStringLiteral("key.zip"), choice);
    QCOMPARE(result.planFailure.error, EvidencePlanError::SigningKey);
    QCOMPARE(result.planFailure.path, choice.signKeyPath);
    choice.signKeyPath.clear();
    QFile f(policyPath);
    QVERIFY(f.open(QIODevice::Append));
    f.write("# edited\n");
    f.close();
    result = exportAs(QStringLiteral("changed.zip"), choice);
    QVERIFY(!result.ok);
    QCOMPARE(result.planFailure.error, EvidencePlanError::PolicyChanged);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("key.zip"))) && !QFile::exists(dir.filePath(QStringLiteral("changed.zip"))));
    // nothing chosen
    choice.engine.reset();
    choice.rows.clear();
    QCOMPARE(exportAs(QStringLiteral("none.zip"), choice).planFailure.error, EvidencePlanError::NoTraces);
}

void TestSession::openFailuresAreCodes()
{
    Session s;
    QSignalSpy failed(&s, &Session::openFailed);
    QSignalSpy changed(&s, &Session::workspaceChanged);
    QTemporaryDir dir;
    s.open({sample("mcp-call.jsonl"), dir.filePath(QStringLiteral("missing.jsonl"))});
    QVERIFY(waitFor(changed));
    QCOMPARE(failed.count(), 1);
    const auto failures = failed.first().at(0).value<std::vector<OpenFailure>>();
    QCOMPARE(failures.size(), std::size_t(1));
    QVERIFY(failures.front().error != OpenError::None);
    QVERIFY(failures.front().path.find("missing.jsonl") != std::string::npos);
    QCOMPARE(s.workspace()->fileCount(), std::size_t(1)); // the rest loaded
}

void TestSession::verificationNamesNoFlags()
{
    // the core's words reach the window: a signed bundle checked without its key
    // must not tell a GUI user to "give --public-key" (the hint says what is missing)
    const auto key = generateMinisignKey();
    QVERIFY(key);
    Session s;
    QSignalSpy changed(&s, &Session::workspaceChanged);
    s.open({sample("mcp-call.jsonl")});
    QVERIFY(waitFor(changed));
    QTemporaryDir dir;
    const std::string bundle = dir.filePath(QStringLiteral("signed.zip")).toStdString();
    QSignalSpy exported(&s, &Session::evidenceExported);
    EvidenceRequest request;
    request.rows = {0};
    request.graphSvg = false;
    request.signKey = *key;
    s.exportEvidence(request, bundle);
    QVERIFY(waitFor(exported));
    QVERIFY(exported.first().at(0).value<EvidenceResult>().ok);
    QSignalSpy verified(&s, &Session::verified);
    s.verify(bundle, VerifyOptions());
    QVERIFY(waitFor(verified));
    const auto report = s.lastVerification();
    QVERIFY(report && !report->passed());
    bool keyHint = false, sourceHint = false;
    for (const CheckItem& i : report->items) {
        QVERIFY2(i.detail.find("--") == std::string::npos, i.detail.c_str());
        keyHint |= i.hint == CheckHint::NeedsPublicKey && i.status == CheckStatus::Fail;
        sourceHint |= i.hint == CheckHint::NeedsSourceFiles;
    }
    QVERIFY(keyHint);
    QVERIFY(sourceHint);
}

void TestSession::progressOnlyWhenItChanges()
{
    std::vector<double> seen;
    TaskProgress progress([&](const QString&, double fraction, double) { seen.push_back(fraction); });
    for (int i = 0; i <= 100000; ++i)
        progress.report(static_cast<std::uint64_t>(i), 100000);
    // one report per thousandth, not one per call
    QVERIFY(seen.size() <= 1001);
    QVERIFY(seen.size() >= 1000);
    QCOMPARE(seen.back(), 1.0);
    seen.clear();
    progress.setStage(QStringLiteral("next"));
    QCOMPARE(seen.size(), std::size_t(1)); // a new stage is always shown
}

void TestSession::cancelledTaskDeliversNothing()
{
    TaskRunner runner;
    QSignalSpy finished(&runner, &TaskRunner::taskFinished);
    std::atomic<bool> release{false};
    std::atomic<bool> sawCancel{false};
    bool delivered = false;
    const TaskId id = runner.start<int>(
        TaskKind::Compare, QStringLiteral("slow"),
        [&](const CancelToken& cancel, TaskProgress&) {
            while (!release.load())
                QThread::msleep(1);
            sawCancel = cancel.cancelled();
            return 1;
        },
        [&](int) { delivered = true; });
    QVERIFY(runner.running(TaskKind::Compare));
    runner.cancel(id);
    QVERIFY(!runner.running(TaskKind::Compare));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(2).toBool(), true);
    release = true;
    QTest::qWait(100);
    QVERIFY(sawCancel.load()); // the token reached the work
    QVERIFY(!delivered);
    QCOMPARE(finished.count(), 1); // no second row event when the work returns
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
