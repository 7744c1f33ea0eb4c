// The item models under QAbstractItemModelTester, on the sample audits.
#include "tests/testutil.h"
#include "views/chips.h"
#include "views/models/comparisonmodel.h"
#include "views/models/rolevalues.h"
#include "views/models/diagnosticsmodel.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace rw;

class TestModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void traceList();
    void traceListSortAndFilter();
    void eventTable();
    void diagnostics();
    void hiddenCharactersShown_data();
    void hiddenCharactersShown();
    void typedTraceRoles_data();
    void typedTraceRoles();
    void typedEventRoles_data();
    void typedEventRoles();

private:
    std::shared_ptr<Workspace> m_ws;
};

void TestModels::initTestCase()
{
    m_ws = std::make_shared<Workspace>();
    for (const char* f : {"/sample-audits/finance-email-blocked.jsonl", "/sample-audits/damaged.jsonl",
                          "/sample-audits/legacy-lines.jsonl", "/sample-audits/run-trace-report.json"}) {
        LoadResult r = AuditLoader::loadFile(std::string(RW_SOURCE_DIR) + f);
        QVERIFY(r.model);
        m_ws->addFile(std::move(r.model));
    }
    QCOMPARE(m_ws->rows().size(), std::size_t(6));
}

void TestModels::traceList()
{
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWorkspace(m_ws);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.columnCount(), int(TraceListModel::ColumnCount));
    const QModelIndex first = model.index(0, TraceListModel::TraceIdColumn);
    QCOMPARE(first.data().toString(), QStringLiteral("fin-2026-03-05-invoice-7781"));
    QCOMPARE(model.index(0, TraceListModel::DecisionColumn).data(TraceListModel::DecisionRole).value<Decision>(), Decision::Blocked);
    QCOMPARE(model.index(0, TraceListModel::EventsColumn).data().toInt(), 10);
    QCOMPARE(model.index(0, TraceListModel::TrustColumn).data(TraceListModel::TrustRole).value<Trust>(), Trust::External);
    QCOMPARE(model.index(0, TraceListModel::FileColumn).data().toString(), QStringLiteral("finance-email-blocked.jsonl"));
    QVERIFY(model.headerData(TraceListModel::GovernanceColumn, Qt::Horizontal, Qt::DisplayRole).isValid());
}

void TestModels::traceListSortAndFilter()
{
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWorkspace(m_ws);
    QPersistentModelIndex run = model.index(5, TraceListModel::TraceIdColumn);
    QCOMPARE(run.data().toString(), QStringLiteral("run-2026-03-09-quarterly-report"));
    model.sort(TraceListModel::EventsColumn, Qt::DescendingOrder);
    QCOMPARE(model.index(0, TraceListModel::EventsColumn).data().toInt(), 10);
    QCOMPARE(run.data().toString(), QStringLiteral("run-2026-03-09-quarterly-report")); // persistent index followed
    model.sort(TraceListModel::TraceIdColumn, Qt::AscendingOrder);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("damaged-trace"));
    model.setVisibleRows({1, 5});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("damaged-trace")); // still sorted
    QCOMPARE(model.rowOfWorkspaceRow(5), 1);
    QCOMPARE(model.rowOfWorkspaceRow(0), -1);
    // a load that applied the filter: the workspace and its rows in one reset, sorted as set
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    model.setWorkspace(m_ws, {5, 1});
    QCOMPARE(resets.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("damaged-trace"));
    QCOMPARE(model.rowOfWorkspaceRow(5), 1);
}

void TestModels::eventTable()
{
    EventTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const ReplayModel& file = m_ws->file(0);
    const auto events = file.traceEvents(0);
    model.setTrace(&file, std::vector<std::uint32_t>(events.begin(), events.end()));
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.index(7, EventTableModel::DecisionColumn).data(EventTableModel::DecisionRole).value<Decision>(), Decision::Blocked);
    QCOMPARE(model.index(0, EventTableModel::LineColumn).data().toString(), QStringLiteral("1"));
    QCOMPARE(model.index(0, EventTableModel::RelativeColumn).data().toString(), QStringLiteral("+0 µs"));
    const std::vector<ProvenanceBadge> prov =
        model.index(0, EventTableModel::ProvenanceColumn).data(EventTableModel::ProvenanceRole).value<ProvenanceBadges>().items;
    QCOMPARE(prov.size(), std::size_t(2));
    QCOMPARE(prov[1].trustWord, QStringLiteral("external"));
    QCOMPARE(model.rowOfEvent(events[3]), 3);
    QCOMPARE(model.headerData(EventTableModel::IndexColumn, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("#"));
    QCOMPARE(model.index(0, EventTableModel::IndexColumn).data().toInt(), 1); // an interceptor trace: from 1
    // a run's steps by their step_index (0-based, as the timeline and the tree name them)
    const LoadResult run = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/run-branching.json");
    QVERIFY(run.model && run.model->traceCount() == 1);
    const auto steps = run.model->traceEvents(0);
    model.setTrace(run.model.get(), std::vector<std::uint32_t>(steps.begin(), steps.end()));
    QCOMPARE(model.headerData(EventTableModel::IndexColumn, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Step"));
    QCOMPARE(model.index(0, EventTableModel::IndexColumn).data().toInt(), 0);
    QCOMPARE(model.index(3, EventTableModel::IndexColumn).data().toInt(), 3);
    model.setTrace(nullptr, {});
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::diagnostics()
{
    DiagnosticsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWorkspace(m_ws);
    QVERIFY(model.rowCount() >= 11);
    bool sawIncomplete = false;
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.index(r, DiagnosticsModel::CodeColumn).data().toString() == QStringLiteral("INCOMPLETE_LAST_LINE")) {
            sawIncomplete = true;
            QCOMPARE(model.index(r, DiagnosticsModel::LineColumn).data().toInt(), 14);
            QVERIFY(model.index(r, DiagnosticsModel::MessageColumn).data().toString().contains(QStringLiteral("incomplete last line"), Qt::CaseInsensitive));
        }
    QVERIFY(sawIncomplete);
}

void TestModels::hiddenCharactersShown_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << QByteArray("payments") << QStringLiteral("payments");
    QTest::newRow("RLO") << QByteArray("invoice-\xe2\x80\xaegnp.exe") << QStringLiteral("invoice-\\u202egnp.exe");
    QTest::newRow("RLI isolate") << QByteArray("a\xe2\x81\xa7" "b") << QStringLiteral("a\\u2067b");
    QTest::newRow("zero-width space") << QByteArray("pay\xe2\x80\x8bments") << QStringLiteral("pay\\u200bments");
    QTest::newRow("BOM") << QByteArray("pay\xef\xbb\xbfments") << QStringLiteral("pay\\ufeffments");
    QTest::newRow("tag characters") << QByteArray("ok\xf3\xa0\x81\x81") << QStringLiteral("ok\\U000e0041");
    QTest::newRow("escape sequence") << QByteArray("a\x1b[2Jb") << QStringLiteral("a\\x1b[2Jb");
    QTest::newRow("C1 CSI") << QByteArray("a\xc2\x9b" "2J") << QStringLiteral("a\\u009b2J");
    QTest::newRow("newline") << QByteArray("a\nb") << QStringLiteral("a\\nb");
}

void TestModels::hiddenCharactersShown()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, shown);
    const std::string value = raw.toStdString();
    const nlohmann::json line = {{"timestamp", "2025-12-01T08:00:00+00:00"}, {"allowed", false}, {"reason", value},
                                 {"agent_name", value}, {"tool_name", value}, {"trace_id", value}};
    auto ws = std::make_shared<Workspace>();
    ws->addFile(rwtest::load(line.dump() + "\n"));
    QCOMPARE(ws->rows().size(), std::size_t(1));

    TraceListModel traces;
    traces.setWorkspace(ws);
    for (const int column : {TraceListModel::TraceIdColumn, TraceListModel::ToolColumn, TraceListModel::AgentColumn})
        QCOMPARE(traces.index(0, column).data().toString(), shown);
    QCOMPARE(traces.index(0, TraceListModel::TraceIdColumn).data(Qt::ToolTipRole).toString(), shown);
    QCOMPARE(traces.index(0, TraceListModel::DecisionColumn).data(Qt::ToolTipRole).toString(), shown); // the reason
    // lookups keep the exact value
    QCOMPARE(traces.index(0, 0).data(TraceListModel::TraceIdRole).toString().toUtf8(), raw);

    EventTableModel events;
    const ReplayModel& file = ws->file(0);
    const auto ids = file.traceEvents(0);
    events.setTrace(&file, std::vector<std::uint32_t>(ids.begin(), ids.end()));
    QCOMPARE(events.index(0, EventTableModel::ToolColumn).data().toString(), shown);
    QCOMPARE(events.index(0, EventTableModel::ReasonColumn).data().toString(), shown);
    QCOMPARE(events.index(0, EventTableModel::ReasonColumn).data(Qt::ToolTipRole).toString(), shown);

    // chips are painted from the exact agent value: their text is escaped too
    AgentIdentity agent;
    agent.name = QString::fromStdString(value);
    const std::vector<Chip> chips = chipsFor(ChipKind::Agent, QVariant::fromValue(agent));
    QCOMPARE(chips.size(), std::size_t(1));
    QCOMPARE(chips.front().text, shown);
}

// The trace list's typed roles on the sample traces: enums, not words; the
// words a person reads are DisplayRole's, from the same name tables.
void TestModels::typedTraceRoles_data()
{
    QTest::addColumn<QString>("trace");
    QTest::addColumn<Decision>("decision");
    QTest::addColumn<Governance>("governance");
    QTest::addColumn<Trust>("trust");
    QTest::addColumn<QString>("agent");
    QTest::newRow("finance") << QStringLiteral("fin-2026-03-05-invoice-7781") << Decision::Blocked
                             << Governance::Violation << Trust::External << QStringLiteral("finance_agent");
    QTest::newRow("damaged") << QStringLiteral("damaged-trace") << Decision::Allowed << Governance::Matched
                             << Trust::Internal << QStringLiteral("ops_agent");
    QTest::newRow("legacy allowed") << QStringLiteral("legacy-billing-1") << Decision::Allowed << Governance::Observed
                                    << Trust::None << QStringLiteral("billing-bot");
    QTest::newRow("legacy blocked") << QStringLiteral("legacy-billing-2") << Decision::Blocked << Governance::Observed
                                    << Trust::None << QStringLiteral("billing-bot");
    QTest::newRow("v0.3.0 block") << QStringLiteral("v030-style-block") << Decision::Blocked << Governance::Blocked
                                  << Trust::None << QStringLiteral("sales_agent");
    QTest::newRow("run trace") << QStringLiteral("run-2026-03-09-quarterly-report") << Decision::Allowed
                               << Governance::Observed << Trust::None << QStringLiteral("report-writer-7");
}

void TestModels::typedTraceRoles()
{
    QFETCH(QString, trace);
    QFETCH(Decision, decision);
    QFETCH(Governance, governance);
    QFETCH(Trust, trust);
    QFETCH(QString, agent);
    TraceListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWorkspace(m_ws);
    const int row = model.rowOfWorkspaceRow(static_cast<std::size_t>(m_ws->findRow(trace.toStdString())));
    QVERIFY(row >= 0);
    auto cell = [&](int column, int role) { return model.index(row, column).data(role); };
    QCOMPARE(cell(TraceListModel::DecisionColumn, TraceListModel::DecisionRole).value<Decision>(), decision);
    QCOMPARE(cell(TraceListModel::GovernanceColumn, TraceListModel::GovernanceRole).value<Governance>(), governance);
    QCOMPARE(cell(TraceListModel::TrustColumn, TraceListModel::TrustRole).value<Trust>(), trust);
    const auto identity = cell(TraceListModel::AgentColumn, TraceListModel::AgentRole).value<AgentIdentity>();
    QCOMPARE(identity.name, agent);
    QCOMPARE(identity.trust, trustFromText(identity.trustWord.toStdString()));
    // the words shown are the tables' words
    QCOMPARE(cell(TraceListModel::DecisionColumn, Qt::DisplayRole).toString(), QString::fromLatin1(decisionName(decision)));
    QCOMPARE(cell(TraceListModel::GovernanceColumn, Qt::DisplayRole).toString(), QString::fromLatin1(governanceName(governance)));
    QCOMPARE(cell(TraceListModel::TrustColumn, Qt::DisplayRole).toString(), QString::fromLatin1(trustName(trust)));
    // and a badge takes its colour from the value, its text from the cell
    const auto chips = chipsFor(ChipKind::Decision, cell(TraceListModel::DecisionColumn, TraceListModel::DecisionRole),
                                cell(TraceListModel::DecisionColumn, Qt::DisplayRole).toString());
    QCOMPARE(chips.size(), std::size_t(1));
    QCOMPARE(chips.front().color, decisionStyle(decision).color);
    QCOMPARE(chips.front().text, QString::fromLatin1(decisionName(decision)));
    const auto gov = chipsFor(ChipKind::Governance, cell(TraceListModel::GovernanceColumn, TraceListModel::GovernanceRole),
                              cell(TraceListModel::GovernanceColumn, Qt::DisplayRole).toString());
    QCOMPARE(gov.size(), std::size_t(1));
    QCOMPARE(gov.front().shape, governanceStyle(governance).shape);
}

// Words outside the tables reach the roles as Other (None when empty) and
// are still shown as written; the same for the event table and a comparison.
void TestModels::typedEventRoles_data()
{
    QTest::addColumn<QByteArray>("decisionWord");
    QTest::addColumn<Decision>("decision");
    QTest::addColumn<QByteArray>("riskWord");
    QTest::addColumn<Risk>("risk");
    QTest::addColumn<QByteArray>("trustWord");
    QTest::addColumn<Trust>("trust");
    QTest::newRow("known") << QByteArray("require_approval") << Decision::RequireApproval << QByteArray("high")
                           << Risk::High << QByteArray("unverified") << Trust::Unverified;
    QTest::newRow("pending, critical, trusted") << QByteArray("pending") << Decision::Pending << QByteArray("critical")
                                                << Risk::Critical << QByteArray("trusted") << Trust::Trusted;
    QTest::newRow("unknown words") << QByteArray("escalated") << Decision::Other << QByteArray("extreme") << Risk::Other
                                   << QByteArray("partner") << Trust::Other;
    QTest::newRow("case differs") << QByteArray("Blocked") << Decision::Other << QByteArray("LOW") << Risk::Other
                                  << QByteArray("Internal") << Trust::Other;
    QTest::newRow("policy word, not a decision") << QByteArray("allow") << Decision::Other << QByteArray("medium")
                                                 << Risk::Medium << QByteArray("external") << Trust::External;
    QTest::newRow("empty") << QByteArray("") << Decision::None << QByteArray("") << Risk::Low // the loader's default
                           << QByteArray("") << Trust::None;
}

void TestModels::typedEventRoles()
{
    QFETCH(QByteArray, decisionWord);
    QFETCH(Decision, decision);
    QFETCH(QByteArray, riskWord);
    QFETCH(Risk, risk);
    QFETCH(QByteArray, trustWord);
    QFETCH(Trust, trust);
    const nlohmann::json line = {{"timestamp", "2026-03-05T14:00:00Z"}, {"event_type", "decision"},
                                 {"decision", decisionWord.toStdString()}, {"risk_level", riskWord.toStdString()},
                                 {"trace_id", "t"}, {"agent_name", "a"},
                                 {"agent_trust_level", trustWord.toStdString()},
                                 {"provenance", {{{"source_type", "skill"}, {"trust_level", trustWord.toStdString()}}}}};
    auto ws = std::make_shared<Workspace>();
    ws->addFile(rwtest::load(line.dump() + "\n"));
    QCOMPARE(ws->rows().size(), std::size_t(1));

    TraceListModel traces;
    QAbstractItemModelTester traceTester(&traces, QAbstractItemModelTester::FailureReportingMode::QtTest);
    traces.setWorkspace(ws);
    QCOMPARE(traces.index(0, TraceListModel::DecisionColumn).data(TraceListModel::DecisionRole).value<Decision>(), decision);
    QCOMPARE(traces.index(0, TraceListModel::DecisionColumn).data().toString(), QString::fromUtf8(decisionWord));
    QCOMPARE(traces.index(0, TraceListModel::TrustColumn).data(TraceListModel::TrustRole).value<Trust>(), trust);
    const auto identity = traces.index(0, TraceListModel::AgentColumn).data(TraceListModel::AgentRole).value<AgentIdentity>();
    QCOMPARE(identity.trust, trust);
    QCOMPARE(identity.trustWord, QString::fromUtf8(trustWord));

    EventTableModel events;
    QAbstractItemModelTester eventTester(&events, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const ReplayModel& file = ws->file(0);
    events.setTrace(&file, {0});
    const QModelIndex d = events.index(0, EventTableModel::DecisionColumn);
    QCOMPARE(d.data(EventTableModel::DecisionRole).value<Decision>(), decision);
    QCOMPARE(d.data().toString(), QString::fromUtf8(decisionWord));
    QCOMPARE(events.index(0, EventTableModel::RiskColumn).data(EventTableModel::RiskRole).value<Risk>(), risk);
    const auto badges = events.index(0, EventTableModel::ProvenanceColumn).data(EventTableModel::ProvenanceRole).value<ProvenanceBadges>();
    QCOMPARE(badges.items.size(), std::size_t(1));
    QCOMPARE(badges.items.front().trust, trust);
    QCOMPARE(badges.items.front().trustWord, QString::fromUtf8(trustWord));

    // a badge shows the word as written, coloured by what the table makes of it
    const auto chips = chipsFor(ChipKind::Decision, d.data(EventTableModel::DecisionRole), d.data().toString());
    QCOMPARE(chips.size(), decisionWord.isEmpty() ? std::size_t(0) : std::size_t(1));
    if (!chips.empty()) {
        QCOMPARE(chips.front().text, QString::fromUtf8(decisionWord));
        QCOMPARE(chips.front().shape, decisionStyle(decision).shape);
    }
    const auto provenance = chipsFor(ChipKind::Provenance, events.index(0, EventTableModel::ProvenanceColumn)
                                                               .data(EventTableModel::ProvenanceRole));
    QCOMPARE(provenance.size(), std::size_t(1));
    QCOMPARE(provenance.front().color, trustStyle(trust).color);

    // the comparison's decision cells: the enum by role, the word as their text
    ComparisonModel comparison;
    QAbstractItemModelTester comparisonTester(&comparison, QAbstractItemModelTester::FailureReportingMode::QtTest);
    comparison.setComparison(compareTraces({&file, 0, {}}, {&file, 0, {}}));
    QVERIFY(comparison.rowCount() > 0);
    const QModelIndex left = comparison.index(0, ComparisonModel::LeftDecisionColumn);
    QCOMPARE(left.data(ComparisonModel::DecisionRole).value<Decision>(), decision);
    QCOMPARE(left.data().toString(), QString::fromUtf8(decisionWord));
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
