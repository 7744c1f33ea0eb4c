// The wording of run-trace analysis (app/text/analysistext, anomalytext):
// one line per rule id from its context, the notes, and the run report in
// the seed's exact layout (tests/golden/analysis/seed-report.txt), built
// here from a RunAnalysis made by hand so that the text is pinned without
// the engine.
#include "app/text/analysistext.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw::analysis;

namespace {

using Json = nlohmann::ordered_json;

Anomaly anomaly(Detector d, const std::string& rule, Severity s, std::int64_t step, Json context)
{
    Anomaly a;
    a.detector = d;
    a.ruleId = rule;
    a.severity = s;
    a.stepIndex = step;
    a.runId = "run-12345";
    a.agentId = "prod-triage-au-east";
    a.context = std::move(context);
    return a;
}

Anomaly escalation(const std::string& permission)
{
    return anomaly(Detector::PermissionEscalation, "escalation.not-in-baseline", Severity::Warn, 2,
                   {{"permission", permission},
                    {"baseline", {"metrics:read", "ssh:exec:read-only"}},
                    {"approvable", true},
                    {"recorded_escalated", true}});
}

PolicyCheckResult check(const std::string& id, const std::string& title, CheckResult result)
{
    PolicyCheckResult c;
    c.policy = "SOP-114";
    c.check = id;
    c.title = title;
    c.result = result;
    return c;
}

// The run of the seed's CLI example, as the engine is to find it with the
// sample profile (sample-audits/analysis/).
RunAnalysis seedRun()
{
    RunAnalysis r;
    r.runId = "run-12345";
    r.agentId = "prod-triage-au-east";
    r.status = "completed";
    r.file = "sample-audits/run-12345.json";
    r.durationMs = 36670;
    r.steps = 12;
    r.startedAt = "2026-03-05T14:22:01.440Z";
    r.baseline = {"metrics:read", "ssh:exec:read-only"};
    r.baselineSource = BaselineSource::Profile;
    r.used = {"metrics:read", "ssh:exec:read-only", "service:restart", "ssh:exec:write"};
    r.escalated = {"service:restart", "ssh:exec:write"};
    r.anomalies.push_back(escalation("ssh:exec:write"));
    r.anomalies.push_back(escalation("service:restart"));
    r.anomalies.push_back(anomaly(Detector::ExcessiveRetries, "retry.repeated", Severity::Info, 7,
                                  {{"tool", "metrics.query"},
                                   {"attempts", 2},
                                   {"mode", "identical"},
                                   {"mutated_keys", Json::array()},
                                   {"steps", {6, 7}},
                                   {"auth_failures", 0}}));
    r.policyId = "SOP-114";
    r.policyName = "triage-standard";
    r.checks = {check("prohibited", "No prohibited actions detected", CheckResult::Pass),
                check("approved-tools", "All tool calls within approved tool list", CheckResult::Pass),
                check("escalation-approval", "Escalated permissions require manual approval audit", CheckResult::Warn)};
    r.checks.back().steps = {2};
    r.checks.back().advice = "review escalation approvals";
    r.advice = "review escalation approvals";
    return r;
}

QStringList lines(const QString& text)
{
    QStringList out = text.split(QLatin1Char('\n'));
    if (!out.isEmpty() && out.back().isEmpty())
        out.removeLast();
    return out;
}

} // namespace

Q_DECLARE_METATYPE(Detector)

class TestAnalysisText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedReport();
    void anomalyMessage_data();
    void anomalyMessage();
    void reportVariants_data();
    void reportVariants();
    void notes_data();
    void notes();
    void policySections();
    void untrustedValuesAreVisible();
};

void TestAnalysisText::seedReport()
{
    const QString text = rw::analysisReportText(seedRun());
    QVERIFY(rwtest::matchesGolden(text.toStdString(), QStringLiteral(RW_SOURCE_DIR "/tests/golden/analysis/seed-report.txt")));
    QCOMPARE(lines(text).size(), 17);
}

void TestAnalysisText::anomalyMessage_data()
{
    QTest::addColumn<Detector>("detector");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QByteArray>("context");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char* name, Detector d, const char* rule, const char* context, const char* expected) {
        QTest::newRow(name) << d << QString::fromLatin1(rule) << QByteArray(context) << QString::fromUtf8(expected);
    };
    const Detector esc = Detector::PermissionEscalation, seq = Detector::UnusualToolSequence,
                   retry = Detector::ExcessiveRetries, exfil = Detector::DataExfiltration,
                   dev = Detector::BehaviouralDeviation, integrity = Detector::TraceIntegrity, missing = Detector::MissingStep;

    row("escalation.not-in-baseline", esc, "escalation.not-in-baseline",
        R"({"permission":"ssh:exec:write","baseline":["metrics:read"],"approvable":true,"recorded_escalated":false})",
        "Permission escalation — ssh:exec:write not in baseline grant");
    row("escalation.approved", esc, "escalation.approved", R"({"permission":"service:restart","approval_id":"apr-4be1c0a9"})",
        "Permission escalation — service:restart used with approval apr-4be1c0a9");
    row("escalation.approved without id", esc, "escalation.approved", R"({"permission":"service:restart","approval_id":null})",
        "Permission escalation — service:restart used with a recorded approval");
    row("escalation.denied-used", esc, "escalation.denied-used", R"({"permission":"db:drop"})",
        "Permission escalation — db:drop used although the run records it as denied");
    row("sequence.new-tool", seq, "sequence.new-tool", R"({"tool":"db.export","preceding":["metrics.query","ssh.exec"]})",
        "Unusual tool sequence — db.export never used by this agent (after metrics.query → ssh.exec)");
    row("sequence.new-tool first step", seq, "sequence.new-tool", R"({"tool":"db.export","preceding":[]})",
        "Unusual tool sequence — db.export never used by this agent");
    row("sequence.new-first-tool", seq, "sequence.new-first-tool", R"({"tool":"logs.read"})",
        "Unusual tool sequence — the run starts with logs.read, never a first tool of this agent");
    row("sequence.new-transition", seq, "sequence.new-transition",
        R"({"from":"ssh.exec","tool":"db.export","preceding":["metrics.query","ssh.exec"]})",
        "Unusual tool sequence — ssh.exec → db.export never seen for this agent (after metrics.query → ssh.exec)");
    row("sequence.rare-transition", seq, "sequence.rare-transition",
        R"({"from":"metrics.query","tool":"service.restart","probability":0.004,"preceding":["metrics.query"]})",
        "Unusual tool sequence — metrics.query → service.restart is rare for this agent (0.4% of the calls after "
        "metrics.query) (after metrics.query)");
    row("retry.repeated (seed)", retry, "retry.repeated",
        R"({"tool":"metrics.query","attempts":2,"mode":"identical","mutated_keys":[],"steps":[6,7],"auth_failures":0})",
        "Retry detected — metrics.query called 2x with identical params");
    row("retry.repeated mutating", retry, "retry.repeated",
        R"({"tool":"logs.read","attempts":3,"mode":"mutating","mutated_keys":["since"],"steps":[1,2,3],"auth_failures":0})",
        "Retry detected — logs.read called 3x with mutating params (since)");
    row("retry.failure-loop", retry, "retry.failure-loop",
        R"({"tool":"metrics.query","attempts":6,"mode":"identical","mutated_keys":[],"steps":[1,2,3,4,5,6],"auth_failures":0})",
        "Retry detected — metrics.query called 6x with identical params: possible failure loop");
    row("retry.probing", retry, "retry.probing",
        R"({"tool":"http.get","attempts":4,"mode":"mutating","mutated_keys":["path"],"steps":[1,2,3,4],"auth_failures":0})",
        "Retry detected — http.get called 4x with mutating params (path): possible probing");
    row("retry.credential-probing", retry, "retry.credential-probing",
        R"({"tool":"X","attempts":5,"mode":"mutating","mutated_keys":["password","user"],"steps":[1,2,3,4,5],"auth_failures":0})",
        "Retry detected — X called 5x with mutating params (password, user): possible credential probing");
    row("retry.credential-probing with failures", retry, "retry.credential-probing",
        R"({"tool":"ssh.login","attempts":5,"mode":"mutating","mutated_keys":["user"],"steps":[1,2,3,4,5],"auth_failures":4})",
        "Retry detected — ssh.login called 5x with mutating params (user), 4 authentication failures: possible "
        "credential probing");
    row("exfil read-then-external", exfil, "exfil.read-then-external",
        R"({"sequence":"read-then-external","read_step":3,"read_tool":"warehouse.read","read_bytes":2100000,"read_rows":null,)"
        R"("encode_step":null,"write_tool":"http.post","destination":"paste.example.net","trusted":false,"allow_id":null})",
        "Data exfiltration — warehouse.read (step 3, 2.1 MB) then http.post to paste.example.net (untrusted)");
    row("exfil allowed", exfil, "exfil.read-then-external",
        R"({"sequence":"read-then-external","read_step":3,"read_tool":"warehouse.read","read_bytes":2100000,"read_rows":null,)"
        R"("encode_step":null,"write_tool":"http.post","destination":"paste.example.net","trusted":false,"allow_id":"nightly-etl"})",
        "Data exfiltration — warehouse.read (step 3, 2.1 MB) then http.post to paste.example.net (untrusted) — allowed "
        "by nightly-etl");
    row("exfil stage-then-send", exfil, "exfil.stage-then-send",
        R"({"sequence":"stage-then-send","read_step":1,"read_tool":"sql_query","read_bytes":812,"read_rows":12000,)"
        R"("encode_step":2,"write_tool":"send_email","destination":"example.org","trusted":true,"allow_id":null})",
        "Data exfiltration — sql_query (step 1, 812 bytes, 12000 rows), encoded at step 2, then send_email to "
        "example.org (trusted)");
    row("policy prohibit", dev, "policy.SOP-114.prohibited",
        R"({"policy":"SOP-114","policy_name":"triage-standard","check":"prohibited","title":"No prohibited actions detected",)"
        R"("kind":"prohibit","text":"never delete resources in production","within_steps":0})",
        "Behavioural deviation — SOP-114/prohibited: never delete resources in production");
    row("policy require", dev, "policy.SOP-200.cite-runbook",
        R"({"policy":"SOP-200","policy_name":"change-discipline","check":"cite-runbook","title":"",)"
        R"("kind":"require","text":"reasoning~\"SOP-[0-9]+\"","within_steps":0})",
        "Behavioural deviation — SOP-200/cite-runbook: the step does not match reasoning~\"SOP-[0-9]+\"");
    row("policy preceded_by", missing, "policy.SOP-200.verify-before-act",
        R"({"policy":"SOP-200","policy_name":"change-discipline","check":"verify-before-act","title":"",)"
        R"("kind":"preceded_by","text":"action_type:observe","within_steps":1})",
        "Missing step — SOP-200/verify-before-act: no earlier step matching action_type:observe within 1 step");
    row("policy followed_by", missing, "policy.SOP-200.verify-after-act",
        R"({"policy":"SOP-200","policy_name":"change-discipline","check":"verify-after-act","title":"",)"
        R"("kind":"followed_by","text":"tool:metrics.query","within_steps":3})",
        "Missing step — SOP-200/verify-after-act: no step matching tool:metrics.query within 3 steps");
    row("policy followed_by anywhere", missing, "policy.SOP-200.verify-after-act",
        R"({"policy":"SOP-200","check":"verify-after-act","kind":"followed_by","text":"tool:metrics.query","within_steps":0})",
        "Missing step — SOP-200/verify-after-act: no later step matching tool:metrics.query");
    row("integrity.unrecorded-escalation", integrity, "integrity.unrecorded-escalation", R"({"permission":"service:restart"})",
        "Trace integrity — service:restart used beyond the baseline but not recorded as escalated");
    row("integrity.not-granted", integrity, "integrity.not-granted", R"({"permission":"ssh:exec:write"})",
        "Trace integrity — ssh:exec:write used but not among the run's granted permissions");
    row("integrity.denied-succeeded", integrity, "integrity.denied-succeeded", R"({"permission":"db:drop"})",
        "Trace integrity — db:drop recorded as denied, yet the step using it succeeded");
    row("integrity.policy-version", integrity, "integrity.policy-version", R"({"recorded":"v2.4.1","bundle":"v2.5.0"})",
        "Trace integrity — the run records policy version v2.4.1, the bundle in use is v2.5.0");
    row("unknown rule", integrity, "integrity.clock-skew", R"({"skew_ms":1200,"hosts":["a","b"],"note":null})",
        "Trace integrity — integrity.clock-skew (skew_ms: 1200; hosts: a, b)");
    row("known rule without its context", esc, "escalation.not-in-baseline", R"({})",
        "Permission escalation — escalation.not-in-baseline");
    row("no rule id", dev, "", R"({"why":"x"})", "Behavioural deviation — unnamed rule (why: x)");
    row("context not an object", seq, "sequence.new-tool", R"(["db.export"])", "Unusual tool sequence — sequence.new-tool");
}

void TestAnalysisText::anomalyMessage()
{
    QFETCH(Detector, detector);
    QFETCH(QString, rule);
    QFETCH(QByteArray, context);
    QFETCH(QString, expected);
    const Anomaly a = anomaly(detector, rule.toStdString(), Severity::Warn, 1, Json::parse(context.toStdString()));
    QCOMPARE(rw::anomalyMessage(a), expected);
}

void TestAnalysisText::reportVariants_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<QStringList>("expectedLines"); // lines the report must hold, in this order
    QTest::addColumn<QStringList>("absentPrefixes");

    QTest::newRow("clean run, one step") << 0
        << QStringList{QStringLiteral("Duration: 1.01s (1 step)"), QStringLiteral("Anomalies:"), QStringLiteral("None"),
                       QStringLiteral("Summary: 0 warnings, 0 critical — no action needed")}
        << QStringList{QStringLiteral("Behavioural Policy:")};
    // a check's advice comes after a critical finding
    QTest::newRow("critical before a check's advice")
        << 4
        << QStringList{QStringLiteral("[CRITICAL] Step 3: Behavioural deviation — SOP-114/prohibited: never delete resources in production"),
                       QStringLiteral("Summary: 0 warnings, 1 critical — investigate the critical anomalies; review escalation approvals")}
        << QStringList{};
    QTest::newRow("inferred baseline, a run-wide critical")
        << 1
        << QStringList{QStringLiteral("Baseline: metrics:read, service:restart — baseline inferred from the trace (no profile)"),
                       QStringLiteral("Used: none"), QStringLiteral("Escalated: none"),
                       QStringLiteral("[CRITICAL] Run: Trace integrity — the run records policy version v1, the bundle in use is v2"),
                       QStringLiteral("[WARN] Step 0: Permission escalation — ssh:exec:write not in baseline grant"),
                       QStringLiteral("Summary: 1 warning, 1 critical — investigate the critical anomalies")}
        << QStringList{};
    QTest::newRow("granted baseline, warnings only")
        << 2
        << QStringList{QStringLiteral("Baseline: tool:read — the trace's granted capabilities (no profile)"),
                       QStringLiteral("Summary: 1 warning, 0 critical — review the warnings")}
        << QStringList{};
    QTest::newRow("no baseline, notes after the summary")
        << 3
        << QStringList{QStringLiteral("Baseline: none — no profile and no grant recorded"), QStringLiteral("Summary: 0 warnings, 0 critical — no action needed"),
                       QStringLiteral("Note: Permission escalation not judged: no analysis profile matches this agent and the trace records no grant")}
        << QStringList{};
}

void TestAnalysisText::reportVariants()
{
    QFETCH(int, variant);
    QFETCH(QStringList, expectedLines);
    QFETCH(QStringList, absentPrefixes);
    RunAnalysis r = seedRun();
    r.anomalies.clear();
    r.checks.clear();
    r.advice.clear();
    switch (variant) {
    case 0:
        r.durationMs = 1005; // half up on whole milliseconds
        r.steps = 1;
        break;
    case 1:
        r.baselineSource = BaselineSource::Inferred;
        r.baseline = {"metrics:read", "service:restart"};
        r.used.clear();
        r.escalated.clear();
        r.anomalies.push_back(anomaly(Detector::TraceIntegrity, "integrity.policy-version", Severity::Critical, -1,
                                      {{"recorded", "v1"}, {"bundle", "v2"}}));
        r.anomalies.push_back(escalation("ssh:exec:write"));
        r.anomalies.back().stepIndex = 0;
        break;
    case 2:
        r.baselineSource = BaselineSource::Granted;
        r.baseline = {"tool:read"};
        r.anomalies.push_back(escalation("ssh:exec:write"));
        break;
    case 3:
        r.baselineSource = BaselineSource::None;
        r.baseline.clear();
        r.notes.push_back({AnalysisNote::Code::NoBaseline, Detector::PermissionEscalation, 0, 0});
        break;
    case 4:
        r.anomalies.push_back(anomaly(Detector::BehaviouralDeviation, "policy.SOP-114.prohibited", Severity::Critical, 3,
                                      {{"policy", "SOP-114"}, {"check", "prohibited"}, {"kind", "prohibit"},
                                       {"text", "never delete resources in production"}}));
        r.advice = "review escalation approvals";
        break;
    default: break;
    }
    const QStringList actual = lines(rw::analysisReportText(r));
    qsizetype from = 0;
    for (const QString& line : expectedLines) {
        const qsizetype at = actual.indexOf(line, from);
        QVERIFY2(at >= 0, qPrintable(QStringLiteral("missing or out of order: ") + line + QStringLiteral("\nin:\n") + actual.join(QLatin1Char('\n'))));
        from = at + 1;
    }
    for (const QString& prefix : absentPrefixes)
        for (const QString& line : actual)
            QVERIFY2(!line.startsWith(prefix), qPrintable(line));
    for (const QString& line : actual)
        QVERIFY2(!line.startsWith(QLatin1Char(' ')), qPrintable(line)); // no indentation
}

void TestAnalysisText::notes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<Detector>("detector");
    QTest::addColumn<qint64>("runs");
    QTest::addColumn<qint64>("needed");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no baseline") << int(AnalysisNote::Code::NoBaseline) << Detector::PermissionEscalation << qint64(0) << qint64(0)
        << QStringLiteral("Permission escalation not judged: no analysis profile matches this agent and the trace records no grant");
    QTest::newRow("insufficient baseline") << int(AnalysisNote::Code::InsufficientBaseline) << Detector::UnusualToolSequence << qint64(1)
        << qint64(20) << QStringLiteral("Unusual tool sequence not judged: insufficient baseline (1 run, at least 20 needed)");
    QTest::newRow("steps not kept") << int(AnalysisNote::Code::StepsNotKept) << Detector::MissingStep << qint64(0) << qint64(64)
        << QStringLiteral("Missing step: an order rule looked back only 64 steps; a matching step further back was not seen");
}

void TestAnalysisText::notes()
{
    QFETCH(int, code);
    QFETCH(Detector, detector);
    QFETCH(qint64, runs);
    QFETCH(qint64, needed);
    QFETCH(QString, expected);
    const AnalysisNote n{static_cast<AnalysisNote::Code>(code), detector, runs, needed};
    QCOMPARE(rw::noteText(n), expected);
}

// Checks are grouped by their policy, in the order of their first check; the
// run's policy name goes with its own id only.
void TestAnalysisText::policySections()
{
    RunAnalysis r = seedRun();
    PolicyCheckResult other = check("verify-after-act", "", CheckResult::Fail);
    other.policy = "SOP-200";
    r.checks.insert(r.checks.begin() + 1, other);
    const QStringList actual = lines(rw::analysisReportText(r));
    const qsizetype first = actual.indexOf(QStringLiteral("Behavioural Policy: SOP-114 (triage-standard)"));
    QVERIFY(first > 0);
    QCOMPARE(actual.mid(first, 6),
             (QStringList{QStringLiteral("Behavioural Policy: SOP-114 (triage-standard)"), QStringLiteral("[PASS] No prohibited actions detected"),
                          QStringLiteral("[PASS] All tool calls within approved tool list"),
                          QStringLiteral("[WARN] Escalated permissions require manual approval audit"),
                          QStringLiteral("Behavioural Policy: SOP-200"), QStringLiteral("[FAIL] verify-after-act")}));
}

// Ids, permissions and context values come from trace and configuration
// files: controls and bidi overrides are shown escaped, never raw.
void TestAnalysisText::untrustedValuesAreVisible()
{
    RunAnalysis r = seedRun();
    r.runId = "run\x1b[2J-1";
    r.used.push_back("evil\r\xe2\x80\xaeperm");
    r.anomalies.push_back(escalation("ssh:exec:write\nFAKE LINE"));
    const QString text = rw::analysisReportText(r);
    QVERIFY(text.contains(QStringLiteral("Run Trace Analysis: run\\x1b[2J-1")));
    QVERIFY(text.contains(QStringLiteral("evil\\r\\u202eperm")));
    QVERIFY(text.contains(QStringLiteral("ssh:exec:write\\nFAKE LINE not in baseline grant")));
    QVERIFY(!text.contains(QChar(0x1b)) && !text.contains(QChar(0x202e)) && !text.contains(QLatin1Char('\r')));
    QCOMPARE(lines(text).size(), 18);
}

QTEST_GUILESS_MAIN(TestAnalysisText)
#include "tst_analysistext.moc"
