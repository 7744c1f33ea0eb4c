// The configuration of run-trace analysis from bytes: every key read into its
// field, every error and warning at its line and column. Hostile input, the
// defaults, files, folders and the samples: tst_analysisconfigfiles.
#include "replay/analysis/configloader.h"
#include "tests/analysistestutil.h"

#include <QCryptographicHash>
#include <QtTest>

using namespace rw;
using namespace rw::analysis;
using rwtest::describe;

class TestAnalysisConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void profileKeys();
    void profileSectionsLeftOutKeepDefaults();
    void behaviourKeys();
    void exfilKeys();
    void sequenceProfileKeys();
    void findings_data();
    void findings();
};

void TestAnalysisConfig::profileKeys()
{
    const QByteArray yaml =
        "version: 1\n"
        "agents:\n"
        "  - match: \"prod-*\"\n"
        "    baseline_grant: [metrics:read]\n"
        "    approvable: [service:restart]\n"
        "    approved_tools: [metrics.query, ssh.exec]\n"
        "    behavioural_policy: SOP-114\n"
        "    sequence_profile: profiles/prod.json\n"
        "  - match: etl-*\n"
        "permission_risk: {\"*:write\": high, \"*:admin\": Critical, \"*:read*\": medium, x: low}\n"
        "action_types:\n"
        "  observe: {actions: [assess_*], permissions: [\"*:read*\"]}\n"
        "  encode: {tools: [gzip], params: {command: \"*base64*|*openssl enc*\", args: \"-d\"}}\n"
        "environments:\n"
        "  staging: {hosts: [stg-*], params: [host], values: [staging]}\n"
        "networks: {trusted: [10.0.0.0/8, \"*.corp\"]}\n"
        "retries: {threshold: 5, window_steps: 8, window: 30s}\n"
        "sequences: {p_rare: 0.05, min_baseline_runs: 10, context_steps: 0}\n"
        "severity_overrides: {escalation.not-in-baseline: warning, retry.loop: INFO}\n";
    std::vector<BundleDiagnostic> d;
    const auto p = parseAnalysisProfile(yaml.toStdString(), "a.yaml", d);
    QVERIFY2(p && d.empty(), qPrintable(describe(d)));
    QCOMPARE(p->source.path, std::string("a.yaml"));
    QCOMPARE(QByteArray::fromStdString(p->source.sha256),
             QCryptographicHash::hash(yaml, QCryptographicHash::Sha256).toHex());
    QVERIFY(!p->source.builtIn);
    QCOMPARE(p->agents.size(), std::size_t(2));
    const AgentProfile& a = p->agents[0];
    QCOMPARE(a.match.text, std::string("prod-*"));
    QCOMPARE(a.match.line, 3);
    QCOMPARE(a.match.column, 12);
    QCOMPARE(a.baselineGrant, std::vector<std::string>{"metrics:read"});
    QCOMPARE(a.approvable, std::vector<std::string>{"service:restart"});
    QCOMPARE(a.approvedTools, (std::vector<std::string>{"metrics.query", "ssh.exec"}));
    QCOMPARE(a.behaviouralPolicy, std::string("SOP-114"));
    QCOMPARE(a.sequenceProfile, std::string("profiles/prod.json"));
    QCOMPARE(p->agents[1].match.text, std::string("etl-*"));
    QVERIFY(p->agents[1].approvedTools.empty());
    QCOMPARE(p->permissionRisk.size(), std::size_t(4));
    QCOMPARE(p->permissionRisk[1].pattern, std::string("*:admin"));
    QVERIFY(p->permissionRisk[1].risk == Severity::Critical);
    QCOMPARE(p->permissionRisk[1].word, std::string("Critical"));
    QVERIFY(p->permissionRisk[0].risk == Severity::Warn);
    QVERIFY(p->permissionRisk[2].risk == Severity::Info && p->permissionRisk[3].risk == Severity::Info);
    QCOMPARE(p->actionTypes.size(), std::size_t(2));
    QCOMPARE(p->actionTypes[0].name, std::string("observe"));
    QCOMPARE(p->actionTypes[0].actions, std::vector<std::string>{"assess_*"});
    QCOMPARE(p->actionTypes[0].permissions, std::vector<std::string>{"*:read*"});
    QCOMPARE(p->actionTypes[1].tools, std::vector<std::string>{"gzip"});
    QCOMPARE(p->actionTypes[1].params.size(), std::size_t(2));
    QCOMPARE(p->actionTypes[1].params[0].key, std::string("command"));
    QCOMPARE(p->actionTypes[1].params[0].globs, std::string("*base64*|*openssl enc*"));
    QCOMPARE(p->environments.size(), std::size_t(1));
    QCOMPARE(p->environments[0].name, std::string("staging"));
    QCOMPARE(p->environments[0].hosts, std::vector<std::string>{"stg-*"});
    QCOMPARE(p->environments[0].params, std::vector<std::string>{"host"});
    QCOMPARE(p->environments[0].values, std::vector<std::string>{"staging"});
    QCOMPARE(p->trustedNetworks, (std::vector<std::string>{"10.0.0.0/8", "*.corp"}));
    QCOMPARE(p->retries.threshold, 5);
    QCOMPARE(p->retries.windowSteps, 8);
    QCOMPARE(p->retries.windowUs, std::int64_t(30'000'000));
    QCOMPARE(p->sequences.rareProbability, 0.05);
    QCOMPARE(p->sequences.minBaselineRuns, 10);
    QCOMPARE(p->sequences.contextSteps, 0);
    QCOMPARE(p->severityOverrides.size(), std::size_t(2));
    QVERIFY(p->severityOverrides.at("escalation.not-in-baseline") == Severity::Warn);
    QVERIFY(p->severityOverrides.at("retry.loop") == Severity::Info);
}

void TestAnalysisConfig::profileSectionsLeftOutKeepDefaults()
{
    std::vector<BundleDiagnostic> d;
    const auto p = parseAnalysisProfile("version: 1\nagents: [{match: x}]\n", "a.yaml", d);
    QVERIFY2(p && d.empty(), qPrintable(describe(d)));
    const AnalysisProfile def = defaultAnalysisProfile();
    QCOMPARE(p->actionTypes.size(), def.actionTypes.size());
    QCOMPARE(p->environments.size(), def.environments.size());
    QCOMPARE(p->permissionRisk.size(), def.permissionRisk.size());
    QCOMPARE(p->retries.threshold, 3);
    // a section given, even empty, replaces the built-in one
    const auto q = parseAnalysisProfile("version: 1\naction_types: {}\nenvironments:\npermission_risk: {}\n",
                                        "b.yaml", d);
    QVERIFY2(q && d.empty(), qPrintable(describe(d)));
    QVERIFY(q->actionTypes.empty() && q->environments.empty() && q->permissionRisk.empty());
}

void TestAnalysisConfig::behaviourKeys()
{
    const QByteArray yaml = "id: P-1\n"
                            "name: checks\n"
                            "applies_to: 'agent:x-*'\n"
                            "checks:\n"
                            "  - id: all\n"
                            "    title: Every key\n"
                            "    prohibit:\n"
                            "      - {text: no deletes, when: 'action_type:destroy', severity: warn}\n"
                            "      - when: 'tool:rm'\n"
                            "    when: 'action_type:modify'\n"
                            "    require: 'reasoning~\"SOP\"'\n"
                            "    preceded_by: 'action_type:observe'\n"
                            "    followed_by: 'tool:metrics.query'\n"
                            "    within_steps: 4\n"
                            "    review: 'escalated:true'\n"
                            "    severity: critical\n"
                            "    advice: look again\n"
                            "  - id: plain\n"
                            "    require: 'tool:a'\n";
    std::vector<BundleDiagnostic> d;
    const auto p = parseBehaviourPolicy(yaml.toStdString(), "p.yaml", d);
    QVERIFY2(p && d.empty(), qPrintable(describe(d)));
    QCOMPARE(p->id, std::string("P-1"));
    QCOMPARE(p->name, std::string("checks"));
    QCOMPARE(p->appliesTo.text, std::string("agent:x-*"));
    QCOMPARE(p->appliesTo.line, 3);
    QCOMPARE(p->appliesTo.column, 13);
    QCOMPARE(QByteArray::fromStdString(p->source.sha256),
             QCryptographicHash::hash(yaml, QCryptographicHash::Sha256).toHex());
    QCOMPARE(p->checks.size(), std::size_t(2));
    const PolicyCheck& c = p->checks[0];
    QCOMPARE(c.id, std::string("all"));
    QCOMPARE(c.title, std::string("Every key"));
    QCOMPARE(c.line, 5);
    QCOMPARE(c.prohibit.size(), std::size_t(2));
    QCOMPARE(c.prohibit[0].text, std::string("no deletes"));
    QCOMPARE(c.prohibit[0].when.text, std::string("action_type:destroy"));
    QVERIFY(c.prohibit[0].severity == Severity::Warn);
    QVERIFY(c.prohibit[1].severity == Severity::Critical); // the default of a prohibition
    QCOMPARE(c.prohibit[1].when.line, 9);
    QCOMPARE(c.when.text, std::string("action_type:modify"));
    QCOMPARE(c.require.text, std::string("reasoning~\"SOP\""));
    QCOMPARE(c.require.line, 11);
    QCOMPARE(c.require.column, 14);
    QCOMPARE(c.precededBy.text, std::string("action_type:observe"));
    QCOMPARE(c.followedBy.text, std::string("tool:metrics.query"));
    QCOMPARE(c.withinSteps, 4);
    QCOMPARE(c.review.text, std::string("escalated:true"));
    QVERIFY(c.severity == Severity::Critical);
    QCOMPARE(c.advice, std::string("look again"));
    QVERIFY(p->checks[1].severity == Severity::Warn);
    QCOMPARE(p->checks[1].withinSteps, 0);
    QVERIFY(p->checks[1].when.empty() && p->checks[1].review.empty());
}

void TestAnalysisConfig::exfilKeys()
{
    const QByteArray yaml =
        "large_read: {tools: [sql_query], result_bytes: \">= 2 KiB\", result_rows: 500}\n"
        "external_write: {tools: [scp], destination_params: [host]}\n"
        "encode: 'tool:gzip'\n"
        "sequences:\n"
        "  - id: s1\n"
        "    steps: [large_read, \"encode?\", external_write]\n"
        "    within: {steps: 6, time: 500ms}\n"
        "    destination: any\n"
        "    severity: info\n"
        "allow:\n"
        "  - {id: etl, agent: etl-*, destination: \"s3://lake/*\", hours: \"22:30-24:00\"}\n"
        "  - {id: night, hours: \"23:00 - 02:00\"}\n";
    std::vector<BundleDiagnostic> d;
    const auto r = parseExfilRules(yaml.toStdString(), "x.yaml", d);
    QVERIFY2(r && d.empty(), qPrintable(describe(d)));
    QCOMPARE(r->largeRead.tools, std::vector<std::string>{"sql_query"});
    QCOMPARE(r->largeRead.resultBytes, std::int64_t(2048));
    QCOMPARE(r->largeRead.resultRows, std::int64_t(500));
    QCOMPARE(r->externalWrite.tools, std::vector<std::string>{"scp"});
    QCOMPARE(r->externalWrite.destinationParams, std::vector<std::string>{"host"});
    QCOMPARE(r->encode.text, std::string("tool:gzip"));
    QCOMPARE(r->encode.line, 3);
    QCOMPARE(r->sequences.size(), std::size_t(1));
    const ExfilSequence& s = r->sequences[0];
    QCOMPARE(s.id, std::string("s1"));
    QCOMPARE(s.steps.size(), std::size_t(3));
    QCOMPARE(s.steps[1].name, std::string("encode"));
    QVERIFY(s.steps[1].optional && !s.steps[0].optional && !s.steps[2].optional);
    QCOMPARE(s.withinSteps, 6);
    QCOMPARE(s.withinUs, std::int64_t(500'000));
    QVERIFY(!s.untrustedOnly);
    QVERIFY(s.severity == Severity::Info);
    QCOMPARE(r->allow.size(), std::size_t(2));
    QCOMPARE(r->allow[0].agent, std::string("etl-*"));
    QCOMPARE(r->allow[0].destination, std::string("s3://lake/*"));
    QCOMPARE(r->allow[0].fromMinute, 22 * 60 + 30);
    QCOMPARE(r->allow[0].toMinute, 24 * 60);
    QCOMPARE(r->allow[1].fromMinute, 23 * 60);
    QCOMPARE(r->allow[1].toMinute, 120); // wraps past midnight
    QVERIFY(r->allow[1].agent.empty());
}

void TestAnalysisConfig::sequenceProfileKeys()
{
    const QByteArray json =
        "\xEF\xBB\xBF"
        R"({"schema":"replay-workbench/sequence-profile","version":1,"agent":"prod-triage-*",
 "built_from":{"runs":418,"first":"2026-02-01T00:00:00Z","last":"2026-02-28T23:59:59Z","inputs_sha256":"ab"},
 "ngram":2,
 "tools":{"metrics.query":1210,"ssh.exec":402},
 "first_tools":{"metrics.query":411,"logs.read":7},
 "transitions":{"<start>|metrics.query":411,"metrics.query|ssh.exec":380},
 "permissions":{"metrics:read":1210},
 "destinations":{"internal":1890}})";
    std::vector<BundleDiagnostic> d;
    const auto p = parseSequenceProfile(json.toStdString(), "p.json", d);
    QVERIFY2(p && d.empty(), qPrintable(describe(d)));
    QCOMPARE(p->agent, std::string("prod-triage-*"));
    QCOMPARE(p->runs, std::int64_t(418));
    QCOMPARE(p->tools.size(), std::size_t(2));
    QCOMPARE(p->tools.at("ssh.exec"), std::int64_t(402));
    QCOMPARE(p->firstTools.at("logs.read"), std::int64_t(7));
    QCOMPARE(p->transitions.at("<start>|metrics.query"), std::int64_t(411));
    QCOMPARE(p->permissions.at("metrics:read"), std::int64_t(1210));
    QCOMPARE(p->destinations.at("internal"), std::int64_t(1890));
    QCOMPARE(QByteArray::fromStdString(p->source.sha256),
             QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex());
}

void TestAnalysisConfig::findings_data()
{
    QTest::addColumn<int>("loader");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    const auto row = [](bool isError, const char* name, int loader, const QByteArray& input, int line,
                        int column, const char* message) {
        QTest::newRow(name) << loader << input << isError << line << column << QString::fromUtf8(message);
    };
    const auto error = [&](auto... a) { row(true, a...); };
    const auto warning = [&](auto... a) { row(false, a...); };
    const int P = rwtest::ProfileLoader, B = rwtest::BehaviourLoader, X = rwtest::ExfilLoader,
              S = rwtest::SequenceProfileLoader;
    const QByteArray v1 = "version: 1\n";

    // analysis.yaml
    error("version 2", P, "version: 2\n", 1, 10,
          "'version' must be 1 (the only version of analysis.yaml), got '2'");
    error("version word", P, "version: one\n", 1, 10,
          "'version' must be 1 (the only version of analysis.yaml), got 'one'");
    warning("no version", P, "agents: []\n", 1, 1, "no 'version'; read as version 1 (write 'version: 1')");
    error("profile not a mapping", P, "- a\n", 1, 1,
          "an analysis profile must be a mapping of keys, got a list");
    error("empty profile", P, "# nothing\n", 0, 0,
          "the file is empty; an analysis profile is a mapping of keys");
    warning("unknown top key", P, v1 + "agent: []\n", 2, 1,
            "unknown key 'agent' in the analysis profile (ignored); did you mean 'agents'?");
    error("agents a mapping", P, v1 + "agents: {a: 1}\n", 2, 9, "'agents' must be a list, got a mapping");
    error("agent a string", P, v1 + "agents: [x]\n", 2, 10,
          "each entry of 'agents' must be a mapping, got 'x'");
    error("agent without match", P, v1 + "agents:\n  - baseline_grant: [a]\n", 3, 5,
          "an agent needs 'match' (an agent_id glob)");
    warning("unknown agent key", P, v1 + "agents:\n  - match: x\n    approved_tool: [a]\n", 4, 5,
            "unknown key 'approved_tool' in an agent (ignored); did you mean 'approved_tools'?");
    error("grant a scalar", P, v1 + "agents:\n  - match: x\n    baseline_grant: metrics:read\n", 4, 21,
          "'baseline_grant' must be a list, got 'metrics:read'");
    error("grant entry a mapping", P, v1 + "agents:\n  - match: x\n    baseline_grant: [a, {b: c}]\n", 4, 25,
          "'baseline_grant[1]' must be a string, got a mapping");
    error("empty match", P, v1 + "agents:\n  - match: ''\n", 3, 12, "'match' is empty");
    error(
        "risk word", P, v1 + "permission_risk:\n  \"*:write\": hihg\n", 3, 14,
        "'permission_risk.*:write' must be low, medium, high or critical, got 'hihg'; did you mean 'high'?");
    error("risk a list", P, v1 + "permission_risk: [a]\n", 2, 18,
          "'permission_risk' must be a mapping, got a list");
    error("action type a list", P, v1 + "action_types:\n  observe: [a]\n", 3, 12,
          "'action_types.observe' must be a mapping, got a list");
    warning("unknown action type key", P, v1 + "action_types:\n  observe: {tool: [a]}\n", 3, 13,
            "unknown key 'tool' in action_types.observe (ignored); did you mean 'tools'?");
    error("param a list", P, v1 + "action_types:\n  encode: {params: {command: [a]}}\n", 3, 30,
          "'action_types.encode.params.command' must be a string, got a list");
    warning("action type without matchers", P, v1 + "action_types:\n  idle: {}\n", 3, 3,
            "action type 'idle' gives no actions, permissions, tools or params: no step has it");
    warning("unknown environment key", P, v1 + "environments:\n  production: {hosts: [p-*], param: [host]}\n",
            3, 30, "unknown key 'param' in environments.production (ignored); did you mean 'params'?");
    warning("environment without hosts", P, v1 + "environments:\n  staging: {params: [host]}\n", 3, 3,
            "environment 'staging' gives no hosts or values: no step is in it");
    error("trusted a scalar", P, v1 + "networks: {trusted: 10.0.0.0/8}\n", 2, 21,
          "'networks.trusted' must be a list, got '10.0.0.0/8'");
    warning("unknown networks key", P, v1 + "networks: {trust: []}\n", 2, 12,
            "unknown key 'trust' in networks (ignored); did you mean 'trusted'?");
    error("threshold zero", P, v1 + "retries: {threshold: 0}\n", 2, 22,
          "'retries.threshold' must be a positive whole number, got '0'");
    error("threshold quoted", P, v1 + "retries: {threshold: \"3\"}\n", 2, 22,
          "'retries.threshold' must be a positive whole number, got the string '3'");
    error("threshold octal-looking", P, v1 + "retries: {window_steps: 010}\n", 2, 25,
          "'retries.window_steps' must be a positive whole number, got '010'");
    error("threshold too big", P, v1 + "retries: {threshold: 99999999999}\n", 2, 22,
          "'retries.threshold' must be a positive whole number, got '99999999999'");
    error("window without unit", P, v1 + "retries: {window: 5}\n", 2, 19,
          "'retries.window' must be a positive duration with a unit (500ms, 30s, 5m, 2h), got '5'");
    warning("unknown retries key", P, v1 + "retries: {windw: 5m}\n", 2, 11,
            "unknown key 'windw' in retries (ignored); did you mean 'window'?");
    error("p_rare above 1", P, v1 + "sequences: {p_rare: 1.5}\n", 2, 21,
          "'sequences.p_rare' must be a number from 0 to 1, got '1.5'");
    error("negative baseline", P, v1 + "sequences: {min_baseline_runs: -1}\n", 2, 32,
          "'sequences.min_baseline_runs' must be a non-negative whole number, got '-1'");
    warning("unknown sequences key", P, v1 + "sequences: {context_step: 2}\n", 2, 13,
            "unknown key 'context_step' in sequences (ignored); did you mean 'context_steps'?");
    error("override word", P, v1 + "severity_overrides: {retry.loop: critcal}\n", 2, 34,
          "'severity_overrides.retry.loop' must be info, warn or critical, got 'critcal'; did you mean "
          "'critical'?");
    error("duplicate key, still checked", P, v1 + "retries: {threshold: 0}\nretries: {}\n", 3, 1,
          "duplicate key 'retries'");
    error("checked despite a duplicate key", P, v1 + "retries: {threshold: 0}\nretries: {}\n", 2, 22,
          "'retries.threshold' must be a positive whole number, got '0'");

    // behaviour/*.yaml
    const QByteArray head = "id: P\nchecks:\n";
    error("policy without id", B, "checks: [{id: c, require: 'tool:a'}]\n", 1, 1,
          "a behavioural policy needs an 'id' (e.g. SOP-114)");
    warning("policy without checks", B, "id: P\n", 1, 1, "policy 'P' has no checks: it always passes");
    warning("unknown policy key", B, "id: P\ncheck: []\n", 2, 1,
            "unknown key 'check' in the behavioural policy (ignored); did you mean 'checks'?");
    error("applies_to a mapping", B, "id: P\napplies_to: {a: b}\n", 2, 13,
          "'applies_to' must be a string, got a mapping");
    error("check a string", B, head + "  - c\n", 3, 5, "each entry of 'checks' must be a mapping, got 'c'");
    error("check without id", B, head + "  - require: 'tool:a'\n", 3, 5, "a check needs an 'id'");
    error("check checks nothing", B, head + "  - id: c\n    title: t\n", 3, 5,
          "check 'c' checks nothing: give prohibit, require, preceded_by, followed_by or review");
    error("within zero", B, head + "  - id: c\n    preceded_by: 'tool:a'\n    within_steps: 0\n", 5, 19,
          "'within_steps' must be a positive whole number, got '0'");
    warning(
        "within without order", B, head + "  - id: c\n    require: 'tool:a'\n    within_steps: 3\n", 5, 5,
        "'within_steps' of check 'c' bounds preceded_by or followed_by, and the check has neither (ignored)");
    error("severity word", B, head + "  - id: c\n    require: 'tool:a'\n    severity: high\n", 5, 15,
          "'severity' must be info, warn or critical, got 'high'");
    error("severity typo", B, head + "  - id: c\n    require: 'tool:a'\n    severity: warnig\n", 5, 15,
          "'severity' must be info, warn or critical, got 'warnig'; did you mean 'warning'?");
    warning("unknown check key", B, head + "  - id: c\n    requires: 'tool:a'\n    review: 'x:y'\n", 4, 5,
            "unknown key 'requires' in a check (ignored); did you mean 'require'?");
    error("empty require", B, head + "  - id: c\n    require: ''\n", 4, 14, "'require' is empty");
    error("require a list", B, head + "  - id: c\n    require: [a]\n", 4, 14,
          "'require' must be a string, got a list");
    error("prohibit a mapping", B, head + "  - id: c\n    prohibit: {when: x}\n", 4, 15,
          "'prohibit' must be a list, got a mapping");
    error("prohibition without when", B, head + "  - id: c\n    prohibit:\n      - text: t\n", 5, 9,
          "a prohibit entry needs 'when' (the steps it forbids)");
    warning("unknown prohibition key", B, head + "  - id: c\n    prohibit: [{when: 'a:b', severty: info}]\n",
            4, 30, "unknown key 'severty' in a prohibit entry (ignored); did you mean 'severity'?");
    error("prohibition severity", B, head + "  - id: c\n    prohibit: [{when: 'a:b', severity: fatal}]\n", 4,
          40, "'prohibit.severity' must be info, warn or critical, got 'fatal'");
    error("check id twice", B, head + "  - {id: c, review: 'a:b'}\n  - {id: c, review: 'a:c'}\n", 4, 5,
          "check id 'c' is used twice in policy 'P'");

    // exfiltration.yaml
    const QByteArray seq = "sequences:\n  - id: s\n";
    error("size unit", X, "large_read: {result_bytes: \">=1XB\"}\n", 1, 28,
          "'large_read.result_bytes' must be a size such as \">=1MB\" (B, KB, MB, GB, KiB, MiB, GiB), got "
          "'>=1XB'");
    error("size comparison", X, "large_read: {result_bytes: \">1MB\"}\n", 1, 28,
          "'large_read.result_bytes' must be a size such as \">=1MB\" (B, KB, MB, GB, KiB, MiB, GiB), got "
          "'>1MB'");
    error("rows with a unit", X, "large_read: {result_rows: \">=10k\"}\n", 1, 27,
          "'large_read.result_rows' must be a count such as \">=10000\", got '>=10k'");
    warning("unknown large_read key", X, "large_read: {tool: []}\n", 1, 14,
            "unknown key 'tool' in large_read (ignored); did you mean 'tools'?");
    warning(
        "unknown external_write key", X, "external_write: {destination_param: []}\n", 1, 18,
        "unknown key 'destination_param' in external_write (ignored); did you mean 'destination_params'?");
    error("encode a list", X, "encode: [a]\n", 1, 9, "'encode' must be a string, got a list");
    warning("unknown exfil key", X, "sequence: []\n", 1, 1,
            "unknown key 'sequence' in the exfiltration ruleset (ignored); did you mean 'sequences'?");
    error("step name", X, seq + "    steps:\n      - large_read\n      - encod?\n", 5, 9,
          "'steps[1]' must be large_read, encode or external_write (a '?' after it makes it optional), got "
          "'encod?'; "
          "did you mean 'encode?'?");
    error("sequence without id", X, "sequences:\n  - steps: [large_read]\n", 2, 5,
          "a sequence needs an 'id'");
    error("sequence without steps", X, seq, 2, 5,
          "a sequence needs 'steps', a list such as [large_read, \"encode?\", external_write]");
    error("optional step unquoted in a flow list", X,
          seq + "    steps: [large_read, encode?, external_write]\n", 3, 31,
          "inside [ ], write an optional step in quotes (\"encode?\"): YAML ends a plain word at '?' there");
    error("all steps optional", X, seq + "    steps: [\"encode?\"]\n", 3, 12,
          "sequence 's' needs a step that is not optional");
    error("within steps zero", X, seq + "    steps: [large_read]\n    within: {steps: 0}\n", 4, 21,
          "'within.steps' must be a positive whole number, got '0'");
    error("within time", X, seq + "    steps: [large_read]\n    within: {time: 10}\n", 4, 20,
          "'within.time' must be a positive duration with a unit (500ms, 30s, 5m, 2h), got '10'");
    warning("unknown within key", X, seq + "    steps: [large_read]\n    within: {step: 3}\n", 4, 14,
            "unknown key 'step' in within (ignored); did you mean 'steps'?");
    error("within a number", X, seq + "    steps: [large_read]\n    within: 10\n", 4, 13,
          "'within' must be a mapping, got '10'");
    error("destination word", X, seq + "    steps: [large_read]\n    destination: untrustd\n", 4, 18,
          "'destination' must be untrusted or any, got 'untrustd'; did you mean 'untrusted'?");
    error("sequence id twice", X,
          "sequences:\n  - {id: s, steps: [large_read]}\n  - {id: s, steps: [large_read]}\n", 3, 5,
          "id 's' is used twice in 'sequences'");
    error("hours out of range", X, "allow:\n  - {id: a, agent: x, hours: \"25:00-04:00\"}\n", 2, 30,
          "'hours' must be a UTC window such as \"01:00-04:00\", got '25:00-04:00'");
    error("hours empty window", X, "allow:\n  - {id: a, agent: x, hours: \"04:00-04:00\"}\n", 2, 30,
          "'hours' is an empty window: '04:00-04:00'");
    error("allow without id", X, "allow:\n  - agent: x\n", 2, 5,
          "an allow entry needs an 'id' (reports name the exemption used)");
    warning("allow exempts everything", X, "allow:\n  - id: a\n", 2, 5,
            "allow entry 'a' gives no agent, destination or hours: it exempts every sequence");
    warning("unknown allow key", X, "allow:\n  - {id: a, agents: x}\n", 2, 13,
            "unknown key 'agents' in an allow entry (ignored); did you mean 'agent'?");

    // profiles/*.json
    const QByteArray j = R"({"schema": "replay-workbench/sequence-profile", "version": 1, "agent": "a",)";
    error("no schema", S, "{\"agent\": \"a\"}", 1, 1,
          "not a sequence profile: no \"schema\": \"replay-workbench/sequence-profile\"");
    error("wrong schema", S, "{\"schema\": \"x\", \"version\": 1, \"agent\": \"a\"}", 1, 12,
          "'schema' must be \"replay-workbench/sequence-profile\", got \"x\"");
    error("version 2", S, R"({"schema": "replay-workbench/sequence-profile", "version": 2, "agent": "a"})", 1,
          60, "'version' must be 1 (the only version of sequence profiles), got 2");
    error("no agent", S, R"({"schema": "replay-workbench/sequence-profile", "version": 1})", 1, 1,
          "a sequence profile needs \"agent\" (an agent_id glob)");
    error("empty agent", S, R"({"schema": "replay-workbench/sequence-profile", "version": 1, "agent": ""})",
          1, 72, "'agent' must be a non-empty string (an agent_id glob)");
    error("negative count", S, j + "\n \"tools\": {\"x\": -1}}", 2, 17,
          "'tools.x' must be a non-negative whole number, got -1");
    error("fractional count", S, j + "\n \"permissions\": {\"p\": 1.5}}", 2, 23,
          "'permissions.p' must be a non-negative whole number, got 1.5");
    error("counts a list", S, j + "\n \"tools\": [1]}", 2, 11, "'tools' must be an object of counts");
    error("transition without bar", S, j + "\n \"transitions\": {\"ab\": 1}}", 2, 18,
          "transition 'ab' must be written 'from|to'");
    error("duplicate json key", S, j + "\n \"tools\": {},\n \"tools\": {}}", 3, 2, "duplicate key 'tools'");
    error("duplicate count key", S, j + "\n \"tools\": {\"a\": 1, \"a\": 2}}", 2, 20, "duplicate key 'a'");
    warning("unknown json key", S, j + "\n \"tool\": {}}", 2, 2,
            "unknown key 'tool' in the sequence profile (ignored); did you mean 'tools'?");
    warning("unknown built_from key", S, j + "\n \"built_from\": {\"run\": 3}}", 2, 17,
            "unknown key 'run' in built_from (ignored); did you mean 'runs'?");
    error("runs a string", S, j + "\n \"built_from\": {\"runs\": \"3\"}}", 2, 25,
          "'built_from.runs' must be a non-negative whole number, got \"3\"");
    error("first a number", S, j + "\n \"built_from\": {\"first\": 3}}", 2, 26,
          "'built_from.first' must be a string");
    error("ngram 3", S, j + " \"ngram\": 3}", 1, 86,
          "'ngram' must be 2 (transitions are pairs of tools), got 3");
    error("not an object", S, "  [1]", 1, 3, "a sequence profile must be a JSON object");
    error("invalid json", S, "{\n  \"a\": }", 2, 8,
          "invalid JSON: syntax error while parsing value - unexpected '}'; expected '[', '{', or a literal");
}

void TestAnalysisConfig::findings()
{
    QFETCH(int, loader);
    QFETCH(QByteArray, input);
    QFETCH(bool, isError);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    std::vector<BundleDiagnostic> d;
    const bool loaded = rwtest::parseAnalysisInput(loader, input, d);
    QCOMPARE(loaded, !rwtest::hasErrorContaining(d, ""));
    QCOMPARE(loaded, !isError);
    const auto found = std::find_if(d.begin(), d.end(), [&](const BundleDiagnostic& x) {
        return QString::fromStdString(x.message) == message && x.line == line && x.column == column &&
               (x.level == BundleDiagnostic::Level::Error) == isError;
    });
    QVERIFY2(found != d.end(), qPrintable(describe(d)));
    QCOMPARE(found->file, std::string(loader == rwtest::SequenceProfileLoader ? "t.json" : "t.yaml"));
}

QTEST_GUILESS_MAIN(TestAnalysisConfig)
#include "tst_analysisconfig.moc"
