// The item models under QAbstractItemModelTester, on the sample audits.
#include "diagnosticsmodel.h"
#include "eventtablemodel.h"
#include "testutil.h"
#include "tracelistmodel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

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

QTEST_MAIN(TestModels)
#include "tst_models.moc"
