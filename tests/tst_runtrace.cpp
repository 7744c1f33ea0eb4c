// The run-trace format of the second seed: detection, mapping of runs to
// traces and steps to events, denial rules and byte offsets of each step.
#include "model/tracesummary.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;

namespace {

const char* kRun = R"({"run_id": "run-1", "agent_id": "agent-7", "steps": [{"action": "read", "reasoning": "need data", "tool_call": {"tool": "sql_query", "parameters": {"q": "select 1"}}, "result": {"rows": 1}, "permissions_used": ["db.read"], "timestamp": "2026-03-09T07:00:01Z", "duration_ms": 5}, {"action": "mail", "reasoning": "share", "tool_call": {"tool": "send_email", "parameters": {}}, "result": "ok", "permissions_used": ["email.external"], "timestamp": "2026-03-09T07:00:02Z", "duration_ms": 7}, {"action": "post", "reasoning": "tell", "tool_call": {"tool": "slack_post", "parameters": {}}, "result": "Permission DENIED by admin", "permissions_used": ["chat.post"], "timestamp": "2026-03-09T07:00:03Z", "duration_ms": 1}], "permissions_summary": {"granted": ["db.read", "chat.post"], "denied": ["email.external"], "escalated": ["db.read"]}})";

} // namespace

class TestRunTrace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonlOfRuns();
    void prettyPrintedDocument();
    void arrayOfRuns();
    void interceptorIsNotMistaken();
    void brokenRunIsReported();
    void detectionByStructure_data();
    void detectionByStructure();
    void sampleFile();
};

void TestRunTrace::jsonlOfRuns()
{
    std::string second = kRun;
    second.replace(second.find("run-1"), 5, "run-2");
    const std::string input = std::string(kRun) + "\n" + second + "\n";
    const auto model = rwtest::load(input);
    QCOMPARE(model->format(), Format::RunTrace);
    QCOMPARE(model->traceCount(), std::size_t(2));
    QCOMPARE(model->eventCount(), std::size_t(6));
    const EventRecord& s1 = model->event(0);
    QCOMPARE(model->str(s1, Field::TraceId), std::string_view("run-1"));
    QCOMPARE(model->str(s1, Field::AgentId), std::string_view("agent-7"));
    QCOMPARE(model->str(s1, Field::ToolName), std::string_view("sql_query"));
    QCOMPARE(model->str(s1, Field::Reason), std::string_view("need data"));
    QCOMPARE(model->str(s1, Field::PlanIntent), std::string_view("read"));
    QCOMPARE(model->str(s1, Field::Decision), std::string_view("allowed"));
    QCOMPARE(model->str(s1, Field::EventType), std::string_view("run_step"));
    QVERIFY(s1.has(EventFlag::Escalated));
    // denied by the permissions summary, and by the result text
    QCOMPARE(model->str(model->event(1), Field::Decision), std::string_view("blocked"));
    QCOMPARE(model->str(model->event(2), Field::Decision), std::string_view("blocked"));
    // raw bytes of a step are the step object itself
    const std::string_view raw = model->raw(model->event(1));
    QVERIFY(raw.starts_with("{\"action\": \"mail\""));
    QVERIFY(raw.ends_with("\"duration_ms\": 7}"));
    QCOMPARE(model->event(3).line, 2u);
    QCOMPARE(model->event(3).offset, std::uint64_t(std::string(kRun).size() + 1 + std::string(kRun).find("{\"action\"")));
}

void TestRunTrace::prettyPrintedDocument()
{
    const std::string input = "{\n  \"run_id\": \"r\",\n  \"agent_id\": \"a\",\n  \"steps\": [\n    {\n      \"action\": \"x\",\n"
                              "      \"tool_call\": {\"tool\": \"t\"},\n      \"timestamp\": \"2026-03-09T07:00:01Z\"\n    }\n  ]\n}\n";
    const auto model = rwtest::load(input);
    QCOMPARE(model->format(), Format::RunTrace);
    QCOMPARE(model->eventCount(), std::size_t(1));
    QCOMPARE(model->event(0).line, 5u);
    QCOMPARE(model->str(model->event(0), Field::ToolName), std::string_view("t"));
    QCOMPARE(model->traceCount(), std::size_t(1));
}

void TestRunTrace::arrayOfRuns()
{
    const std::string input = "[" + std::string(kRun) + ",\n" + std::string(kRun) + "]\n";
    const auto model = rwtest::load(input);
    QCOMPARE(model->format(), Format::RunTrace);
    QCOMPARE(model->eventCount(), std::size_t(6));
    QCOMPARE(model->traceCount(), std::size_t(1)); // same run id twice: one trace, file order
    QCOMPARE(model->diagnosticCount(DiagnosticCode::DuplicateEventId), std::uint64_t(3));
}

void TestRunTrace::interceptorIsNotMistaken()
{
    const std::string input = R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": "plan", "decision": "pending", "trace_id": "t", "run_id": "x", "steps": []})" "\n";
    const auto model = rwtest::load(input);
    QCOMPARE(model->format(), Format::Interceptor);
    QCOMPARE(model->traceCount(), std::size_t(1));
}

void TestRunTrace::brokenRunIsReported()
{
    std::string broken = kRun;
    broken.resize(broken.size() / 2);
    const std::string input = std::string(kRun) + "\n" + broken + "\n" + std::string(kRun) + "\n";
    const auto model = rwtest::load(input);
    QCOMPARE(model->format(), Format::RunTrace);
    QCOMPARE(model->diagnosticCount(DiagnosticCode::InvalidJson), std::uint64_t(1));
    QCOMPARE(model->diagnostics().front().line, std::uint64_t(2));
    // both good runs loaded; the broken line is kept as raw bytes, like any unreadable line
    QCOMPARE(model->eventCount(), std::size_t(7));
    QCOMPARE(model->stats().rejected, std::uint64_t(1));
}

void TestRunTrace::detectionByStructure_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("format"); // of the first record
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("traces");
    QTest::addColumn<QByteArrayList>("codes");
    const std::string ev1 = R"({"timestamp": "2026-05-17T00:00:01Z", "event_type": "plan", "decision": "pending", "trace_id": "t1"})";
    const std::string ev2 = R"({"timestamp": "2026-05-17T00:00:02Z", "event_type": "plan", "decision": "pending", "trace_id": "t2"})";
    // a legacy record (no event_type) whose arguments hold run_id and steps
    const std::string legacy = R"({"timestamp": "2026-05-17T00:00:00Z", "trace_id": "t0", "allowed": true, "tool_name": "x", "arguments": {"run_id": "r", "steps": []}})";
    const auto b = [](const std::string& s) { return QByteArray(s.data(), static_cast<qsizetype>(s.size())); };
    QTest::newRow("legacy record mentioning run keys first")
        << b(legacy + "\n" + ev1 + "\n" + ev2 + "\n") << int(Format::Interceptor) << 3 << 3 << QByteArrayList{};
    QTest::newRow("run document on top of an interceptor log")
        << b(std::string(kRun) + "\n" + ev1 + "\n" + ev2 + "\n") << int(Format::RunTrace) << 5 << 3
        << QByteArrayList{"MIXED_FORMAT", "MIXED_FORMAT"};
    QTest::newRow("run document inside an interceptor log")
        << b(ev1 + "\n" + std::string(kRun) + "\n" + ev2 + "\n") << int(Format::Interceptor) << 5 << 3
        << QByteArrayList{"MIXED_FORMAT"};
    QTest::newRow("pretty document with steps as an object, then a good one")
        << b("{\n \"run_id\": \"r0\",\n \"steps\": {\"a\": 1}\n}\n" + std::string(kRun) + "\n")
        << int(Format::RunTrace) << 3 << 1 << QByteArrayList{"RUN_TRACE_INVALID"};
    QTest::newRow("pretty documents with garbage after them")
        << b("{\n \"run_id\": \"r0\", \"steps\": []\n}\n" + std::string(kRun) + "\ngarbage here\n")
        << int(Format::RunTrace) << 3 << 1 << QByteArrayList{"INVALID_JSON"};
    QTest::newRow("one bad step costs that step only")
        << b("{\n \"run_id\": \"r0\", \"steps\": [42, {\"action\": \"a\", \"timestamp\": \"2026-03-09T07:00:01Z\"}]\n}\n")
        << int(Format::RunTrace) << 1 << 1 << QByteArrayList{"RUN_TRACE_INVALID", "RUN_STEP_NO_REASONING"};
    QTest::newRow("pretty interceptor event among run documents")
        << b("{\n \"run_id\": \"r0\", \"steps\": [{\"action\": \"a\", \"timestamp\": \"2026-03-09T07:00:01Z\"}]\n}\n{\n \"timestamp\": \"2026-05-17T00:00:01Z\", \"event_type\": \"plan\",\n \"decision\": \"pending\", \"trace_id\": \"t1\"\n}\n")
        << int(Format::RunTrace) << 2 << 2 << QByteArrayList{"RUN_STEP_NO_REASONING", "MIXED_FORMAT"};
    // a damaged first line whose brackets close lines later: still JSONL, nothing hidden
    QTest::newRow("damaged first line of a JSONL log")
        << b("{\"timestamp\": \"2026-05-17T00:00:00Z\", \"x\": [\n" + ev1 + "\n" + ev2 + "\n]}\n" + ev1 + "\n")
        << int(Format::Interceptor) << 3 << 2 << QByteArrayList{"INVALID_JSON", "INVALID_JSON"};
    QTest::newRow("pretty document that is no run")
        << b("{\n \"hello\": \"world\"\n}\n") << int(Format::RunTrace) << 0 << 0
        << QByteArrayList{"RUN_TRACE_INVALID", "NO_EVENTS"};
}

void TestRunTrace::detectionByStructure()
{
    QFETCH(QByteArray, input);
    QFETCH(int, format);
    QFETCH(int, events);
    QFETCH(int, traces);
    QFETCH(QByteArrayList, codes);
    const auto model = rwtest::load(std::string_view(input.constData(), static_cast<std::size_t>(input.size())));
    QByteArrayList got;
    for (const Diagnostic& d : model->diagnostics())
        got << QByteArray(diagnosticCodeName(d.code));
    QCOMPARE(got, codes);
    QCOMPARE(int(model->format()), format);
    QCOMPARE(int(model->eventCount() - model->stats().rejected), events);
    QCOMPARE(int(model->traceCount()), traces);
    for (const Diagnostic& d : model->diagnostics())
        QVERIFY(d.offset <= static_cast<std::uint64_t>(input.size()));
    for (std::size_t i = 0; i < model->eventCount(); ++i) {
        const EventRecord& e = model->event(i);
        QVERIFY(e.offset + e.length <= static_cast<std::uint64_t>(input.size()));
        if (!e.has(EventFlag::Rejected))
            QCOMPARE(input.at(static_cast<qsizetype>(e.offset)), '{');
    }
}

void TestRunTrace::sampleFile()
{
    LoadResult r = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/run-trace-report.json");
    QVERIFY(r.model);
    QCOMPARE(r.model->format(), Format::RunTrace);
    QCOMPARE(r.model->eventCount(), std::size_t(4));
    QCOMPARE(r.model->diagnostics().size(), std::size_t(0));
    const TraceSummary s = summarizeTrace(*r.model, 0);
    QCOMPARE(s.distinctTools, 4u);
    // a run's duration starts with its first step's start (timestamp - duration_ms)
    QCOMPARE(s.durationUs(), std::int64_t(4712000));
    QCOMPARE(r.model->str(r.model->event(2), Field::Decision), std::string_view("blocked"));
}

QTEST_GUILESS_MAIN(TestRunTrace)
#include "tst_runtrace.moc"
