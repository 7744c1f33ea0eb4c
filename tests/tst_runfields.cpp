// Run traces keep every run and step field of the seed (run metadata, 0-based
// step_index, duration, result, permissions summary with approval objects) and
// time runs by the seed's sample: a step's timestamp is its end.
#include "model/timestamp.h"
#include "model/tracesummary.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;

namespace {

std::int64_t timeOf(const char* iso) { return *parseTimestamp(iso); }

// a run whose summary holds approval objects, with every optional step field
const char* kApproved = R"({"run_id": "r-9", "agent_id": "ops", "trigger": "manual", "status": "failed", "policy_version": "v3", "steps": [)"
                        R"({"step_index": 4, "action": "look", "reasoning": "why", "tool_call": {"tool": "metrics.query", "parameters": {"h": 1}}, "result": {"status": "success", "data": [1, 2]}, "permissions_used": ["metrics:read"], "timestamp": "2026-03-05T10:00:02Z", "duration_ms": 2000, "alternatives": [{"action": "wait"}], "selection": {"chosen": "look"}}, )"
                        R"({"step_index": 5, "action": "fix", "reasoning": "  ", "tool_call": {"tool": "service.restart", "parameters": {}}, "result": {"status": "denied", "data": "no"}, "permissions_used": ["service:restart"], "timestamp": "2026-03-05T10:00:03.5Z", "duration_ms": 1500.0, "parent_step_index": 4, "approval": {"id": "apr-1", "approver": "oncall"}}], )"
                        R"("permissions_summary": {"granted": ["metrics:read"], "denied": [], "escalated": [{"permission": "service:restart", "approved_by": "oncall", "approval_id": "apr-1", "reason": "SOP-114"}, 42, {"approval_id": "no permission"}]}})";

} // namespace

class TestRunFields : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedSampleRun();
    void seedSampleSteps();
    void seedSampleTiming();
    void approvalsAndOptionalFields();
    void durationWithoutRunTimes();
    void runsAcrossSlices();
};

void TestRunFields::seedSampleRun()
{
    LoadResult r = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/run-12345.json");
    QVERIFY(r.model);
    const ReplayModel& m = *r.model;
    QCOMPARE(m.diagnostics().size(), std::size_t(0));
    QCOMPARE(m.eventCount(), std::size_t(12));
    QCOMPARE(m.runs().size(), std::size_t(1));
    const RunInfo& run = m.runs()[0];
    QCOMPARE(m.str(run.runId), std::string_view("run-12345"));
    QCOMPARE(m.str(run.agentId), std::string_view("prod-triage-au-east"));
    QCOMPARE(m.str(run.trigger), std::string_view("alert:cpu-spike-web-03"));
    QCOMPARE(m.str(run.status), std::string_view("completed"));
    QCOMPARE(m.str(run.policyVersion), std::string_view("v2.4.1"));
    QCOMPARE(m.str(run.startedAt), std::string_view("2026-03-05T14:22:01.440Z"));
    QCOMPARE(run.startedUs, timeOf("2026-03-05T14:22:01.440Z"));
    QCOMPARE(run.completedUs, timeOf("2026-03-05T14:22:38.110Z"));
    QVERIFY(run.hasSummary);
    QCOMPARE(run.granted.count, 4u);
    QCOMPARE(run.denied.count, 0u);
    std::vector<std::string_view> escalated;
    for (const RunPermission& p : m.runPermissions(run.escalated)) {
        escalated.push_back(m.str(p.permission));
        QCOMPARE(p.raw, kNoStr); // plain strings in the seed's form
    }
    QCOMPARE(escalated, (std::vector<std::string_view>{"service:restart", "ssh:exec:write"}));
    QCOMPARE(run.line, 1u);
}

void TestRunFields::seedSampleSteps()
{
    LoadResult r = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/run-12345.json");
    QVERIFY(r.model);
    const ReplayModel& m = *r.model;
    QCOMPARE(m.runSteps().size(), std::size_t(12));
    for (std::size_t i = 0; i < m.eventCount(); ++i) {
        const RunStep* step = m.runStep(i);
        QVERIFY(step);
        QCOMPARE(step->event, std::uint32_t(i));
        QCOMPARE(step->stepIndex, std::int64_t(i)); // 0-based, as written
        QVERIFY(step->has(RunStepFlag::StepIndexGiven));
        QVERIFY(step->has(RunStepFlag::HasReasoning));
        QCOMPARE(m.str(m.event(i), Field::EventId), "run-12345#step-" + std::to_string(i));
        QCOMPARE(m.runOf(i), &m.runs()[0]);
    }
    const RunStep& restart = *m.runStep(2);
    QCOMPARE(restart.durationMs, std::int64_t(8785));
    QCOMPARE(m.str(restart.resultStatus), std::string_view("success"));
    // result.data is the file's own bytes, like tool_call.parameters
    const std::string_view data = m.str(restart.resultData);
    QVERIFY2(data.starts_with('{') && data.ends_with('}'), std::string(data).c_str());
    QVERIFY(data.find("\"new_pid\": 51873") != std::string_view::npos);
    QCOMPARE(static_cast<const void*>(data.data()) >= static_cast<const void*>(m.bytes().data()), true);
    QVERIFY(data.data() + data.size() <= m.bytes().data() + m.bytes().size());
    std::vector<std::string_view> used;
    for (StrId id : m.list(m.event(2).requestedCaps))
        used.push_back(m.str(id));
    QCOMPARE(used, (std::vector<std::string_view>{"ssh:exec:write", "service:restart"}));
    QVERIFY(m.event(2).has(EventFlag::Escalated));
    QVERIFY(!m.event(1).has(EventFlag::Escalated));
    QCOMPARE(m.str(m.runStep(6)->resultStatus), std::string_view("error"));
    QCOMPARE(m.str(m.event(6), Field::Arguments), m.str(m.event(7), Field::Arguments));
    QCOMPARE(m.runStep(0)->approval, kNoStr);
    QCOMPARE(m.runStep(0)->parentStepIndex, kNoNumber);
}

void TestRunFields::seedSampleTiming()
{
    LoadResult r = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/run-12345.json");
    QVERIFY(r.model);
    const ReplayModel& m = *r.model;
    // timestamp is the end; each step starts where the previous one ended
    QCOMPARE(m.startTimeUs(0), m.runs()[0].startedUs);
    for (std::size_t i = 1; i < m.eventCount(); ++i)
        QCOMPARE(m.startTimeUs(i), m.event(i - 1).timeUs);
    QCOMPARE(m.runDurationUs(0), std::int64_t(36670000)); // the seed's "Duration: 36.67s"
    const TraceSummary s = summarizeTrace(m, 0);
    QCOMPARE(s.durationUs(), std::int64_t(36670000));
    QCOMPARE(s.eventCount, 12u);
}

void TestRunFields::approvalsAndOptionalFields()
{
    const auto m = rwtest::load(std::string(kApproved) + "\n");
    QCOMPARE(m->eventCount(), std::size_t(2));
    QCOMPARE(m->runs().size(), std::size_t(1));
    const RunInfo& run = m->runs()[0];
    QCOMPARE(m->str(run.status), std::string_view("failed"));
    QCOMPARE(run.startedUs, kNoTime);
    // an object entry carries the approval; items naming no permission are skipped
    const auto escalated = m->runPermissions(run.escalated);
    QCOMPARE(escalated.size(), std::size_t(1));
    QCOMPARE(m->str(escalated[0].permission), std::string_view("service:restart"));
    QCOMPARE(m->str(escalated[0].approvedBy), std::string_view("oncall"));
    QCOMPARE(m->str(escalated[0].approvalId), std::string_view("apr-1"));
    QCOMPARE(m->str(escalated[0].reason), std::string_view("SOP-114"));
    QVERIFY(m->str(escalated[0].raw).starts_with("{\"permission\": \"service:restart\""));
    QVERIFY(m->event(1).has(EventFlag::Escalated)); // matched by the object's permission
    // step_index names the step, whatever its position
    QCOMPARE(m->str(m->event(0), Field::EventId), std::string_view("r-9#step-4"));
    QCOMPARE(m->str(m->event(1), Field::EventId), std::string_view("r-9#step-5"));
    const RunStep& look = *m->runStep(0);
    QCOMPARE(m->str(look.resultData), std::string_view("[1, 2]"));
    QCOMPARE(m->str(look.alternatives), std::string_view("[{\"action\": \"wait\"}]"));
    QCOMPARE(m->str(look.selection), std::string_view("{\"chosen\": \"look\"}"));
    const RunStep& fix = *m->runStep(1);
    QCOMPARE(m->str(fix.resultData), std::string_view("\"no\""));
    QCOMPARE(m->str(fix.approval), std::string_view("{\"id\": \"apr-1\", \"approver\": \"oncall\"}"));
    QCOMPARE(fix.parentStepIndex, std::int64_t(4));
    QCOMPARE(fix.durationMs, std::int64_t(1500)); // written as 1500.0
    QVERIFY(!fix.has(RunStepFlag::HasReasoning)); // blank reasoning is no reasoning
    QCOMPARE(m->str(m->event(1), Field::Decision), std::string_view("blocked")); // result.status denied
    // no started_at / completed_at: first step start to last step end
    QCOMPARE(m->runDurationUs(0), std::int64_t(3500000));
    QCOMPARE(summarizeTrace(*m, 0).durationUs(), std::int64_t(3500000));
}

void TestRunFields::durationWithoutRunTimes()
{
    LoadResult r = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/run-trace-report.json");
    QVERIFY(r.model);
    // 07:00:01.000 - 812 ms to 07:00:04.900; steps without step_index count from 0
    QCOMPARE(summarizeTrace(*r.model, 0).durationUs(), std::int64_t(4712000));
    QCOMPARE(r.model->startTimeUs(0), timeOf("2026-03-09T07:00:00.188Z"));
    QCOMPARE(r.model->str(r.model->event(0), Field::EventId),
             std::string_view("run-2026-03-09-quarterly-report#step-0"));
    QVERIFY(!r.model->runStep(0)->has(RunStepFlag::StepIndexGiven));
    QCOMPARE(r.model->runs()[0].status, kNoStr);
}

void TestRunFields::runsAcrossSlices()
{
    // enough JSONL runs for several slices: side tables must follow the merge
    std::string input;
    const int runs = 3000;
    for (int i = 0; i < runs; ++i) {
        std::string line = kApproved;
        line.replace(line.find("r-9"), 3, "r-" + std::to_string(i));
        input += line + "\n";
    }
    QVERIFY(input.size() > (3u << 20) / 2);
    const auto m = rwtest::load(input, 4);
    QVERIFY(m->stats().chunks > 1);
    QCOMPARE(m->runs().size(), std::size_t(runs));
    QCOMPARE(m->runSteps().size(), std::size_t(2 * runs));
    for (int i = 0; i < runs; i += 997) {
        const std::size_t e = static_cast<std::size_t>(2 * i + 1);
        const RunInfo* run = m->runOf(e);
        QVERIFY(run);
        QCOMPARE(m->str(run->runId), "r-" + std::to_string(i));
        QCOMPARE(run->line, std::uint32_t(i + 1));
        QCOMPARE(m->str(m->runPermissions(run->escalated)[0].approvalId), std::string_view("apr-1"));
        QCOMPARE(m->str(m->runStep(e)->approval), std::string_view("{\"id\": \"apr-1\", \"approver\": \"oncall\"}"));
        QCOMPARE(m->str(m->event(e), Field::EventId), "r-" + std::to_string(i) + "#step-5");
    }
}

QTEST_GUILESS_MAIN(TestRunFields)
#include "tst_runfields.moc"
