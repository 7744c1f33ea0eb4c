// The trace filter language: what parses, what each query selects on a small
// workspace, and every error case with its position.
#include "model/tracequery.h"
#include "model/workspace.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;

namespace {

std::string ev(const std::string& trace, const std::string& type, const std::string& decision, const std::string& extra)
{
    return R"({"timestamp": "2026-03-05T14:0)" + std::string(1, trace.back()) + R"(:00Z", "event_type": ")" + type +
           R"(", "decision": ")" + decision + R"(", "trace_id": ")" + trace + "\"" + extra + "}\n";
}

} // namespace

class TestTraceQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void select_data();
    void select();
    void cancelStopsTheFilter();
    void anomalyTerms_data();
    void anomalyTerms();
    void errors_data();
    void errors();
    void longTermsOnLongText();

private:
    Workspace m_ws;
};

void TestTraceQuery::initTestCase()
{
    // t1: finance email blocked by an unverified skill; t2: ops restart needing approval, 3 events;
    // t3: allowed read with a tenant and a late start; t4: a long trace
    std::string input;
    input += ev("t1", "plan", "pending", R"(, "agent_name": "finance_agent", "tool_name": "send_email", "decision_stage": "plan", "provenance": [{"source_type": "skill", "trust_level": "unverified"}])");
    input += ev("t1", "decision", "blocked", R"(, "agent_name": "finance_agent", "tool_name": "send_email", "decision_stage": "evaluate", "reason": "Recipient not allowlisted")");
    input += ev("t2", "plan", "pending", R"(, "agent_name": "ops_agent", "agent_id": "agent-ops-001", "tool_name": "restart_service", "decision_stage": "plan")");
    input += ev("t2", "decision", "require_approval", R"(, "agent_name": "ops_agent", "tool_name": "restart_service", "decision_stage": "evaluate")");
    input += ev("t2", "approval_required", "require_approval", R"(, "agent_name": "ops_agent", "tool_name": "restart_service", "decision_stage": "decision")");
    input += ev("t3", "tool_allowed", "allowed", R"(, "agent_name": "sales agent", "tool_name": "read_customer", "tenant_id": "acme", "provenance": [{"source_type": "user_prompt", "trust_level": "internal"}])");
    for (int i = 0; i < 12; ++i)
        input += R"({"timestamp": "2026-03-05T14:04:)" + std::to_string(10 + i) + R"(Z", "event_type": "tool_executed", "decision": "allowed", "trace_id": "t4", "tool_name": "search_docs", "runtime_violations": ["cost_limit_exceeded"]})" "\n";
    m_ws.addFile(rwtest::load(input));
    QCOMPARE(m_ws.rows().size(), std::size_t(4));
}

void TestTraceQuery::select_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("expected"); // trace ids, space separated
    QTest::newRow("empty") << QByteArray("") << QByteArray("t1 t2 t3 t4");
    QTest::newRow("decision") << QByteArray("decision:blocked") << QByteArray("t1");
    QTest::newRow("decision alias") << QByteArray("decision:block") << QByteArray("t1");
    QTest::newRow("decision case") << QByteArray("DECISION:Require_Approval") << QByteArray("t2");
    QTest::newRow("tool") << QByteArray("tool:send_email") << QByteArray("t1");
    QTest::newRow("tool glob") << QByteArray("tool:*_service") << QByteArray("t2");
    QTest::newRow("trust") << QByteArray("trust:unverified") << QByteArray("t1");
    QTest::newRow("agent by name") << QByteArray("agent:ops_agent") << QByteArray("t2");
    QTest::newRow("agent by id") << QByteArray("agent:agent-ops-001") << QByteArray("t2");
    QTest::newRow("quoted value") << QByteArray("agent:\"sales agent\"") << QByteArray("t3");
    QTest::newRow("tenant") << QByteArray("tenant:acme") << QByteArray("t3");
    QTest::newRow("stage") << QByteArray("stage:evaluate") << QByteArray("t1 t2");
    QTest::newRow("implicit and") << QByteArray("stage:evaluate decision:blocked") << QByteArray("t1");
    QTest::newRow("explicit and") << QByteArray("stage:evaluate AND decision:blocked") << QByteArray("t1");
    QTest::newRow("or") << QByteArray("decision:blocked OR decision:allowed") << QByteArray("t1 t3 t4");
    QTest::newRow("not") << QByteArray("NOT decision:allowed") << QByteArray("t1 t2");
    QTest::newRow("minus") << QByteArray("-decision:allowed") << QByteArray("t1 t2");
    QTest::newRow("bang") << QByteArray("!stage:plan") << QByteArray("t3 t4");
    QTest::newRow("not equal") << QByteArray("decision!=allowed") << QByteArray("t1 t2");
    QTest::newRow("parentheses") << QByteArray("(tool:send_email OR tool:read_customer) -tenant:acme") << QByteArray("t1");
    QTest::newRow("precedence: and binds tighter") << QByteArray("decision:blocked OR stage:plan tool:restart_service")
                                                   << QByteArray("t1 t2");
    QTest::newRow("events greater") << QByteArray("events>2") << QByteArray("t2 t4");
    QTest::newRow("events equal") << QByteArray("events:1") << QByteArray("t3");
    QTest::newRow("events less or equal") << QByteArray("events<=2") << QByteArray("t1 t3");
    QTest::newRow("first seen") << QByteArray("first_seen>=2026-03-05T14:02") << QByteArray("t2 t3 t4");
    QTest::newRow("first seen date only") << QByteArray("first_seen<2026-03-06") << QByteArray("t1 t2 t3 t4");
    QTest::newRow("duration") << QByteArray("duration>=10s") << QByteArray("t4");
    QTest::newRow("duration ms") << QByteArray("duration<1ms") << QByteArray("t1 t2 t3");
    QTest::newRow("violations") << QByteArray("violations>0") << QByteArray("t4");
    QTest::newRow("budget") << QByteArray("budget:violated") << QByteArray("t4");
    QTest::newRow("governance") << QByteArray("governance:enforced") << QByteArray("t2");
    QTest::newRow("trace glob") << QByteArray("trace:t*") << QByteArray("t1 t2 t3 t4");
    QTest::newRow("free text") << QByteArray("allowlisted") << QByteArray("t1");
    QTest::newRow("free text case") << QByteArray("FINANCE") << QByteArray("t1");
    QTest::newRow("quoted free text") << QByteArray("\"sales agent\"") << QByteArray("t3");
    QTest::newRow("hyphen inside a word") << QByteArray("agent-ops-001") << QByteArray("t2");
    QTest::newRow("diagnostics") << QByteArray("diags>0") << QByteArray("");
    QTest::newRow("file") << QByteArray("file:1") << QByteArray("t1 t2 t3 t4");
    // globs with several stars match segments in order, prefix and suffix anchored
    QTest::newRow("glob middle") << QByteArray("tool:*_cus*mer") << QByteArray("t3");
    QTest::newRow("glob prefix and suffix") << QByteArray("tool:s*l") << QByteArray("t1");
    QTest::newRow("glob segments in order") << QByteArray("tool:*mail*send*") << QByteArray("");
    QTest::newRow("glob overlapping ends") << QByteArray("tool:send_e*e_email") << QByteArray("");
    QTest::newRow("glob stars only") << QByteArray("tool:**") << QByteArray("t1 t2 t3 t4");
    QTest::newRow("glob repeated letters") << QByteArray("agent:*a*a*") << QByteArray("t1 t3");
    // long chains evaluate as before (flat, not one nested node per term)
    QTest::newRow("long or chain") << QByteArray("tool:a OR tool:b OR tool:c OR decision:blocked OR tool:d OR tenant:acme")
                                   << QByteArray("t1 t3");
    QTest::newRow("nested groups") << QByteArray("((((decision:blocked)) OR ((tenant:acme))))") << QByteArray("t1 t3");
    QTest::newRow("double negation") << QByteArray("NOT NOT NOT NOT decision:blocked") << QByteArray("t1");
    QTest::newRow("64 levels still parse") << (QByteArray(64, '(') + "decision:blocked" + QByteArray(64, ')'))
                                           << QByteArray("t1");
}

void TestTraceQuery::select()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, expected);
    QueryError error;
    const TraceQuery q = TraceQuery::parse(query.toStdString(), &error);
    QVERIFY2(error.code == QueryErrorCode::None, error.token.c_str());
    QByteArrayList got;
    for (const std::uint32_t row : q.filter(m_ws))
        got << QByteArray::fromStdString(std::string(m_ws.str(m_ws.row(row), m_ws.row(row).traceId)));
    QCOMPARE(got.join(' '), expected);
}

void TestTraceQuery::anomalyTerms_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("expected");          // with the analysis given
    QTest::addColumn<QByteArray>("withoutAnalysis");   // before it arrives: nothing, whatever the terms
    QTest::newRow("any") << QByteArray("anomalies>0") << QByteArray("t1 t2 t4") << QByteArray("");
    QTest::newRow("count") << QByteArray("anomalies>=3") << QByteArray("t4") << QByteArray("");
    QTest::newRow("none") << QByteArray("anomalies:0") << QByteArray("t3") << QByteArray("");
    QTest::newRow("worst") << QByteArray("worst:critical") << QByteArray("t1") << QByteArray("");
    QTest::newRow("worst none") << QByteArray("worst:none") << QByteArray("t3") << QByteArray("");
    QTest::newRow("worst not") << QByteArray("worst!=info anomalies>0") << QByteArray("t1 t4") << QByteArray("");
    QTest::newRow("with other terms") << QByteArray("worst:warn OR decision:blocked") << QByteArray("t1 t4") << QByteArray("");
    QTest::newRow("negated") << QByteArray("NOT anomalies>0") << QByteArray("t3") << QByteArray("");
}

// `anomalies` and `worst` read the analysis given with the filter; without it they match nothing
void TestTraceQuery::anomalyTerms()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, withoutAnalysis);
    QueryError error;
    const TraceQuery q = TraceQuery::parse(query.toStdString(), &error);
    QVERIFY2(error.code == QueryErrorCode::None, error.token.c_str());
    QVERIFY(q.hasAnomalyTerms());
    // t1: one critical; t2: one info; t3: none; t4: three, the worst a warning
    const std::vector<RowAnomalies> found{{1, 2}, {1, 0}, {0, 0}, {3, 1}};
    const auto ids = [&](const std::vector<std::uint32_t>& rows) {
        QByteArrayList got;
        for (const std::uint32_t row : rows)
            got << QByteArray::fromStdString(std::string(m_ws.str(m_ws.row(row), m_ws.row(row).traceId)));
        return got.join(' ');
    };
    QCOMPARE(ids(q.filter(m_ws, nullptr, found)), expected);
    QCOMPARE(ids(q.filter(m_ws)), withoutAnalysis);
    QVERIFY(!TraceQuery::parse("events>0", &error).hasAnomalyTerms());
}

// a superseded filter task stops instead of walking every row (and every
// event, for step terms) of a workspace nobody will see filtered
void TestTraceQuery::cancelStopsTheFilter()
{
    QueryError error;
    const TraceQuery q = TraceQuery::parse("events>0", &error);
    QVERIFY(q.filter(m_ws).size() > 1);
    std::atomic<bool> cancelled{false};
    QCOMPARE(q.filter(m_ws, &cancelled).size(), q.filter(m_ws).size());
    cancelled = true;
    QCOMPARE(q.filter(m_ws, &cancelled).size(), std::size_t{0});
}

void TestTraceQuery::errors_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("position");
    QTest::newRow("unterminated quote") << QByteArray("tool:\"send") << int(QueryErrorCode::UnterminatedQuote) << 5;
    QTest::newRow("unknown field") << QByteArray("color:red") << int(QueryErrorCode::UnknownField) << 0;
    QTest::newRow("missing value") << QByteArray("decision:") << int(QueryErrorCode::MissingValue) << 8;
    QTest::newRow("missing value before paren") << QByteArray("(decision: )") << int(QueryErrorCode::MissingValue) << 9;
    QTest::newRow("dangling or") << QByteArray("decision:blocked OR") << int(QueryErrorCode::MissingValue) << 19;
    QTest::newRow("dangling and") << QByteArray("decision:blocked AND") << int(QueryErrorCode::MissingValue) << 20;
    QTest::newRow("dangling not") << QByteArray("NOT") << int(QueryErrorCode::MissingValue) << 3;
    QTest::newRow("leading or") << QByteArray("OR tool:x") << int(QueryErrorCode::UnexpectedToken) << 0;
    QTest::newRow("double operator") << QByteArray("events>>3") << int(QueryErrorCode::MissingValue) << 6;
    QTest::newRow("comparison on text") << QByteArray("tool>abc") << int(QueryErrorCode::OperatorNotAllowed) << 4;
    QTest::newRow("bad number") << QByteArray("events>ten") << int(QueryErrorCode::BadNumber) << 7;
    QTest::newRow("bad time") << QByteArray("first_seen>=yesterday") << int(QueryErrorCode::BadTime) << 12;
    QTest::newRow("bad date") << QByteArray("first_seen>=2026-02-30") << int(QueryErrorCode::BadTime) << 12;
    QTest::newRow("bad duration") << QByteArray("duration>fast") << int(QueryErrorCode::BadDuration) << 9;
    QTest::newRow("unclosed paren") << QByteArray("(tool:a OR tool:b") << int(QueryErrorCode::UnbalancedParenthesis) << 0;
    QTest::newRow("extra close paren") << QByteArray("tool:a)") << int(QueryErrorCode::UnbalancedParenthesis) << 6;
    QTest::newRow("empty group") << QByteArray("()") << int(QueryErrorCode::EmptyGroup) << 1;
    QTest::newRow("stray operator") << QByteArray(":blocked") << int(QueryErrorCode::UnexpectedToken) << 0;
    // hostile sizes: a depth error at the first group or NOT past the limit, never a stack overflow
    QTest::newRow("10,000 nested parentheses")
        << (QByteArray(10000, '(') + "x" + QByteArray(10000, ')')) << int(QueryErrorCode::TooDeep) << 64;
    QTest::newRow("30,000 NOT") << (QByteArray("NOT ").repeated(30000) + "x") << int(QueryErrorCode::TooDeep) << 256;
    QTest::newRow("NOT and groups together")
        << (QByteArray("NOT (").repeated(40) + "x" + QByteArray(40, ')')) << int(QueryErrorCode::TooDeep) << 160;
    QTest::newRow("unbalanced and too deep") << QByteArray(100000, '(') << int(QueryErrorCode::TooDeep) << 64;
    QTest::newRow("too long") << QByteArray(300 * 1024, 'x') << int(QueryErrorCode::TooLong) << 256 * 1024;
    QTest::newRow("too many terms") << QByteArray("x ").repeated(5000) << int(QueryErrorCode::TooManyTerms) << 4096 * 2;
    QTest::newRow("too many terms in groups")
        << QByteArray("(x OR y) ").repeated(3000) << int(QueryErrorCode::TooManyTerms) << 2048 * 9 + 1;
}

void TestTraceQuery::errors()
{
    QFETCH(QByteArray, query);
    QFETCH(int, code);
    QFETCH(int, position);
    QueryError error;
    const TraceQuery q = TraceQuery::parse(query.toStdString(), &error);
    QCOMPARE(int(error.code), code);
    QCOMPARE(int(error.position), position);
    QVERIFY(error.position <= std::size_t(query.size()));
    QVERIFY(q.isEmpty());
}

// A 120 KB free-text term against agent names of 4 MB, and a glob of many
// stars against the same names: both must be linear (the naive search took
// minutes). The assertion is the result; a quadratic search times the test out.
void TestTraceQuery::longTermsOnLongText()
{
    const std::string name(4 * 1024 * 1024, 'a');
    std::string input;
    for (int i = 0; i < 3; ++i)
        input += R"({"timestamp": "2026-03-05T14:00:00Z", "event_type": "plan", "trace_id": "long)" + std::to_string(i) +
                 R"(", "agent_name": ")" + name + (i == 2 ? "b" : "") + "\"}\n";
    Workspace ws;
    ws.addFile(rwtest::load(input));
    QCOMPARE(ws.rows().size(), std::size_t(3));
    auto hits = [&](const std::string& query) {
        QueryError error;
        const TraceQuery q = TraceQuery::parse(query, &error);
        if (error.code != QueryErrorCode::None)
            return -1;
        return int(q.filter(ws).size());
    };
    QCOMPARE(hits(std::string(120 * 1024, 'a') + "b"), 1);
    QCOMPARE(hits(std::string(120 * 1024, 'A')), 3);
    QCOMPARE(hits("agent:" + std::string(60 * 1024, 'a') + "*" + std::string(60 * 1024, 'a') + "b"), 1);
    std::string stars = "agent:";
    for (int i = 0; i < 2000; ++i)
        stars += "a*";
    QCOMPARE(hits(stars + "c"), 0);
    QCOMPARE(hits(stars + "b"), 1);
}

QTEST_GUILESS_MAIN(TestTraceQuery)
#include "tst_tracequery.moc"
