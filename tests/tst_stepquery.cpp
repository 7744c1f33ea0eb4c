// The step scope of the filter language: each step field on hand-made
// facts, variables, field groups, regexes, errors with their positions, and
// the trace filter keeping a trace when one of its steps matches a term
// (on the seed-shaped run and on an interceptor sample).
#include "model/stepfacts.h"
#include "model/stepquery.h"
#include "model/workspace.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;

namespace {

class Lists : public StepVariables
{
public:
    std::span<const std::string> list(std::string_view name) const override
    {
        if (name == "agent.approved_tools")
            return m_tools;
        return {};
    }
    std::vector<std::string> m_tools{"metrics.query", "ssh.*"};
};

struct Facts
{
    std::vector<std::string_view> perms{"metrics:read", "ssh:exec:write"};
    std::vector<StepParam> params{{"host", "web-03"}, {"Count", "3"}, {"opts", "{\"a\":1}"}};
    std::vector<std::string_view> types{"modify"};
    std::vector<std::string_view> envs{"production"};
    std::vector<std::string_view> dests{"mail.example.org"};
    Lists lists;
    StepFacts f;

    Facts()
    {
        f.tool = "service.restart";
        f.action = "restart_service";
        f.agent = "prod-triage-au-east";
        f.agentName = "triage";
        f.run = "run-12345";
        f.decision = "allowed";
        f.reasoning = "Restarting per runbook SOP-114; the worker leaks memory.";
        f.reason = f.reasoning;
        f.resultStatus = "success";
        f.step = 2;
        f.escalated = true;
        f.permissions = perms;
        f.params = params;
        f.actionTypes = types;
        f.environments = envs;
        f.destinations = dests;
        f.untrustedDestination = true;
        f.variables = &lists;
    }
};

} // namespace

class TestStepQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fields_data();
    void fields();
    void anchorVariables();
    void errors_data();
    void errors();
    void regexIsLinear();
    void traceFilter_data();
    void traceFilter();
    void buildsFacts();
};

void TestStepQuery::fields_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("match");
    const auto row = [](const char* q, bool m) { QTest::newRow(q) << QString::fromUtf8(q) << m; };
    row("tool:service.restart", true);
    row("tool:SERVICE.*", true);
    row("tool:metrics.query", false);
    row("action:restart_*", true);
    row("agent:prod-triage-*", true);
    row("agent:triage", true); // the name too
    row("trace:run-12345", true);
    row("decision:allow", true);
    row("perm:ssh:exec:write", true);
    row("perm:*:write", true);
    row("permission:*:delete", false);
    row("NOT perm:*:write", false);
    row("perm!=*:write", false);
    row("param.host:web-03", true);
    row("param.HOST:web-0*", true); // keys are matched without case
    row("param.count:3", true);
    row("param.count>2", false);   // a word field: < > are refused (see errors)
    row("param.missing:*", false);
    row("param:web-03", true);     // any parameter
    row("param.opts:*\"a\"*", true);
    row("result.status:success", true);
    row("result.status:error", false);
    row("reasoning~\"SOP-[0-9]+\"", true);
    row("reasoning~\"sop-[0-9]+\"", false); // case-sensitive unless (?i)
    row("reasoning~\"(?i)sop-[0-9]+\"", true);
    row("reasoning:*leaks*", true);
    row("reasoning~\"SOP-\\d+\"", true);      // a backslash reaches RE2 as written
    row("action~\"^restart_.*e$\"", true);     // ~ on any text field
    row("escalated:true", true);
    row("escalated:false", false);
    row("escalated!=true", false);
    row("env:production", true);
    row("env:staging", false);
    row("dest:untrusted", true);
    row("dest:trusted", false);
    row("dest:*.example.org", true);
    row("step>=2", true);
    row("step>2", false);
    row("step:2", true);
    row("approval.id:*", false); // no approval: absent values are no words
    row("NOT approval.id:*", true);
    row("action_type:modify", true);
    row("action_type:(modify OR destroy)", true);
    row("action_type:(observe OR destroy)", false);
    row("action_type:(NOT observe)", true);
    row("tool in $agent.approved_tools", false);
    row("NOT tool in $agent.approved_tools", true);
    row("escalated:true AND NOT approval.id:*", true);
    row("leaks", true); // free text: reasoning among the words
    row("action_type:destroy AND env:production", false);
    row("", true);
}

void TestStepQuery::fields()
{
    QFETCH(QString, query);
    QFETCH(bool, match);
    QueryError error;
    const StepQuery q = StepQuery::parse(query.toStdString(), &error);
    if (query == QLatin1String("param.count>2")) {
        QCOMPARE(error.code, QueryErrorCode::OperatorNotAllowed);
        return;
    }
    QCOMPARE(error.code, QueryErrorCode::None);
    QVERIFY(q.isValid());
    Facts facts;
    QCOMPARE(q.matches(facts.f), match);
}

void TestStepQuery::anchorVariables()
{
    // preceded_by: 'action_type:observe AND param.host:=$step.param.host'
    QueryError error;
    const StepQuery q = StepQuery::parse("action_type:observe AND param.host:=$step.param.host", &error);
    QCOMPARE(error.code, QueryErrorCode::None);
    Facts anchor;
    Facts earlier;
    std::vector<std::string_view> observe{"observe"};
    earlier.f.actionTypes = observe;
    earlier.f.anchor = &anchor.f;
    QVERIFY(q.matches(earlier.f));
    std::vector<StepParam> other{{"host", "web-04"}};
    earlier.f.params = other;
    QVERIFY(!q.matches(earlier.f));
    // $agent lists accept globs: ssh.* approves ssh.exec
    const StepQuery approved = StepQuery::parse("tool in $agent.approved_tools", &error);
    earlier.f.tool = "ssh.exec";
    QVERIFY(approved.matches(earlier.f));
}

void TestStepQuery::errors_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("rule");
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("position");
    const auto row = [](const char* name, const char* q, bool rule, QueryErrorCode c, int pos) {
        QTest::newRow(name) << QString::fromUtf8(q) << rule << static_cast<int>(c) << pos;
    };
    row("trace-only field", "tool:x events>3", true, QueryErrorCode::NotAStepField, 7);
    row("bad regex", "reasoning~\"(unclosed\"", true, QueryErrorCode::BadRegex, 10);
    row("backreference", "reasoning~\"(a)\\\\1\"", true, QueryErrorCode::BadRegex, 10);
    row("regex on number", "step~3", true, QueryErrorCode::OperatorNotAllowed, 4);
    row("bool", "escalated:maybe", true, QueryErrorCode::BadBool, 10);
    row("unknown variable", "tool in $agent.secrets", true, QueryErrorCode::UnknownVariable, 8);
    row("variable outside rules", "tool in $agent.approved_tools", false, QueryErrorCode::VariableNotHere, 8);
    row("in without variable", "tool in metrics.query", true, QueryErrorCode::MissingValue, 5);
    row("unknown field", "colour:red", true, QueryErrorCode::UnknownField, 0);
    row("open group", "action_type:(modify OR", true, QueryErrorCode::MissingValue, 22);
    row("empty group", "action_type:()", true, QueryErrorCode::EmptyGroup, 13);
    row("order on words", "tool>a", true, QueryErrorCode::OperatorNotAllowed, 4);
}

void TestStepQuery::errors()
{
    QFETCH(QString, query);
    QFETCH(bool, rule);
    QFETCH(int, code);
    QFETCH(int, position);
    QueryError error;
    const StepQuery q = StepQuery::parse(query.toStdString(), &error, rule);
    QCOMPARE(static_cast<int>(error.code), code);
    QCOMPARE(static_cast<int>(error.position), position);
    QVERIFY(!q.isValid());
    Facts facts;
    QVERIFY(!q.matches(facts.f)); // a broken rule matches nothing, never everything
}

void TestStepQuery::regexIsLinear()
{
    // (a+)+$ takes exponential time in a backtracking engine on "aaa…ab";
    // RE2 answers at once. Not timed: a backtracking engine would not return.
    QueryError error;
    const StepQuery q = StepQuery::parse("reasoning~\"(a+)+$\"", &error);
    QCOMPARE(error.code, QueryErrorCode::None);
    const std::string text = std::string(5000, 'a') + "b";
    StepFacts f;
    f.reasoning = text;
    QVERIFY(!q.matches(f));
    const std::string tooLong = "reasoning~\"" + std::string(kMaxRegexBytes + 1, 'a') + "\"";
    QVERIFY(!StepQuery::parse(tooLong, &error).isValid());
    QCOMPARE(error.code, QueryErrorCode::BadRegex);
}

void TestStepQuery::traceFilter_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("traces");
    const QStringList run{QStringLiteral("run-12345")};
    const QStringList none;
    const QStringList ops{QStringLiteral("ops-restart-orders")};
    QTest::newRow("perm") << QStringLiteral("perm:ssh:exec:write") << run;
    QTest::newRow("reasoning") << QStringLiteral("reasoning~\"SOP-[0-9]+\"") << run;
    QTest::newRow("param glob") << QStringLiteral("param.host:web-0[1-4]") << run;
    QTest::newRow("result") << QStringLiteral("result.status:error") << run;
    QTest::newRow("last step") << QStringLiteral("step>=11") << run;
    QTest::newRow("no step 12") << QStringLiteral("step>=12") << none;
    QTest::newRow("recorded escalation") << QStringLiteral("escalated:true") << run;
    QTest::newRow("interceptor approval") << QStringLiteral("approval.id:apr-*") << ops;
    QTest::newRow("interceptor capability") << QStringLiteral("perm:infra.restart decision:allowed") << ops;
    QTest::newRow("interceptor param") << QStringLiteral("param.service:orders") << ops;
    QTest::newRow("and with trace field") << QStringLiteral("perm:ssh:* events>5") << run;
    QTest::newRow("not") << QStringLiteral("NOT perm:ssh:* NOT perm:infra.*") << none;
    // an interceptor trace's steps are its execution plans: 0 and 1 here
    QTest::newRow("interceptor step numbers") << QStringLiteral("trace:ops* step:1") << ops;
    QTest::newRow("interceptor has no step 2") << QStringLiteral("trace:ops* step>=2") << none;
}

void TestStepQuery::traceFilter()
{
    QFETCH(QString, query);
    QFETCH(QStringList, traces);
    Workspace ws;
    for (const char* name : {"run-12345.json", "ops-restart-approval.jsonl"})
        ws.addFile(rwtest::load(rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + QLatin1String(name))));
    QueryError error;
    const TraceQuery q = TraceQuery::parse(query.toStdString(), &error);
    QCOMPARE(error.code, QueryErrorCode::None);
    QVERIFY(q.hasStepTerms());
    QStringList got;
    for (const std::uint32_t row : q.filter(ws))
        got << QString::fromUtf8(ws.str(ws.row(row), ws.row(row).traceId));
    QCOMPARE(got, traces);
}

void TestStepQuery::buildsFacts()
{
    const auto model = rwtest::load(rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/run-12345.json")));
    StepFactsBuilder builder;
    const auto trace = model->traceEvents(0);
    QCOMPARE(trace.size(), std::size_t(12));
    const StepFacts& s = builder.build(*model, trace[2]);
    QCOMPARE(s.step, 2);
    QCOMPARE(QString::fromUtf8(s.tool), QStringLiteral("service.restart"));
    QCOMPARE(QString::fromUtf8(s.action), QStringLiteral("restart_service"));
    QCOMPARE(QString::fromUtf8(s.agent), QStringLiteral("prod-triage-au-east"));
    QCOMPARE(QString::fromUtf8(s.resultStatus), QStringLiteral("success"));
    QCOMPARE(s.permissions.size(), std::size_t(2));
    QCOMPARE(QString::fromUtf8(s.param("service")), QStringLiteral("app-worker"));
    QVERIFY(s.reasoning.find("SOP-114") != std::string_view::npos);
    QVERIFY(s.escalated);
}

QTEST_GUILESS_MAIN(TestStepQuery)
#include "tst_stepquery.moc"
