// Consistency findings of run traces: step_index gaps and duplicates, a step
// ending before the previous one, completed_at before the last step's end,
// missing or empty reasoning; each with its line and byte offset, in both the
// document and the streaming form, and never costing a step.
#include "app/text/diagnostictext.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;

namespace {

struct StepSpec
{
    int index; // -1: no step_index
    const char* end;
    const char* reasoning; // nullptr: no reasoning key
};

std::string stepJson(const StepSpec& s)
{
    std::string out = "{";
    if (s.index >= 0)
        out += "\"step_index\": " + std::to_string(s.index) + ", ";
    out += R"("action": "a", "tool_call": {"tool": "t"}, )";
    if (s.reasoning)
        out += "\"reasoning\": \"" + std::string(s.reasoning) + "\", ";
    out += "\"timestamp\": \"" + std::string(s.end) + "\", \"duration_ms\": 500}";
    return out;
}

// one pretty document: the run header on line 1, then one step per line from line 2
std::string document(const std::vector<StepSpec>& steps, const char* completedAt)
{
    std::string out = R"({"run_id": "r", "agent_id": "ag", "started_at": "2026-03-05T10:00:00Z")";
    if (completedAt)
        out += ", \"completed_at\": \"" + std::string(completedAt) + "\"";
    out += ", \"steps\": [\n";
    for (std::size_t i = 0; i < steps.size(); ++i)
        out += stepJson(steps[i]) + (i + 1 < steps.size() ? ",\n" : "\n");
    return out + "]}\n";
}

// the same run as a stream: run_started on line 1, one step per line from line 2
std::string stream(const std::vector<StepSpec>& steps, const char* completedAt)
{
    std::string out = R"({"event": "run_started", "run_id": "r", "agent_id": "ag", "started_at": "2026-03-05T10:00:00Z"})" "\n";
    for (const StepSpec& s : steps)
        out += stepJson(s).insert(1, R"("event": "step", "run_id": "r", )") + "\n";
    if (completedAt)
        out += R"({"event": "run_completed", "run_id": "r", "status": "completed", "completed_at": ")" + std::string(completedAt) + "\"}\n";
    return out;
}

using Finding = std::pair<QByteArray, int>; // code, line

} // namespace

Q_DECLARE_METATYPE(std::vector<StepSpec>)

class TestRunChecks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findings_data();
    void findings();
    void seedSampleIsClean();
};

void TestRunChecks::findings_data()
{
    QTest::addColumn<std::vector<StepSpec>>("steps");
    QTest::addColumn<QByteArray>("completedAt");
    QTest::addColumn<QByteArrayList>("codes");
    QTest::addColumn<QList<int>>("lines");
    QTest::addColumn<QByteArray>("detail"); // in the first finding
    const char* t1 = "2026-03-05T10:00:01Z";
    const char* t2 = "2026-03-05T10:00:02Z";
    const char* t3 = "2026-03-05T10:00:03Z";
    QTest::newRow("consistent") << std::vector<StepSpec>{{0, t1, "x"}, {1, t2, "y"}, {2, t3, "z"}}
                                << QByteArray("2026-03-05T10:00:04Z") << QByteArrayList{} << QList<int>{} << QByteArray();
    QTest::newRow("no step_index at all is no gap")
        << std::vector<StepSpec>{{-1, t1, "x"}, {-1, t2, "y"}} << QByteArray() << QByteArrayList{} << QList<int>{}
        << QByteArray();
    QTest::newRow("gap") << std::vector<StepSpec>{{0, t1, "x"}, {1, t2, "y"}, {3, t3, "z"}} << QByteArray()
                         << QByteArrayList{"RUN_STEP_INDEX_GAP"} << QList<int>{4} << QByteArray("step_index 3 after 1");
    QTest::newRow("first is not 0") << std::vector<StepSpec>{{1, t1, "x"}, {2, t2, "y"}} << QByteArray()
                                    << QByteArrayList{"RUN_STEP_INDEX_GAP"} << QList<int>{2}
                                    << QByteArray("step_index 1 first, expected 0");
    QTest::newRow("duplicate") << std::vector<StepSpec>{{0, t1, "x"}, {1, t2, "y"}, {1, t3, "z"}} << QByteArray()
                               // the step id repeats too: the loader's own duplicate-id finding
                               << QByteArrayList{"RUN_STEP_INDEX_DUPLICATE", "DUPLICATE_EVENT_ID"} << QList<int>{4}
                               << QByteArray("step_index 1");
    QTest::newRow("step ends before the previous one")
        << std::vector<StepSpec>{{0, t1, "x"}, {1, t3, "y"}, {2, t2, "z"}} << QByteArray()
        << QByteArrayList{"RUN_STEP_ENDS_EARLY"} << QList<int>{4} << QByteArray("ends 1000 ms before step 1 ended");
    QTest::newRow("completed before the last step")
        << std::vector<StepSpec>{{0, t1, "x"}, {1, t3, "y"}} << QByteArray("2026-03-05T10:00:02.500Z")
        << QByteArrayList{"RUN_COMPLETED_EARLY"} << QList<int>{-1} << QByteArray("completed_at is 500 ms before step 1 ended");
    QTest::newRow("step starts before the run")
        << std::vector<StepSpec>{{0, "2026-03-05T10:00:00.200Z", "x"}, {1, t2, "y"}} << QByteArray()
        << QByteArrayList{"RUN_STEP_STARTS_EARLY"} << QList<int>{2} << QByteArray("starts 300 ms before started_at");
    QTest::newRow("missing and empty reasoning")
        << std::vector<StepSpec>{{0, t1, nullptr}, {1, t2, " "}, {2, t3, "z"}} << QByteArray()
        << QByteArrayList{"RUN_STEP_NO_REASONING", "RUN_STEP_NO_REASONING"} << QList<int>{2, 3}
        << QByteArray("no reasoning");
}

void TestRunChecks::findings()
{
    QFETCH(std::vector<StepSpec>, steps);
    QFETCH(QByteArray, completedAt);
    QFETCH(QByteArrayList, codes);
    QFETCH(QList<int>, lines);
    QFETCH(QByteArray, detail);
    const char* completed = completedAt.isEmpty() ? nullptr : completedAt.constData();
    for (const std::string& input : {document(steps, completed), stream(steps, completed)}) {
        const auto m = rwtest::load(input);
        QCOMPARE(m->format(), Format::RunTrace);
        QCOMPARE(m->eventCount(), steps.size()); // a finding never costs a step
        QCOMPARE(m->stats().rejected, std::uint64_t(0));
        QByteArrayList got;
        for (const Diagnostic& d : m->diagnostics())
            got << QByteArray(diagnosticCodeName(d.code));
        QCOMPARE(got, codes);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const Diagnostic& d = m->diagnostics()[static_cast<std::size_t>(i)];
            QCOMPARE(diagnosticSeverity(d.code), Severity::Warning);
            // a step finding points at the step's own line and first byte; a
            // run finding at the run (document or run_started: line 1, byte 0)
            const int line = lines[i] < 0 ? 1 : lines[i];
            QCOMPARE(d.line, std::uint64_t(line));
            if (lines[i] < 0) {
                QCOMPARE(d.offset, std::uint64_t(0));
                QCOMPARE(d.record, std::int64_t(-1));
            } else {
                QCOMPARE(input.at(d.offset), '{');
                QCOMPARE(m->event(static_cast<std::size_t>(d.record)).offset, d.offset);
                QVERIFY(m->event(static_cast<std::size_t>(d.record)).has(EventFlag::HasWarnings));
            }
            // worded for people in app/text, with the technical detail
            const std::string text = describeDiagnostic(d);
            QVERIFY2(!text.starts_with("Unknown finding") && text.find(d.detail) != std::string::npos, text.c_str());
        }
        if (!codes.isEmpty())
            QCOMPARE(QByteArray::fromStdString(m->diagnostics()[0].detail), detail);
    }
}

void TestRunChecks::seedSampleIsClean()
{
    LoadResult r = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/run-12345.json");
    QVERIFY(r.model);
    QCOMPARE(r.model->diagnostics().size(), std::size_t(0));
}

QTEST_GUILESS_MAIN(TestRunChecks)
#include "tst_runchecks.moc"
