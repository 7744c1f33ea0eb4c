// The run-trace format of the second seed: detection, mapping of runs to
// traces and steps to events, denial rules and byte offsets of each step.
#include "testutil.h"
#include "tracesummary.h"

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
    QCOMPARE(model->eventCount(), std::size_t(6)); // both good runs loaded
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
    QCOMPARE(s.durationUs(), std::int64_t(3900000));
    QCOMPARE(r.model->str(r.model->event(2), Field::Decision), std::string_view("blocked"));
}

QTEST_GUILESS_MAIN(TestRunTrace)
#include "tst_runtrace.moc"
