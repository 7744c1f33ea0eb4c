// Summary and in-trace diff rules on small inline traces (reference §2.2, §3).
#include "model/intracediff.h"
#include "model/tracesummary.h"
#include "model/upstreamjson.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;

namespace {

std::string ev(const std::string& type, const std::string& decision, const std::string& extra = {})
{
    static int n = 0;
    return R"({"timestamp": "2026-05-17T00:00:)" + std::to_string(10 + (n++ % 50)) + R"(Z", "event_type": ")" + type +
           R"(", "decision": ")" + decision + R"(", "schema_version": "0.5.0", "trace_id": "t")" + extra + "}\n";
}

const std::string kPlan = R"(, "tool_name": "shell_exec", "plan_id": "p1", "execution_plan_id": "p1", "plan_intent": "shell_exec", "plan_risk_level": "critical", "requested_capabilities": ["system.shell"], "plan_steps": [{"tool_name": "shell_exec"}])";

} // namespace

class TestSummary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryRules();
    void diffGovernance_data();
    void diffGovernance();
    void plannedToolFromFirstStep();
    void manyPlansInOneTrace();
};

void TestSummary::summaryRules()
{
    const std::string input =
        ev("plan", "pending", kPlan + R"(, "provenance": [{"source_type": "skill", "trust_level": "unverified"}, {"source_type": "user_prompt", "trust_level": "internal"}], "agent_id": "a-1", "agent_trust_level": "internal")") +
        ev("decision", "blocked", R"(, "tool_name": "shell_exec", "plan_id": "p2", "execution_plan_id": "p2", "provenance": [{"source_type": "skill", "trust_level": "unverified"}], "runtime_usage": {"tool_calls_used": 1}, "budget_status": "within_budget", "runtime_violations": ["depth_limit_exceeded"])") +
        ev("tool_blocked", "blocked", R"(, "tool_name": "shell_exec", "reason": "nope", "runtime_violations": ["cost_limit_exceeded", "depth_limit_exceeded"], "schema_version": null)");
    const auto model = rwtest::load(input);
    const TraceSummary s = summarizeTrace(*model, 0);
    QCOMPARE(s.eventCount, 3u);
    QCOMPARE(s.lastEvent, std::int64_t(2));
    QCOMPARE(s.planEvent, std::int64_t(0));     // first event with a plan id
    QCOMPARE(s.identityEvent, std::int64_t(0)); // last with any identity field
    QCOMPARE(s.usageEvent, std::int64_t(1));
    QCOMPARE(s.trustCounts.size(), std::size_t(2));
    QCOMPARE(model->str(s.trustCounts[0].trust), std::string_view("unverified"));
    QCOMPARE(s.trustCounts[0].count, 2u); // every item of every event
    QCOMPARE(s.schemaVersions.size(), std::size_t(2));
    QCOMPARE(s.schemaVersions[1], kNoStr); // shows as "legacy"
    QCOMPARE(s.executionPlanIds.size(), std::size_t(2));
    QCOMPARE(s.violations.size(), std::size_t(2)); // union, first-seen order
    QCOMPARE(model->str(s.violations[0]), std::string_view("depth_limit_exceeded"));
    QCOMPARE(s.budgetStatus.value_or(""), std::string_view("violated"));
    QCOMPARE(s.distinctTools, 1u);
    QVERIFY(s.durationUs() > 0);

    const auto json = upstream::summary(*model, s);
    QCOMPARE(json["final_decision"].get<std::string>(), std::string("blocked"));
    QCOMPARE(json["final_reason"].get<std::string>(), std::string("nope"));
    QCOMPARE(json["intent"].get<std::string>(), std::string("shell_exec"));
    QCOMPARE(json["step_count"].get<int>(), 1);
    QCOMPARE(json["schema_versions_observed"].dump(), std::string(R"(["0.5.0","legacy"])"));
    QVERIFY(!json.contains("protocol"));
}

void TestSummary::diffGovernance_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("result");
    QTest::addColumn<QByteArrayList>("mismatches");

    auto bytes = [](const std::string& s) { return QByteArray::fromStdString(s); };
    QTest::newRow("blocked then executed")
        << bytes(ev("plan", "pending", kPlan) + ev("decision", "blocked", R"(, "tool_name": "shell_exec", "reason": "no")") +
                 ev("tool_executed", "allowed", R"(, "tool_name": "shell_exec")"))
        << QByteArray("violation") << QByteArrayList{"blocked_execution_occurred"};
    QTest::newRow("blocked") << bytes(ev("plan", "pending", kPlan) + ev("decision", "blocked", R"(, "tool_name": "shell_exec")"))
                             << QByteArray("blocked") << QByteArrayList{};
    QTest::newRow("approval pending") << bytes(ev("plan", "pending", kPlan) + ev("decision", "require_approval", R"(, "tool_name": "shell_exec")"))
                                      << QByteArray("enforced") << QByteArrayList{};
    QTest::newRow("approval executed without allowed end")
        << bytes(ev("plan", "pending", kPlan) + ev("decision", "require_approval", R"(, "tool_name": "shell_exec")") +
                 ev("tool_executed", "allowed", R"(, "tool_name": "shell_exec")") + ev("final_output", "observed", R"(, "tool_name": "shell_exec")"))
        << QByteArray("review") << QByteArrayList{"approval_execution_without_allowed_final_state"};
    QTest::newRow("allowed executed") << bytes(ev("plan", "pending", kPlan) + ev("decision", "allowed", R"(, "tool_name": "shell_exec")") +
                                               ev("tool_executed", "allowed", R"(, "tool_name": "shell_exec")"))
                                      << QByteArray("matched") << QByteArrayList{};
    QTest::newRow("tool mismatch still matched")
        << bytes(ev("plan", "pending", kPlan) + ev("decision", "allowed", R"(, "tool_name": "shell_exec")") +
                 ev("tool_executed", "allowed", R"(, "tool_name": "export_data")"))
        << QByteArray("matched") << QByteArrayList{"tool_mismatch"};
    QTest::newRow("dry run allow is observed") << bytes(ev("plan", "pending", kPlan) + ev("decision", "allowed", R"(, "tool_name": "shell_exec")"))
                                               << QByteArray("observed") << QByteArrayList{};
    QTest::newRow("budget violations")
        << bytes(ev("plan", "pending", kPlan) + ev("decision", "blocked", R"(, "tool_name": "shell_exec", "runtime_violations": ["a", "b"])"))
        << QByteArray("blocked") << QByteArrayList{"runtime_budget_violation", "runtime_budget_violation"};
    QTest::newRow("no decision event") << bytes(ev("prompt_blocked", "blocked")) << QByteArray("observed") << QByteArrayList{};
}

void TestSummary::diffGovernance()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, result);
    QFETCH(QByteArrayList, mismatches);
    const auto model = rwtest::load(std::string_view(input.constData(), static_cast<std::size_t>(input.size())));
    const InTraceDiff d = computeInTraceDiff(*model, summarizeTrace(*model, 0));
    QCOMPARE(QByteArray::fromStdString(d.governanceResult), result);
    QByteArrayList types;
    for (const Mismatch& m : d.mismatches)
        types << QByteArray::fromStdString(m.type);
    QCOMPARE(types, mismatches);
    QVERIFY(d.summary.find("Governance result is " + d.governanceResult) != std::string::npos);
}

void TestSummary::plannedToolFromFirstStep()
{
    const std::string input = ev("plan", "pending", R"(, "plan_id": "p", "plan_steps": [{"tool_name": "send_email"}])") +
                              ev("decision", "allowed", R"(, "tool_name": "send_email")");
    const auto model = rwtest::load(input);
    const InTraceDiff d = computeInTraceDiff(*model, summarizeTrace(*model, 0));
    QCOMPARE(d.plannedTool.value_or("none"), std::string_view("send_email"));
    QCOMPARE(d.summary, std::string("Policy allowed send_email. Governance result is observed; execution outcome is not_performed."));
}

// 200k distinct plans, 20k tools and 50k trust levels in one trace: every
// distinct list was a linear search per event (quadratic; the trial's 500k
// plans took minutes). Results only: a quadratic summary times this out.
void TestSummary::manyPlansInOneTrace()
{
    constexpr std::size_t kPlans = 200000;
    const auto model = rwtest::load(rwtest::manyPlansTrace(kPlans, 20000, 50000));
    QCOMPARE(model->traceCount(), std::size_t(1));
    const TraceSummary s = summarizeTrace(*model, 0);
    QCOMPARE(s.eventCount, std::uint32_t(kPlans + 1));
    QCOMPARE(s.executionPlanIds.size(), kPlans);
    QCOMPARE(model->str(s.executionPlanIds.front()), std::string_view("p0"));
    QCOMPARE(model->str(s.executionPlanIds[17]), std::string_view("p17"));
    QCOMPARE(model->str(s.executionPlanIds.back()), std::string_view("p199999"));
    QCOMPARE(s.distinctTools, std::uint32_t(20000));
    QCOMPARE(s.distinctAgents, std::uint32_t(1));
    QCOMPARE(s.trustCounts.size(), std::size_t(50000));
    QCOMPARE(model->str(s.trustCounts[3].trust), std::string_view("t3"));
    QCOMPARE(s.trustCounts[3].count, std::uint32_t(4)); // plans 3, 50003, 100003, 150003
    QCOMPARE(s.trustCounts[0].count, std::uint32_t(5)); // and the last event (plan p0)
    const InTraceDiff d = computeInTraceDiff(*model, s);
    QCOMPARE(d.governanceResult, std::string("matched")); // the last decision allowed, a tool executed
    const upstream::Json json = upstream::summary(*model, s);
    QCOMPARE(json["provenance_trust_summary"].size(), std::size_t(50000));
    QCOMPARE(json["provenance_trust_summary"]["t49999"].get<int>(), 4);
}

QTEST_GUILESS_MAIN(TestSummary)
#include "tst_summary.moc"
