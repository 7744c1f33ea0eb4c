// The item models under QAbstractItemModelTester, on the sample audits.
#include "tests/testutil.h"
#include "views/chips.h"
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
    QCOMPARE(model.index(0, TraceListModel::DecisionColumn).data(TraceListModel::DecisionRole).toString(), QStringLiteral("blocked"));
    QCOMPARE(model.index(0, TraceListModel::EventsColumn).data().toInt(), 10);
    QCOMPARE(model.index(0, TraceListModel::TrustColumn).data(TraceListModel::TrustRole).toString(), QStringLiteral("external"));
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
    QCOMPARE(model.index(7, EventTableModel::DecisionColumn).data(EventTableModel::DecisionRole).toString(), QStringLiteral("blocked"));
    QCOMPARE(model.index(0, EventTableModel::LineColumn).data().toString(), QStringLiteral("1"));
    QCOMPARE(model.index(0, EventTableModel::RelativeColumn).data().toString(), QStringLiteral("+0 µs"));
    const QVariantList prov = model.index(0, EventTableModel::ProvenanceColumn).data(EventTableModel::ProvenanceRole).toList();
    QCOMPARE(prov.size(), 2);
    QCOMPARE(prov[1].toMap().value(QStringLiteral("trust")).toString(), QStringLiteral("external"));
    QCOMPARE(model.rowOfEvent(events[3]), 3);
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
    QVariantMap agent;
    agent[QStringLiteral("name")] = QString::fromStdString(value);
    const std::vector<Chip> chips = chipsFor(ChipKind::Agent, agent);
    QCOMPARE(chips.size(), std::size_t(1));
    QCOMPARE(chips.front().text, shown);
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
