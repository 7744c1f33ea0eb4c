// The anomaly feed's core (issue 15): the workspace's analysis with every
// anomaly located at its trace row and step event, the anomaly query (terms,
// errors with their position) and the grouping by severity and detector.
// rw_analysis only.
#include "model/auditloader.h"
#include "replay/analysis/anomalyquery.h"
#include "replay/analysis/permissionheatmap.h"
#include "model/timestamp.h"

#include <QtTest>

using namespace rw;
using namespace rw::analysis;

namespace {

std::string sample(const char* name)
{
    return std::string(RW_SOURCE_DIR "/sample-audits/") + name;
}

struct Analysed
{
    std::shared_ptr<Workspace> ws = std::make_shared<Workspace>();
    std::shared_ptr<WorkspaceAnalysis> analysis;
};

Analysed analyse(std::initializer_list<const char*> names)
{
    Analysed out;
    for (const char* n : names) {
        LoadResult r = AuditLoader::loadFile(sample(n));
        if (r.model)
            out.ws->addFile(std::move(r.model));
    }
    out.analysis = analyzeWorkspace(*out.ws, *defaultAnalysisRules());
    return out;
}

std::size_t count(const Analysed& a, const char* query)
{
    const std::optional<AnomalyQuery> q = AnomalyQuery::parse(query);
    if (!q)
        return SIZE_MAX;
    std::size_t n = 0;
    for (const AnomalyGroup& g : groupAnomalies(*a.analysis, *q, a.ws.get()))
        n += g.members.size();
    return n;
}

} // namespace

class TestAnomalyQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void locatesRowsAndSteps();
    void rowCountsAndWorst();
    void groupsMostSevereFirst();
    void terms_data();
    void terms();
    void errors_data();
    void errors();
    void cancelledIsIncomplete();
    void positionInCharacters();
    void permissionHeatmap();

private:
    Analysed m_a;
};

void TestAnomalyQuery::initTestCase()
{
    m_a = analyse({"run-incidents.jsonl", "run-12345.json", "ops-restart-approval.jsonl"});
    QCOMPARE(m_a.ws->fileCount(), std::size_t{3});
    QVERIFY(m_a.analysis->complete);
    QVERIFY(m_a.analysis->anomalies.size() >= 6);
}

// each anomaly about a step lands on its trace's row and on the event of that very step
void TestAnomalyQuery::locatesRowsAndSteps()
{
    const WorkspaceAnalysis& an = *m_a.analysis;
    int steps = 0;
    for (const AnomalyRef& ref : an.anomalies) {
        const Anomaly& a = an.anomaly(ref);
        QVERIFY(ref.row >= 0);
        const TraceRow& row = m_a.ws->row(static_cast<std::size_t>(ref.row));
        QCOMPARE(row.file, ref.file);
        QCOMPARE(std::string(m_a.ws->str(row, row.traceId)), a.runId);
        if (a.stepIndex < 0)
            continue;
        QVERIFY2(ref.event >= 0, a.ruleId.c_str());
        const ReplayModel& model = m_a.ws->file(ref.file);
        const RunStep* step = model.runStep(static_cast<std::size_t>(ref.event));
        if (step) {
            QCOMPARE(step->stepIndex, a.stepIndex);
            QCOMPARE(ref.timeUs, model.event(static_cast<std::size_t>(ref.event)).timeUs);
            ++steps;
        }
    }
    QVERIFY(steps >= 5);
}

void TestAnomalyQuery::rowCountsAndWorst()
{
    const WorkspaceAnalysis& an = *m_a.analysis;
    QCOMPARE(an.rows.size(), m_a.ws->rows().size());
    const std::int64_t exfil = m_a.ws->findRow("run-exfil-0412");
    const std::int64_t deleted = m_a.ws->findRow("run-delete-0414");
    QVERIFY(exfil >= 0 && deleted >= 0);
    QCOMPARE(an.rows[static_cast<std::size_t>(exfil)].worst, std::uint8_t(analysis::Severity::Critical));
    QCOMPARE(an.rows[static_cast<std::size_t>(deleted)].worst, std::uint8_t(analysis::Severity::Warn));
    std::uint32_t total = 0;
    for (const RowAnomalies& r : an.rows)
        total += r.count;
    QCOMPARE(std::size_t{total}, an.anomalies.size());
    QCOMPARE(anomaliesOfRow(an, exfil).size(), std::size_t{an.rows[static_cast<std::size_t>(exfil)].count});
}

void TestAnomalyQuery::groupsMostSevereFirst()
{
    const std::vector<AnomalyGroup> groups = groupAnomalies(*m_a.analysis, *AnomalyQuery::parse(""), m_a.ws.get());
    std::size_t n = 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        n += groups[i].members.size();
        QVERIFY(!groups[i].members.empty());
        if (i > 0) {
            const bool ordered = groups[i - 1].severity > groups[i].severity ||
                                 (groups[i - 1].severity == groups[i].severity && groups[i - 1].detector < groups[i].detector);
            QVERIFY(ordered);
        }
        for (std::uint32_t m : groups[i].members) {
            QCOMPARE(m_a.analysis->anomaly(m_a.analysis->anomalies[m]).severity, groups[i].severity);
            QCOMPARE(m_a.analysis->anomaly(m_a.analysis->anomalies[m]).detector, groups[i].detector);
        }
    }
    QCOMPARE(n, m_a.analysis->anomalies.size());
}

void TestAnomalyQuery::terms_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("expected"); // -1: every anomaly
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("status:open is everything") << QStringLiteral("status:open") << -1;
    QTest::newRow("detector") << QStringLiteral("anomaly:data_exfiltration") << 1;
    QTest::newRow("detector prefix") << QStringLiteral("detector:data") << 1;
    QTest::newRow("severity exact") << QStringLiteral("severity:warn") << -2;
    QTest::newRow("rule prefix") << QStringLiteral("rule:retry.") << 3;
    QTest::newRow("rule, longer prefix") << QStringLiteral("rule:retry.credential") << 1;
    QTest::newRow("run") << QStringLiteral("run:run-integrity-0415") << -3;
    QTest::newRow("agent and detector") << QStringLiteral("agent:support-helper anomaly:excessive_retries") << 1;
    QTest::newRow("word, any case") << QStringLiteral("STORAGE:DELETE") << 1;
    QTest::newRow("run, any case") << QStringLiteral("run:RUN-EXFIL") << 1;
    QTest::newRow("time before everything") << QStringLiteral("time<2000-01-01T00:00:00Z") << 0;
    QTest::newRow("time after 2026-03-06T02:30") << QStringLiteral("time>=2026-03-06T02:30:00Z run:run-exfil") << 0;
    QTest::newRow("exfil before 02:30") << QStringLiteral("time<2026-03-06T02:30:00Z run:run-exfil") << 1;
    QTest::newRow("no such agent") << QStringLiteral("agent:nobody") << 0;
}

// counts on the samples; -2 and -3 are checked against a count made here by hand
void TestAnomalyQuery::terms()
{
    QFETCH(QString, query);
    QFETCH(int, expected);
    const std::size_t n = count(m_a, query.toUtf8().constData());
    const WorkspaceAnalysis& an = *m_a.analysis;
    std::size_t want = 0;
    for (const AnomalyRef& ref : an.anomalies) {
        const Anomaly& a = an.anomaly(ref);
        want += expected == -1 || (expected == -2 && a.severity == analysis::Severity::Warn) ||
                (expected == -3 && a.runId == "run-integrity-0415");
    }
    if (expected >= 0)
        want = static_cast<std::size_t>(expected);
    QVERIFY(want > 0 || expected == 0);
    QCOMPARE(n, want);
}

void TestAnomalyQuery::errors_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("error");
    QTest::addColumn<int>("position");
    QTest::newRow("unknown detector") << QStringLiteral("severity>=warn anomaly:bogus") << int(AnomalyQueryError::UnknownDetector) << 15;
    QTest::newRow("unknown severity") << QStringLiteral("severity>=loud") << int(AnomalyQueryError::UnknownSeverity) << 0;
    QTest::newRow("bad time") << QStringLiteral("  time>=yesterday") << int(AnomalyQueryError::BadTime) << 2;
    QTest::newRow("agent compared") << QStringLiteral("agent>=x") << int(AnomalyQueryError::BadOperator) << 0;
    QTest::newRow("empty value") << QStringLiteral("run:") << int(AnomalyQueryError::EmptyValue) << 0;
    QTest::newRow("triage needs a case") << QStringLiteral("status:resolved") << int(AnomalyQueryError::UnknownStatus) << 0;
    QTest::newRow("misspelt field compared") << QStringLiteral("sevrity>=warn") << int(AnomalyQueryError::UnknownField) << 0;
}

void TestAnomalyQuery::errors()
{
    QFETCH(QString, query);
    QFETCH(int, error);
    QFETCH(int, position);
    AnomalyQueryProblem problem;
    QVERIFY(!AnomalyQuery::parse(query.toStdString(), &problem));
    QCOMPARE(int(problem.error), error);
    QCOMPARE(int(problem.position), position);
    QVERIFY(!problem.term.empty());
    QCOMPARE(problem.character, problem.position); // ASCII: characters are bytes
}

void TestAnomalyQuery::cancelledIsIncomplete()
{
    std::atomic<bool> cancel{true};
    const auto cut = analyzeWorkspace(*m_a.ws, *defaultAnalysisRules(), &cancel);
    QVERIFY(!cut->complete);
    QVERIFY(cut->anomalies.empty());
}

// the position a person reads counts characters, not UTF-8 bytes
void TestAnomalyQuery::positionInCharacters()
{
    AnomalyQueryProblem problem;
    QVERIFY(!AnomalyQuery::parse("d\xc3\xa9j\xc3\xa0 anomaly:bogus", &problem));
    QCOMPARE(int(problem.position), 7);
    QCOMPARE(int(problem.character), 5);
}

// agents x permissions: uses, runs, escalations, grants never used, a time window
void TestAnomalyQuery::permissionHeatmap()
{
    WorkspaceAnalysis an;
    an.files.resize(1);
    const auto run = [&](const char* agent, std::vector<std::string> used, std::vector<std::int64_t> uses,
                         std::vector<std::string> escalated, std::vector<std::string> granted, const char* started) {
        RunAnalysis r;
        r.agentId = agent;
        r.used = std::move(used);
        r.uses = std::move(uses);
        r.escalated = std::move(escalated);
        r.granted = std::move(granted);
        r.startedAt = started;
        an.files[0].push_back(std::move(r));
    };
    run("a1", {"p1", "p2"}, {3, 1}, {"p2"}, {"p1", "p3"}, "2026-03-05T10:00:00Z");
    run("a1", {"p1"}, {2}, {}, {"p1", "p3"}, "2026-03-06T10:00:00Z");
    run("a2", {"p2"}, {1}, {"p2"}, {}, "");
    const PermissionHeatmap h = buildPermissionHeatmap(an);
    QCOMPARE(h.agents, (std::vector<std::string>{"a1", "a2"}));
    QCOMPARE(h.permissions, (std::vector<std::string>{"p1", "p2", "p3"}));
    QCOMPARE(h.agentRuns, (std::vector<std::uint32_t>{2, 1}));
    QCOMPARE(h.at(0, 0).uses, 5u);
    QCOMPARE(h.at(0, 0).runs, 2u);
    QCOMPARE(h.at(0, 1).escalated, 1u);
    QCOMPARE(h.at(0, 2).grantedUnused, 2u);
    QCOMPARE(h.maxUses, 5u);
    QVERIFY(h.overProvisioned(0, 2));
    QVERIFY(!h.overProvisioned(0, 0));
    QVERIFY(!h.frequentlyEscalated(1, 1)); // one run: under the default of two
    const PermissionHeatmap loose = buildPermissionHeatmap(an, kNoTime, kNoTime, {1, 0.5});
    QVERIFY(loose.frequentlyEscalated(1, 1));
    QVERIFY(loose.frequentlyEscalated(0, 1)); // one of a1's two runs: 50%
    QVERIFY(!loose.frequentlyEscalated(0, 0));
    // from 2026-03-06: the second run only (a run without a start time is outside any window)
    const PermissionHeatmap window = buildPermissionHeatmap(an, *parseTimestamp("2026-03-06T00:00:00Z"));
    QCOMPARE(window.agents, (std::vector<std::string>{"a1"}));
    QCOMPARE(window.permissions, (std::vector<std::string>{"p1", "p3"}));
    QCOMPARE(window.at(0, 0).uses, 2u);
    // on the samples: the delete run's escalation, counted for its agent
    const PermissionHeatmap samples = buildPermissionHeatmap(*m_a.analysis);
    const auto agent = std::find(samples.agents.begin(), samples.agents.end(), "prod-triage-au-west") - samples.agents.begin();
    const auto perm = std::find(samples.permissions.begin(), samples.permissions.end(), "storage:delete") - samples.permissions.begin();
    QVERIFY(std::size_t(agent) < samples.agents.size() && std::size_t(perm) < samples.permissions.size());
    QCOMPARE(samples.at(std::size_t(agent), std::size_t(perm)).escalated, 1u);
    QCOMPARE(samples.at(std::size_t(agent), std::size_t(perm)).runs, 1u);
}

QTEST_GUILESS_MAIN(TestAnomalyQuery)
#include "tst_anomalyquery.moc"
