// The streaming form of run traces (reference §3.2): run_started / step /
// run_completed events, one per line, detected next to the one-document and
// JSONL-of-runs shapes; interleaved runs, early steps and bad lines.
#include "model/timestamp.h"
#include "model/tracesummary.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;

namespace {

std::string started(const std::string& run, const std::string& at)
{
    return R"({"event": "run_started", "run_id": ")" + run + R"(", "agent_id": "agent-)" + run +
           R"(", "trigger": "alert:x", "started_at": ")" + at + R"(", "policy_version": "v1"})";
}

std::string step(const std::string& run, int index, const std::string& at, int ms, const std::string& perm)
{
    return R"({"event": "step", "run_id": ")" + run + R"(", "step_index": )" + std::to_string(index) +
           R"(, "action": "a)" + std::to_string(index) + R"(", "reasoning": "because", "tool_call": {"tool": "t", "parameters": {"n": )" +
           std::to_string(index) + R"(}}, "result": {"status": "success", "data": {"ok": true}}, "permissions_used": [")" + perm +
           R"("], "timestamp": ")" + at + R"(", "duration_ms": )" + std::to_string(ms) + "}";
}

std::string completed(const std::string& run, const std::string& at)
{
    return R"({"event": "run_completed", "run_id": ")" + run + R"(", "status": "completed", "completed_at": ")" + at +
           R"(", "permissions_summary": {"granted": ["p:read"], "denied": ["p:drop"], "escalated": ["p:write"]}})";
}

std::string lines(std::initializer_list<std::string> items)
{
    std::string out;
    for (const std::string& l : items)
        out += l + "\n";
    return out;
}

QByteArray bytes(const std::string& s) { return QByteArray(s.data(), static_cast<qsizetype>(s.size())); }

} // namespace

class TestRunStream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shapes_data();
    void shapes();
    void interleavedRuns();
    void stepBeforeRunStarted();
    void badLinesNeverStopTheLoad_data();
    void badLinesNeverStopTheLoad();
};

// the same two-step run in each of the three shapes
void TestRunStream::shapes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("status");
    const std::string s0 = R"({"step_index": 0, "action": "a0", "reasoning": "r", "tool_call": {"tool": "t"}, "result": {"status": "success"}, "permissions_used": ["p:write"], "timestamp": "2026-03-05T10:00:01Z", "duration_ms": 1000})";
    const std::string s1 = R"({"step_index": 1, "action": "a1", "reasoning": "r", "tool_call": {"tool": "t"}, "result": {"status": "success"}, "permissions_used": ["p:read"], "timestamp": "2026-03-05T10:00:03Z", "duration_ms": 2000})";
    const std::string doc = R"({"run_id": "r1", "agent_id": "ag", "started_at": "2026-03-05T10:00:00Z", "completed_at": "2026-03-05T10:00:04Z", "status": "completed", "steps": [)" +
                            s0 + ", " + s1 + R"(], "permissions_summary": {"escalated": ["p:write"]}})";
    std::string pretty = doc;
    pretty.insert(1, "\n"); // spans lines: a document, not JSONL
    const auto asEvent = [](std::string s) { return s.insert(1, R"("event": "step", "run_id": "r1", )"); };
    QTest::newRow("one document") << bytes(pretty + "\n") << QByteArray("completed");
    QTest::newRow("JSONL of runs") << bytes(doc + "\n") << QByteArray("completed");
    QTest::newRow("stream")
        << bytes(lines({R"({"event": "run_started", "run_id": "r1", "agent_id": "ag", "started_at": "2026-03-05T10:00:00Z"})",
                        asEvent(s0), asEvent(s1),
                        R"({"event": "run_completed", "run_id": "r1", "status": "completed", "completed_at": "2026-03-05T10:00:04Z", "permissions_summary": {"escalated": ["p:write"]}})"}))
        << QByteArray("completed");
    QTest::newRow("stream without run_completed")
        << bytes(lines({R"({"event": "run_started", "run_id": "r1", "agent_id": "ag", "started_at": "2026-03-05T10:00:00Z"})",
                        asEvent(s0), asEvent(s1)}))
        << QByteArray("running");
}

void TestRunStream::shapes()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, status);
    const auto m = rwtest::load(std::string_view(input.constData(), static_cast<std::size_t>(input.size())));
    QCOMPARE(m->format(), Format::RunTrace);
    QCOMPARE(m->diagnostics().size(), std::size_t(0));
    QCOMPARE(m->eventCount(), std::size_t(2));
    QCOMPARE(m->runs().size(), std::size_t(1));
    const RunInfo& run = m->runs()[0];
    QCOMPARE(m->str(run.runId), std::string_view("r1"));
    QCOMPARE(m->str(run.agentId), std::string_view("ag"));
    QCOMPARE(QByteArray(m->str(run.status).data(), static_cast<qsizetype>(m->str(run.status).size())), status);
    QCOMPARE(m->str(m->event(1), Field::EventId), std::string_view("r1#step-1"));
    QCOMPARE(m->str(m->event(1), Field::AgentId), std::string_view("ag"));
    QCOMPARE(m->runStep(1)->durationMs, std::int64_t(2000));
    QCOMPARE(m->startTimeUs(1), m->event(0).timeUs);
    const bool complete = status == "completed";
    QCOMPARE(m->event(0).has(EventFlag::Escalated), complete); // the summary comes with the end
    QCOMPARE(summarizeTrace(*m, 0).durationUs(), complete ? std::int64_t(4000000) : std::int64_t(3000000));
}

void TestRunStream::interleavedRuns()
{
    const std::string input = lines({started("A", "2026-03-05T10:00:00Z"), started("B", "2026-03-05T10:00:00.500Z"),
                                     step("A", 0, "2026-03-05T10:00:01Z", 1000, "p:read"),
                                     step("B", 0, "2026-03-05T10:00:01.500Z", 1000, "p:write"),
                                     step("A", 1, "2026-03-05T10:00:02Z", 1000, "p:drop"),
                                     completed("B", "2026-03-05T10:00:02Z"),
                                     step("A", 2, "2026-03-05T10:00:03Z", 1000, "p:write")});
    const auto m = rwtest::load(input);
    QCOMPARE(m->format(), Format::RunTrace);
    QCOMPARE(m->diagnostics().size(), std::size_t(0));
    QCOMPARE(m->traceCount(), std::size_t(2));
    QCOMPARE(m->runs().size(), std::size_t(2));
    const auto a = *m->findTrace("A");
    const auto b = *m->findTrace("B");
    QCOMPARE(m->traceEvents(a).size(), std::size_t(3));
    QCOMPARE(m->traceEvents(b).size(), std::size_t(1));
    QCOMPARE(m->str(m->event(m->traceEvents(a)[2]), Field::EventId), std::string_view("A#step-2"));
    QCOMPARE(m->event(m->traceEvents(a)[2]).line, 7u);
    const RunInfo& runA = *m->runOf(m->traceEvents(a)[0]);
    const RunInfo& runB = *m->runOf(m->traceEvents(b)[0]);
    QCOMPARE(m->str(runA.status), std::string_view("running"));
    QCOMPARE(m->str(runB.status), std::string_view("completed"));
    QCOMPARE(m->str(runA.trigger), std::string_view("alert:x"));
    QCOMPARE(m->str(runA.policyVersion), std::string_view("v1"));
    QCOMPARE(runA.source, RunSource::Stream);
    QCOMPARE(runA.line, 1u);
    QCOMPARE(runB.completedUs, *parseTimestamp("2026-03-05T10:00:02Z"));
    // B's summary marks its step; A has none, so nothing of A is escalated or denied
    QVERIFY(m->event(m->traceEvents(b)[0]).has(EventFlag::Escalated));
    QVERIFY(!m->event(m->traceEvents(a)[2]).has(EventFlag::Escalated));
    QCOMPARE(m->str(m->event(m->traceEvents(a)[1]), Field::Decision), std::string_view("allowed"));
    QCOMPARE(m->str(m->event(m->traceEvents(a)[0]), Field::AgentId), std::string_view("agent-A"));
    // the raw bytes of a step event are its whole line
    QVERIFY(m->raw(m->event(m->traceEvents(b)[0])).starts_with(R"({"event": "step", "run_id": "B")"));
}

void TestRunStream::stepBeforeRunStarted()
{
    const std::string input = lines({step("R", 0, "2026-03-05T10:00:01Z", 1000, "p:drop"),
                                     started("R", "2026-03-05T10:00:00Z"),
                                     step("R", 1, "2026-03-05T10:00:02Z", 1000, "p:read"),
                                     completed("R", "2026-03-05T10:00:05Z")});
    const auto m = rwtest::load(input);
    QCOMPARE(m->format(), Format::RunTrace);
    QCOMPARE(m->diagnostics().size(), std::size_t(0));
    QCOMPARE(m->runs().size(), std::size_t(1));
    QCOMPARE(m->traceCount(), std::size_t(1));
    const RunInfo& run = m->runs()[0];
    QCOMPARE(run.startedUs, *parseTimestamp("2026-03-05T10:00:00Z"));
    QCOMPARE(m->str(run.status), std::string_view("completed"));
    QCOMPARE(m->str(m->event(0), Field::AgentId), std::string_view("agent-R")); // learnt later
    QCOMPARE(m->str(m->event(0), Field::Decision), std::string_view("blocked"));  // p:drop is denied
    QCOMPARE(m->runDurationUs(0), std::int64_t(5000000));
}

void TestRunStream::badLinesNeverStopTheLoad_data()
{
    QTest::addColumn<QByteArray>("bad");
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("invalid JSON") << QByteArray("{\"event\": \"step\", \"run_id\": ") << QByteArray("INVALID_JSON")
                                  << QByteArray();
    QTest::newRow("garbage") << QByteArray("#### not json at all") << QByteArray("INVALID_JSON") << QByteArray();
    QTest::newRow("not an object") << QByteArray("[1, 2]") << QByteArray("NOT_OBJECT") << QByteArray();
    QTest::newRow("unknown event") << QByteArray(R"({"event": "run_paused", "run_id": "R"})")
                                   << QByteArray("RUN_TRACE_INVALID") << QByteArray("run_paused");
    QTest::newRow("no run_id") << QByteArray(R"({"event": "step", "timestamp": "2026-03-05T10:00:01Z"})")
                               << QByteArray("RUN_TRACE_INVALID") << QByteArray("without run_id");
    QTest::newRow("interceptor event") << QByteArray(R"({"event": "step", "run_id": "R", "event_type": "plan"})")
                                       << QByteArray("RUN_TRACE_INVALID") << QByteArray("interceptor");
}

void TestRunStream::badLinesNeverStopTheLoad()
{
    QFETCH(QByteArray, bad);
    QFETCH(QByteArray, code);
    QFETCH(QByteArray, reason);
    const std::string head = lines({started("R", "2026-03-05T10:00:00Z"), step("R", 0, "2026-03-05T10:00:01Z", 1000, "p:read")});
    const std::string tail = lines({step("R", 1, "2026-03-05T10:00:02Z", 1000, "p:read"), completed("R", "2026-03-05T10:00:03Z")});
    // the bad line in the middle, and a cut-off last line as a live writer leaves it
    const std::string cut = step("R", 2, "2026-03-05T10:00:04Z", 1000, "p:read").substr(0, 40);
    const std::string input = head + bad.toStdString() + "\n" + tail + cut;
    const auto m = rwtest::load(input);
    QCOMPARE(m->format(), Format::RunTrace);
    QCOMPARE(m->eventCount() - m->stats().rejected, std::size_t(2));
    QCOMPARE(m->str(m->runs()[0].status), std::string_view("completed"));
    QCOMPARE(m->diagnostics().size(), std::size_t(2));
    const Diagnostic& d = m->diagnostics()[0];
    QCOMPARE(QByteArray(diagnosticCodeName(d.code)), code);
    QCOMPARE(d.line, std::uint64_t(3));
    QCOMPARE(d.offset, std::uint64_t(head.size()));
    QVERIFY2(d.detail.find(reason.toStdString()) != std::string::npos, d.detail.c_str());
    const Diagnostic& last = m->diagnostics()[1];
    QCOMPARE(QByteArray(diagnosticCodeName(last.code)), QByteArray("INCOMPLETE_LAST_LINE"));
    QCOMPARE(last.line, std::uint64_t(6));
    QCOMPARE(last.offset, std::uint64_t(input.size() - cut.size()));
}

QTEST_GUILESS_MAIN(TestRunStream)
#include "tst_runstream.moc"
