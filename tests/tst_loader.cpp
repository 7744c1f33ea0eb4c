// Loader behaviour on good and hostile input bytes: one data row per bad input
// the issue names, plus offsets, legacy inference, identity fields, trace
// order, full JSON on demand, parallel merge and the diagnostic cap. Files on
// disk: tst_loaderfiles.
#include "model/auditloader.h"
#include "model/eventjson.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;
using rwtest::planLine;

namespace {

QByteArray bytes(const std::string& s)
{
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

QByteArrayList codeNames(const ReplayModel& m)
{
    QByteArrayList out;
    for (const Diagnostic& d : m.diagnostics())
        out << QByteArray(diagnosticCodeName(d.code));
    return out;
}

} // namespace

class TestLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badInput_data();
    void badInput();
    void lineTooLong();
    void offsetsAreExact();
    void legacyInference_data();
    void legacyInference();
    void identityFromContext();
    void tracesKeepFileOrder();
    void fullJsonOnDemand();
    void parallelEqualsSerial();
    void diagnosticStorageIsCapped();
};

void TestLoader::badInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("expectedCodes");
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("rejected");
    QTest::addColumn<int>("traces");

    const std::string l1 = planLine("t1", "e1"), l2 = planLine("t1", "e22"), l3 = planLine("t2", "e333");
    QTest::newRow("empty file") << QByteArray() << QByteArrayList{"EMPTY_FILE"} << 0 << 0 << 0;
    QTest::newRow("only blank lines") << QByteArray("\n   \n\t\n\r\n") << QByteArrayList{"CRLF_LINE_ENDINGS", "NO_EVENTS"} << 0
                                      << 0 << 0;
    QTest::newRow("utf-8 bom") << bytes("\xEF\xBB\xBF" + l1 + "\n") << QByteArrayList{"BOM_SKIPPED"} << 1 << 0 << 1;
    QTest::newRow("bom on a blank last line") << bytes(l1 + "\n\xEF\xBB\xBF\n") << QByteArrayList{"BOM_INSIDE"} << 1 << 0 << 1;
    QTest::newRow("only a bom line") << QByteArray("\n\xEF\xBB\xBF\n") << QByteArrayList{"BOM_INSIDE", "NO_EVENTS"} << 0 << 0 << 0;
    QTest::newRow("invalid number atom") << bytes(planLine("t2", "e2", ", \"trace_id\": nope") + "\n")
                                         << QByteArrayList{"INVALID_JSON"} << 1 << 1 << 0;
    QTest::newRow("bom inside") << bytes(l1 + "\n\xEF\xBB\xBF" + l3 + "\n") << QByteArrayList{"BOM_INSIDE"} << 2 << 0
                                << 2;
    QTest::newRow("utf-16 file") << QByteArray("\xFF\xFE{\0\"\0", 6) << QByteArrayList{"ENCODING_UTF16", "NO_EVENTS"} << 0 << 0 << 0;
    QTest::newRow("utf-16 without bom") << QByteArray("{\0\"\0t\0\"\0:\0 \0", 12) << QByteArrayList{"ENCODING_UTF16", "NO_EVENTS"}
                                        << 0 << 0 << 0;
    QTest::newRow("utf-32le with bom") << QByteArray("\xFF\xFE\0\0{\0\0\0\"\0\0\0", 12)
                                       << QByteArrayList{"ENCODING_UTF32", "NO_EVENTS"} << 0 << 0 << 0;
    QTest::newRow("utf-32be without bom") << QByteArray("\0\0\0{\0\0\0\"\0\0\0t\0\0\0\"", 16)
                                          << QByteArrayList{"ENCODING_UTF32", "NO_EVENTS"} << 0 << 0 << 0;
    // a stored ZIP holds readable lines; they must not load as if the ZIP were the log
    QTest::newRow("stored zip") << bytes("PK\x03\x04\x0a\0\0\0\0\0" + l1 + "\n" + l3 + "\n")
                                << QByteArrayList{"BINARY_FILE", "NO_EVENTS"} << 0 << 0 << 0;
    QTest::newRow("gzip") << QByteArray("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10) << QByteArrayList{"BINARY_FILE", "NO_EVENTS"}
                          << 0 << 0 << 0;
    QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) << QByteArrayList{"BINARY_FILE", "NO_EVENTS"}
                         << 0 << 0 << 0;
    QTest::newRow("pdf") << QByteArray("%PDF-1.7\n%\xe2\xe3\n") << QByteArrayList{"BINARY_FILE", "NO_EVENTS"} << 0 << 0 << 0;
    QTest::newRow("cr-only line ends") << bytes(l1 + "\r" + l3 + "\r") << QByteArrayList{"CR_LINE_ENDINGS", "NO_EVENTS"}
                                       << 0 << 0 << 0;
    QTest::newRow("conflicting duplicate keys") << bytes(planLine("t1", "e1", ", \"decision\": \"blocked\"") + "\n")
                                                << QByteArrayList{"DUPLICATE_KEY"} << 1 << 0 << 1;
    QTest::newRow("crlf") << bytes(l1 + "\r\n" + l2 + "\r\n") << QByteArrayList{"CRLF_LINE_ENDINGS"} << 2 << 0 << 1;
    QTest::newRow("blank lines between") << bytes(l1 + "\n\n  \n" + l3 + "\n") << QByteArrayList{} << 2 << 0 << 2;
    QTest::newRow("invalid json") << bytes(l1 + "\n{not-json}\n" + l3 + "\n") << QByteArrayList{"INVALID_JSON"} << 3
                                  << 1 << 2;
    QTest::newRow("two objects on a line") << bytes(l1 + l3 + "\n") << QByteArrayList{"INVALID_JSON"} << 1 << 1 << 0;
    QTest::newRow("lone cr inside a line") << bytes(l1 + "\r" + l3 + "\n") << QByteArrayList{"INVALID_JSON"} << 1 << 1
                                           << 0;
    QTest::newRow("trailing comma") << bytes(R"({"timestamp": "2026-05-17T00:00:00Z", "trace_id": "t",})" "\n")
                                    << QByteArrayList{"INVALID_JSON"} << 1 << 1 << 0;
    QTest::newRow("invalid utf-8") << bytes(l1 + "\n" + planLine("t2", "e2", ", \"reason\": \"bad \xff\xfe\"") + "\n")
                                   << QByteArrayList{"INVALID_UTF8"} << 2 << 1 << 1;
    QTest::newRow("overlong utf-8") << bytes(planLine("t2", "e2", ", \"reason\": \"\xc0\xaf\"") + "\n")
                                    << QByteArrayList{"INVALID_UTF8"} << 1 << 1 << 0;
    QTest::newRow("nul byte") << bytes(planLine("t2", "e2", std::string(", \"reason\": \"a\0b\"", 17)) + "\n")
                              << QByteArrayList{"NUL_BYTES"} << 1 << 1 << 0;
    QTest::newRow("nul padding tail") << bytes(l1 + "\n" + std::string(4096, '\0')) << QByteArrayList{"NUL_PADDING"}
                                      << 2 << 1 << 1;
    QTest::newRow("incomplete last line") << bytes(l1 + "\n" + l3.substr(0, l3.size() / 2))
                                          << QByteArrayList{"INCOMPLETE_LAST_LINE"} << 2 << 1 << 1;
    QTest::newRow("complete last line without newline") << bytes(l1 + "\n" + l3) << QByteArrayList{"NO_FINAL_NEWLINE"}
                                                        << 2 << 0 << 2;
    QTest::newRow("too deep") << bytes(planLine("t2", "e2", ", \"x\": " + std::string(100, '[') + std::string(100, ']')) +
                                       "\n" + l1 + "\n")
                              << QByteArrayList{"DEPTH_EXCEEDED"} << 2 << 1 << 1;
    QTest::newRow("deep but within limit") << bytes(planLine("t2", "e2", ", \"x\": " + std::string(60, '[') +
                                                                         std::string(60, ']')) + "\n")
                                           << QByteArrayList{} << 1 << 0 << 1;
    QTest::newRow("brackets inside strings do not count")
        << bytes(planLine("t2", "e2", ", \"x\": \"" + std::string(200, '[') + "\"") + "\n") << QByteArrayList{} << 1 << 0
        << 1;
    QTest::newRow("not objects") << QByteArray("42\n\"x\"\n[]\nnull\n")
                                 << QByteArrayList{"NOT_OBJECT", "NOT_OBJECT", "NOT_OBJECT", "NOT_OBJECT"} << 4 << 4 << 0;
    QTest::newRow("wrong field types")
        << bytes(R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": "plan", "decision": "pending", "trace_id": 5, "allowed": "yes", "provenance": {}})"
                 "\n")
        << QByteArrayList{"WRONG_FIELD_TYPE", "WRONG_FIELD_TYPE", "WRONG_FIELD_TYPE"} << 1 << 0 << 1;
    QTest::newRow("missing timestamp") << bytes(R"({"event_type": "tool_blocked", "decision": "blocked", "trace_id": "t9"})" "\n" + l1 + "\n")
                                       << QByteArrayList{"MISSING_TIMESTAMP"} << 2 << 1 << 1;
    QTest::newRow("null timestamp") << bytes(R"({"timestamp": null, "trace_id": "t9"})" "\n")
                                    << QByteArrayList{"MISSING_TIMESTAMP"} << 1 << 1 << 0;
    QTest::newRow("unparseable timestamp")
        << bytes(R"({"timestamp": "yesterday", "event_type": "plan", "decision": "pending", "trace_id": "t9"})" "\n")
        << QByteArrayList{"UNPARSEABLE_TIMESTAMP"} << 1 << 0 << 1;
    QTest::newRow("numeric timestamp")
        << bytes(R"({"timestamp": 1778976000, "event_type": "plan", "decision": "pending", "trace_id": "t9"})" "\n")
        << QByteArrayList{"WRONG_FIELD_TYPE"} << 1 << 0 << 1;
    QTest::newRow("event type without decision")
        << bytes(R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": "plan", "trace_id": "t9"})" "\n")
        << QByteArrayList{"MISSING_DECISION"} << 1 << 0 << 1;
    QTest::newRow("duplicate event id") << bytes(l1 + "\n" + l1 + "\n") << QByteArrayList{"DUPLICATE_EVENT_ID"} << 2
                                        << 0 << 1;
    QTest::newRow("no trace id") << bytes(R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": "plan", "decision": "pending"})" "\n")
                                 << QByteArrayList{} << 1 << 0 << 0;
    QTest::newRow("unknown keys ignored") << bytes(planLine("t1", "e1", ", \"zzz\": {\"a\": [1, 2]}, \"yyy\": null") + "\n")
                                          << QByteArrayList{} << 1 << 0 << 1;
    QTest::newRow("escaped key still read")
        << bytes(R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": "plan", "decision": "pending", "trace\u005fid": "t1"})" "\n")
        << QByteArrayList{} << 1 << 0 << 1;
}

void TestLoader::badInput()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expectedCodes);
    QFETCH(int, events);
    QFETCH(int, rejected);
    QFETCH(int, traces);
    const auto model = rwtest::load(std::string_view(input.constData(), static_cast<std::size_t>(input.size())));
    QVERIFY(model);
    QCOMPARE(codeNames(*model), expectedCodes);
    QCOMPARE(int(model->eventCount()), events);
    QCOMPARE(int(model->stats().rejected), rejected);
    QCOMPARE(int(model->traceCount()), traces);
    // every finding points into the file, and records stay inside it
    for (const Diagnostic& d : model->diagnostics())
        QVERIFY(d.offset <= static_cast<std::uint64_t>(input.size()));
    for (std::size_t i = 0; i < model->eventCount(); ++i)
        if (const EventRecord& e = model->event(i); true)
            QVERIFY(e.offset + e.length <= static_cast<std::uint64_t>(input.size()));
}

void TestLoader::lineTooLong()
{
    const std::string big = planLine("t1", "e1", ", \"reason\": \"" + std::string(5000, 'x') + "\"");
    const std::string input = planLine("t1", "e0") + "\n" + big + "\n" + planLine("t1", "e2") + "\n";
    LoadOptions options;
    options.limits.maxLineBytes = 1024;
    const auto model = AuditLoader::loadBytes(input, "<t>", options);
    QCOMPARE(codeNames(*model), QByteArrayList{"LINE_TOO_LONG"});
    QCOMPARE(model->diagnostics()[0].line, std::uint64_t(2));
    QCOMPARE(model->traceEvents(0).size(), std::size_t(2));
    QVERIFY(model->event(1).has(EventFlag::Rejected));
    QCOMPARE(model->raw(model->event(1)).size(), big.size()); // kept, viewable as raw bytes
}

void TestLoader::offsetsAreExact()
{
    const std::string a = planLine("t1", "e1"), b = planLine("t2", "e22");
    const std::string input = "\xEF\xBB\xBF" + a + "\r\n\n" + b + "\n";
    const auto model = rwtest::load(input);
    QCOMPARE(model->eventCount(), std::size_t(2));
    QCOMPARE(model->event(0).offset, std::uint64_t(3));
    QCOMPARE(model->raw(model->event(0)), std::string_view(a));
    QCOMPARE(model->event(0).line, 1u);
    QCOMPARE(model->event(1).line, 3u);
    QCOMPARE(model->event(1).offset, std::uint64_t(3 + a.size() + 3));
    QCOMPARE(model->raw(model->event(1)), std::string_view(b));
}

void TestLoader::legacyInference_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("eventType");
    QTest::addColumn<QByteArray>("decision");
    QTest::newRow("allowed") << QByteArray(R"({"timestamp": "2026-01-01T00:00:00+00:00", "allowed": true, "trace_id": "l"})")
                             << QByteArray("tool_allowed") << QByteArray("allowed");
    QTest::newRow("approval") << QByteArray(R"({"timestamp": "2026-01-01T00:00:00+00:00", "allowed": false, "approval_id": "apr-1", "reason": "Needs APPROVAL now", "trace_id": "l"})")
                              << QByteArray("approval_required") << QByteArray("require_approval");
    QTest::newRow("approval id without the word") << QByteArray(R"({"timestamp": "2026-01-01T00:00:00+00:00", "allowed": false, "approval_id": "apr-1", "reason": "no", "trace_id": "l"})")
                                                  << QByteArray("tool_blocked") << QByteArray("blocked");
    QTest::newRow("blocked") << QByteArray(R"({"timestamp": "2026-01-01T00:00:00+00:00", "trace_id": "l"})")
                             << QByteArray("tool_blocked") << QByteArray("blocked");
    QTest::newRow("null event_type is legacy") << QByteArray(R"({"timestamp": "2026-01-01T00:00:00+00:00", "event_type": null, "allowed": true, "trace_id": "l"})")
                                               << QByteArray("tool_allowed") << QByteArray("allowed");
}

void TestLoader::legacyInference()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, eventType);
    QFETCH(QByteArray, decision);
    const auto model = rwtest::load(std::string_view(input.constData(), static_cast<std::size_t>(input.size())));
    QCOMPARE(model->eventCount(), std::size_t(1));
    const EventRecord& e = model->event(0);
    QVERIFY(e.has(EventFlag::Legacy));
    QCOMPARE(QByteArray::fromStdString(std::string(model->str(e, Field::EventType))), eventType);
    QCOMPARE(QByteArray::fromStdString(std::string(model->str(e, Field::Decision))), decision);
    QCOMPARE(model->str(e, Field::RiskLevel), std::string_view("low"));
    QCOMPARE(model->str(e, Field::SchemaVersion).size(), std::size_t(0));
    QVERIFY(!model->has(e, Field::SchemaVersion));
}

void TestLoader::identityFromContext()
{
    const std::string input =
        R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": "decision", "decision": "blocked", "trace_id": "t", "tenant_id": "top-tenant", "context": {"tenant_id": "ctx-tenant", "policy_bundle": "bundle-b@3", "runtime_mode": "enforce", "budget_context": {"team": "fin", "monthly_usd": 500}, "sensitivity_level": "high", "allowed_capabilities": ["cap_a", "cap_b"]}, "provenance": [{"source_type": "skill", "trust_level": "unverified", "source_name": "s\u00e9"}], "runtime_usage": {"tool_calls_used": 3, "depth_used": 1, "runtime_seconds": 2.5, "estimated_cost_usd": 0.25}, "runtime_violations": ["cost_limit_exceeded"], "requested_capabilities": ["x.y"]})"
        "\n";
    const auto model = rwtest::load(input);
    const EventRecord& e = model->event(0);
    QCOMPARE(model->str(e, Field::TenantId), std::string_view("top-tenant")); // top level wins
    QCOMPARE(model->str(e, Field::PolicyBundle), std::string_view("bundle-b@3"));
    QCOMPARE(model->str(e, Field::RuntimeMode), std::string_view("enforce"));
    QCOMPARE(model->str(e, Field::BudgetContext), std::string_view(R"({"team": "fin", "monthly_usd": 500})"));
    QCOMPARE(model->str(e, Field::SensitivityLevel), std::string_view("high"));
    QCOMPARE(model->list(e.grantedCaps).size(), std::size_t(2));
    QCOMPARE(model->str(model->list(e.grantedCaps)[1]), std::string_view("cap_b"));
    QCOMPARE(model->provenance(e).size(), std::size_t(1));
    QCOMPARE(model->str(model->provenance(e)[0].sourceName), std::string_view("s\xc3\xa9")); // unescaped
    QVERIFY(e.has(EventFlag::HasRuntimeUsage));
    QCOMPARE(e.usage[0], 3.0);
    QCOMPARE(e.usage[2], 2.5);
    QCOMPARE(e.usage[3], 0.25);
    QCOMPARE(model->list(e.violations).size(), std::size_t(1));
    QCOMPARE(model->list(e.requestedCaps).size(), std::size_t(1));
    QCOMPARE(e.timeUs, std::int64_t(1778976000000000));
}

void TestLoader::tracesKeepFileOrder()
{
    std::string input;
    for (int i = 0; i < 10; ++i)
        input += planLine(i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c", "e" + std::to_string(i)) + "\n";
    const auto model = rwtest::load(input);
    QCOMPARE(model->traceCount(), std::size_t(3));
    QCOMPARE(model->str(model->trace(0).id), std::string_view("a"));
    QCOMPARE(model->str(model->trace(2).id), std::string_view("c"));
    const auto a = model->traceEvents(0);
    QCOMPARE(a.size(), std::size_t(4));
    for (std::size_t i = 1; i < a.size(); ++i)
        QVERIFY(a[i] > a[i - 1]);
    QCOMPARE(model->findTrace("b").value_or(99), std::size_t(1));
    QVERIFY(!model->findTrace("zz"));
}

void TestLoader::fullJsonOnDemand()
{
    const std::string input = planLine("t", "e1", ", \"payload\": {\"z\": 1, \"a\": [true, null]}") + "\n";
    const auto model = rwtest::load(input);
    std::string error;
    const auto j = parseEventJson(*model, model->event(0), &error);
    QVERIFY2(j.has_value(), error.c_str());
    QCOMPARE((*j)["payload"].begin().key(), std::string("z")); // file order kept
    QCOMPARE((*j)["trace_id"].get<std::string>(), std::string("t"));
    QVERIFY(!parseJsonText(std::string(200, '[') + std::string(200, ']'), &error, 64));
    QVERIFY(error.find("deeper") != std::string::npos);
    QVERIFY(!parseJsonText("{bad", &error));
}
void TestLoader::parallelEqualsSerial()
{
    // > 2 MiB so that several slices are parsed in parallel
    std::string input;
    int i = 0;
    while (input.size() < (5u << 20)) {
        input += planLine("trace-" + std::to_string(i % 97), "evt-" + std::to_string(i % 5000),
                      ", \"provenance\": [{\"source_type\": \"skill\", \"trust_level\": \"t" + std::to_string(i % 4) +
                          "\"}], \"reason\": \"r\\u00e9" + std::to_string(i % 13) + "\"") +
                 "\n";
        if (i % 1000 == 7)
            input += "{broken " + std::to_string(i) + "\n\n";
        ++i;
    }
    const auto serial = rwtest::load(input, 1);
    const auto parallel = rwtest::load(input, 4);
    QVERIFY(parallel->stats().chunks > 1);
    QCOMPARE(parallel->eventCount(), serial->eventCount());
    QCOMPARE(parallel->traceCount(), serial->traceCount());
    QCOMPARE(rwtest::codes(*parallel), rwtest::codes(*serial));
    for (std::size_t d = 0; d < serial->diagnostics().size(); ++d) {
        QCOMPARE(parallel->diagnostics()[d].line, serial->diagnostics()[d].line);
        QCOMPARE(parallel->diagnostics()[d].record, serial->diagnostics()[d].record);
    }
    for (std::size_t e = 0; e < serial->eventCount(); ++e) {
        const EventRecord& a = serial->event(e);
        const EventRecord& b = parallel->event(e);
        QCOMPARE(a.offset, b.offset);
        QCOMPARE(a.line, b.line);
        QCOMPARE(a.flags, b.flags);
        for (std::size_t f = 0; f < kFieldCount; ++f)
            QCOMPARE(serial->str(a.str[f]), parallel->str(b.str[f]));
        QCOMPARE(a.provenance.count, b.provenance.count);
        for (std::size_t p = 0; p < a.provenance.count; ++p)
            QCOMPARE(serial->str(serial->provenance(a)[p].trustLevel), parallel->str(parallel->provenance(b)[p].trustLevel));
    }
    for (std::size_t t = 0; t < serial->traceCount(); ++t) {
        QCOMPARE(serial->str(serial->trace(t).id), parallel->str(parallel->trace(t).id));
        const auto se = serial->traceEvents(t);
        const auto pe = parallel->traceEvents(t);
        QVERIFY(std::equal(se.begin(), se.end(), pe.begin(), pe.end()));
    }
    QVERIFY(serial->diagnosticCount(DiagnosticCode::DuplicateEventId) > 0);
}

void TestLoader::diagnosticStorageIsCapped()
{
    std::string input;
    for (int i = 0; i < 500; ++i)
        input += "{bad\n";
    LoadOptions options;
    options.limits.maxStoredDiagnostics = 100;
    const auto model = AuditLoader::loadBytes(input, "<t>", options);
    QCOMPARE(model->diagnostics().size(), std::size_t(100));
    QCOMPARE(model->diagnosticCount(DiagnosticCode::InvalidJson), std::uint64_t(500));
    // past the limit a bad line is counted, not kept: memory stays bounded
    QCOMPARE(model->eventCount(), std::size_t(100));
    QCOMPARE(model->stats().events, std::uint64_t(500));
    QCOMPARE(model->stats().rejected, std::uint64_t(500));
    QCOMPARE(model->stats().unstoredRecords, std::uint64_t(400));
}
QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
