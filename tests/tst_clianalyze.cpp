// Run-trace analysis through the real executables: `securight trace analyze`
// on the seed's sample prints exactly the seed's report
// (tests/golden/analysis/seed-report.txt), aisecops-replay --analyze gives
// the same, --json is byte-identical run to run, and the exit codes, help
// texts, configuration findings and profile discovery hold.
#include "tests/testutil.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

namespace {

const QString kSeed = QStringLiteral("sample-audits/run-12345.json");
const QString kGolden = QStringLiteral(RW_SOURCE_DIR "/tests/golden/analysis/seed-report.txt");

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// From the source folder, with HOME and XDG_CONFIG_HOME set to `config`
// (an empty folder unless a test puts a profile there), so that the
// developer's own ~/.config never takes part.
Result run(const QString& program, const QStringList& args, const QString& config, const QString& cwd = {},
           const QByteArray& input = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), config);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config);
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(cwd.isEmpty() ? QStringLiteral(RW_SOURCE_DIR) : cwd);
    p.start(program, args);
    // standard input: `input`, then its end (a watch of `-` reads it to there)
    if (p.waitForStarted() && !input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    Result r;
    if (!p.waitForFinished(120000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void write(const QString& path, const QByteArray& bytes)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

void copy(const QString& from, const QString& to)
{
    QVERIFY(QDir().mkpath(QFileInfo(to).path()));
    QVERIFY(QFile::copy(from, to));
}

QString sample(const char* rel)
{
    return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + QLatin1String(rel);
}

// the sample profile, with an unknown key (a warning) and a risk word that is none (an error at 7:14)
const QByteArray kBadProfile = "version: 1\nagents:\n  - match: \"prod-*\"\n    baseline_grent: [metrics:read]\n"
                               "    approved_tools: [metrics.query]\npermission_risk:\n  \"*:write\": huge\n";

} // namespace

class TestCliAnalyze : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void seedReport();
    void sameReportFromAisecopsReplay();
    void jsonIsByteIdentical();
    void failOn_data();
    void failOn();
    void policyVersion();
    void batch();
    void incidents();
    void badProfile_data();
    void badProfile();
    void checkProfile();
    void seedWatch();
    void usage();
    void help();
    void discovery();

private:
    QTemporaryDir m_config;
    QString securight() const { return QStringLiteral(RW_SECURIGHT_PATH); }
    QString replay() const { return QStringLiteral(RW_CLI_PATH); }
};

void TestCliAnalyze::init()
{
    QVERIFY(m_config.isValid());
}

void TestCliAnalyze::seedReport()
{
    const Result r = run(securight(), {QStringLiteral("trace"), QStringLiteral("analyze"), kSeed}, m_config.path());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(rwtest::matchesGolden(r.out.toStdString(), kGolden));
    QCOMPARE(r.err, QByteArray("Using analysis profile sample-audits/analysis/analysis.yaml with "
                               "sample-audits/analysis/behaviour and sample-audits/analysis/exfiltration.yaml\n"));
    const Result quiet =
        run(securight(), {QStringLiteral("trace"), QStringLiteral("analyze"), kSeed, QStringLiteral("--quiet")}, m_config.path());
    QCOMPARE(quiet.exitCode, 0);
    QCOMPARE(quiet.out, r.out);
    QVERIFY2(quiet.err.isEmpty(), quiet.err.constData());
}

void TestCliAnalyze::sameReportFromAisecopsReplay()
{
    const Result r = run(replay(),
                         {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), kSeed, QStringLiteral("--profile"),
                          QStringLiteral("sample-audits/analysis/analysis.yaml"), QStringLiteral("--behaviour"),
                          QStringLiteral("sample-audits/analysis/behaviour"), QStringLiteral("--exfil"),
                          QStringLiteral("sample-audits/analysis/exfiltration.yaml")},
                         m_config.path());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(rwtest::matchesGolden(r.out.toStdString(), kGolden, m_config.path()));
    QVERIFY2(r.err.isEmpty(), r.err.constData());

    // two runs: one report each, a blank line between them
    const Result two = run(replay(),
                           {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), kSeed, QStringLiteral("--audit-file"),
                            kSeed, QStringLiteral("--profile"), QStringLiteral("sample-audits/analysis/analysis.yaml"),
                            QStringLiteral("--behaviour"), QStringLiteral("sample-audits/analysis/behaviour")},
                           m_config.path());
    QCOMPARE(two.exitCode, 0);
    QCOMPARE(two.out, r.out + "\n" + r.out);
}

void TestCliAnalyze::jsonIsByteIdentical()
{
    const QStringList args{QStringLiteral("trace"), QStringLiteral("analyze"), kSeed, QStringLiteral("--json")};
    const Result first = run(securight(), args, m_config.path());
    const Result second = run(securight(), args, m_config.path());
    QCOMPARE(first.exitCode, 0);
    QCOMPARE(first.out, second.out);
    const auto j = nlohmann::ordered_json::parse(first.out.toStdString());
    QCOMPARE(j.size(), std::size_t(2));
    QCOMPARE(j.begin().key(), std::string("runs"));
    const auto& run0 = j["runs"][0];
    std::vector<std::string> keys;
    for (const auto& [k, v] : run0.items())
        keys.push_back(k);
    QCOMPARE(keys, (std::vector<std::string>{"run_id", "agent_id", "file", "status", "started_at", "duration_ms", "steps",
                                             "baseline", "baseline_source", "granted", "used", "uses", "escalated", "location", "worst", "clean",
                                             "anomalies", "policy_checks", "notes"}));
    QCOMPARE(run0["run_id"].get<std::string>(), std::string("run-12345"));
    QCOMPARE(run0["file"].get<std::string>(), kSeed.toStdString());
    QCOMPARE(run0["duration_ms"].get<int>(), 36670);
    QCOMPARE(run0["worst"].get<std::string>(), std::string("warn"));
    QCOMPARE(run0["anomalies"].size(), std::size_t(3));
    const auto& a = run0["anomalies"][0];
    QCOMPARE(a["anomaly_id"].get<std::string>(), "a-" + a["fingerprint"].get<std::string>().substr(0, 12));
    QCOMPARE(a["message"].get<std::string>(), std::string("Permission escalation \xe2\x80\x94 ssh:exec:write not in baseline grant"));
    QCOMPARE(a["step_index"].get<int>(), 2);
    const std::string bytes = rwtest::readFile(sample("run-12345.json"));
    const QByteArray sha = QCryptographicHash::hash(QByteArray::fromStdString(bytes), QCryptographicHash::Sha256).toHex();
    QCOMPARE(QByteArray::fromStdString(a["witness"][0]["sha256"].get<std::string>()), sha);
    const auto& w = a["witness"][0];
    // the witness names the step's exact bytes
    QVERIFY(bytes.substr(w["offset"].get<std::size_t>(), w["length"].get<std::size_t>()).find("ssh:exec:write") != std::string::npos);
    QCOMPARE(run0["policy_checks"][2]["result"].get<std::string>(), std::string("warn"));
    QCOMPARE(j["config"]["profile"]["path"].get<std::string>(), std::string("sample-audits/analysis/analysis.yaml"));
    QCOMPARE(j["config"]["behaviour"][0]["id"].get<std::string>(), std::string("SOP-114"));
    QCOMPARE(j["config"]["exfil"]["path"].get<std::string>(), std::string("sample-audits/analysis/exfiltration.yaml"));

    // without a profile: built-in configuration, said so
    const Result none = run(replay(), {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), kSeed, QStringLiteral("--json")},
                            m_config.path());
    const auto k = nlohmann::json::parse(none.out.toStdString());
    QCOMPARE(k["config"]["profile"], nlohmann::json({{"built_in", true}}));
    QCOMPARE(k["runs"][0]["baseline_source"].get<std::string>(), std::string("inferred"));
}

void TestCliAnalyze::failOn_data()
{
    QTest::addColumn<QString>("level");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("warn reached") << QStringLiteral("warn") << 5;
    QTest::newRow("critical not reached") << QStringLiteral("critical") << 0;
}

void TestCliAnalyze::failOn()
{
    QFETCH(QString, level);
    QFETCH(int, exitCode);
    const Result s = run(securight(), {QStringLiteral("trace"), QStringLiteral("analyze"), kSeed, QStringLiteral("--fail-on"), level},
                         m_config.path());
    QCOMPARE(s.exitCode, exitCode);
    QVERIFY(rwtest::matchesGolden(s.out.toStdString(), kGolden, m_config.path())); // the report is printed either way
    const Result r = run(replay(),
                         {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), kSeed, QStringLiteral("--json"),
                          QStringLiteral("--fail-on"), level},
                         m_config.path());
    QCOMPARE(r.exitCode, exitCode);
}

void TestCliAnalyze::policyVersion()
{
    // the run records v2.4.1: another version in force is a trace_integrity finding, the same one is not
    const auto findings = [&](const char* version) {
        const Result r = run(replay(),
                             {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), kSeed, QStringLiteral("--json"),
                              QStringLiteral("--policy-version"), QLatin1String(version)},
                             m_config.path());
        return QString::fromUtf8(r.out).count(QStringLiteral("\"integrity.policy-version\""));
    };
    QCOMPARE(findings("v2.5.0"), 1);
    QCOMPARE(findings("v2.4.1"), 0);
}

// A folder of traces: the seed's four lines, the report through a rename, the
// runs behind each count, the same bytes twice.
void TestCliAnalyze::batch()
{
    QTemporaryDir dir;
    copy(sample("run-12345.json"), dir.filePath(QStringLiteral("traces/2026-03/run-12345.json")));
    copy(sample("run-incidents.jsonl"), dir.filePath(QStringLiteral("traces/2026-03/more/incidents.jsonl")));
    copy(sample("ops-restart-approval.jsonl"), dir.filePath(QStringLiteral("traces/2026-03/ops.jsonl")));
    copy(sample("README.md"), dir.filePath(QStringLiteral("traces/2026-03/README.md"))); // not a trace: not taken
    const QString report = dir.filePath(QStringLiteral("report.json"));
    const QStringList config{QStringLiteral("--profile"), sample("analysis/analysis.yaml"), QStringLiteral("--behaviour"),
                             sample("analysis/behaviour")};
    const Result r = run(replay(),
                         QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch"), QStringLiteral("traces"),
                                     QStringLiteral("--output"), report} + config,
                         m_config.path(), dir.path());
    QCOMPARE(r.exitCode, 0);
    // runs by their worst severity: critical the exfiltration, the probing, the delete and the
    // integrity runs; warning run-12345, the deploy bot and ops-restart-orders (SOP-200 applies to
    // its agent, which no profile entry names: a restart without a runbook cited)
    QCOMPARE(QString::fromUtf8(r.out), QStringLiteral("Analysing 3 trace files...\nCritical anomalies: 4\nWarnings: 3\n"
                                                      "Clean runs: 0\nReport written to: ") + report + QLatin1Char('\n'));
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray first = f.readAll();
    const QJsonObject doc = QJsonDocument::fromJson(first).object();
    QCOMPARE(doc.value(QStringLiteral("schema")).toString(), QStringLiteral("replay-workbench/analysis-report"));
    const QJsonObject totals = doc.value(QStringLiteral("totals")).toObject();
    QCOMPARE(totals.value(QStringLiteral("files")).toInt(), 3);
    QCOMPARE(totals.value(QStringLiteral("runs")).toInt(), 7);
    QCOMPARE(doc.value(QStringLiteral("runs")).toArray().size(), 7);
    const QJsonArray inputs = doc.value(QStringLiteral("inputs")).toArray();
    QCOMPARE(inputs.size(), 3);
    for (const QJsonValue& input : inputs)
        QCOMPARE(input.toObject().value(QStringLiteral("sha256")).toString().size(), 64);
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size() == 1); // no temporary left behind
    // the fleet: prod-triage-au-east escalated service:restart and ssh:exec:write in both of its runs
    const QJsonArray frequent = doc.value(QStringLiteral("fleet")).toObject().value(QStringLiteral("frequent_escalations")).toArray();
    QStringList patches;
    for (const QJsonValue& e : frequent)
        if (e.toObject().value(QStringLiteral("agent")).toString() == QLatin1String("prod-triage-au-east"))
            patches << e.toObject().value(QStringLiteral("suggested_baseline_patch")).toString();
    QCOMPARE(patches.size(), 0); // 2 runs are under the default of 5
    const Result windowBad = run(replay(),
                                 QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch"), QStringLiteral("traces"),
                                             QStringLiteral("--output"), report, QStringLiteral("--window"),
                                             QStringLiteral("2026-03-07..2026-03-01")},
                                 m_config.path(), dir.path());
    QCOMPARE(windowBad.exitCode, 2);
    QVERIFY2(windowBad.err.contains("--window takes FROM..TO"), windowBad.err.constData());
    const Result lowered = run(replay(),
                               QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch"), QStringLiteral("traces"),
                                           QStringLiteral("--output"), report, QStringLiteral("--min-escalated-runs"),
                                           QStringLiteral("2")} + config,
                               m_config.path(), dir.path());
    QCOMPARE(lowered.exitCode, 0);
    QFile loweredReport(report);
    QVERIFY(loweredReport.open(QIODevice::ReadOnly));
    QStringList loweredPatches;
    for (const QJsonValue& e : QJsonDocument::fromJson(loweredReport.readAll())
                                   .object()
                                   .value(QStringLiteral("fleet"))
                                   .toObject()
                                   .value(QStringLiteral("frequent_escalations"))
                                   .toArray())
        if (e.toObject().value(QStringLiteral("agent")).toString() == QLatin1String("prod-triage-au-east"))
            loweredPatches << e.toObject().value(QStringLiteral("suggested_baseline_patch")).toString();
    QVERIFY2(loweredPatches.contains(QStringLiteral("+ ssh:exec:write")), qPrintable(loweredPatches.join(QLatin1Char(','))));
    {
        // restore the first report for the byte comparison below
        const Result again = run(replay(),
                                 QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch"), QStringLiteral("traces"),
                                             QStringLiteral("--output"), report} + config,
                                 m_config.path(), dir.path());
        QCOMPARE(again.exitCode, 0);
    }
    // again, as securight says it: the same report, byte for byte
    const Result again = run(securight(),
                             QStringList{QStringLiteral("trace"), QStringLiteral("analyze"), QStringLiteral("traces"),
                                         QStringLiteral("--batch"), QStringLiteral("--output"), report} + config,
                             m_config.path(), dir.path());
    QCOMPARE(again.exitCode, 0);
    QVERIFY(f.seek(0));
    f.close();
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), first);
    // --fail-on gates a batch too; --batch needs --output
    QCOMPARE(run(replay(), QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch"), QStringLiteral("traces"),
                                       QStringLiteral("--output"), report, QStringLiteral("--fail-on"), QStringLiteral("critical")} + config,
                 m_config.path(), dir.path()).exitCode,
             5);
    // --jsonl: the same runs, one a line
    const QString jsonl = dir.filePath(QStringLiteral("runs.jsonl"));
    QCOMPARE(run(replay(), QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch"), QStringLiteral("traces"),
                                       QStringLiteral("--output"), report, QStringLiteral("--jsonl"), jsonl} + config,
                 m_config.path(), dir.path()).exitCode,
             0);
    QFile lines(jsonl);
    QVERIFY(lines.open(QIODevice::ReadOnly));
    const QList<QByteArray> perRun = lines.readAll().split('\n');
    QCOMPARE(perRun.size(), 8); // 7 runs and the final newline
    QCOMPARE(QJsonDocument::fromJson(perRun.front()).object().value(QStringLiteral("run_id")).toString(),
             doc.value(QStringLiteral("runs")).toArray().first().toObject().value(QStringLiteral("run_id")).toString());
    // neither the report nor --jsonl may be written over a configuration file it read
    const QString profileCopy = dir.filePath(QStringLiteral("analysis.yaml"));
    copy(sample("analysis/analysis.yaml"), profileCopy);
    const QByteArray profileBytes = [&] {
        QFile p(profileCopy);
        return p.open(QIODevice::ReadOnly) ? p.readAll() : QByteArray();
    }();
    for (const QString& flag : {QStringLiteral("--output"), QStringLiteral("--jsonl")}) {
        QStringList args{QStringLiteral("--analyze"), QStringLiteral("--batch"), QStringLiteral("traces"),
                         QStringLiteral("--profile"), profileCopy};
        args << (flag == QLatin1String("--output") ? QStringList{flag, profileCopy}
                                                   : QStringList{QStringLiteral("--output"), report, flag, profileCopy});
        const Result clash = run(replay(), args, m_config.path(), dir.path());
        QCOMPARE(clash.exitCode, 2);
        QFile p(profileCopy);
        QVERIFY(p.open(QIODevice::ReadOnly));
        QCOMPARE(p.readAll(), profileBytes);
    }
    const Result noOutput = run(replay(), {QStringLiteral("--analyze"), QStringLiteral("--batch"), QStringLiteral("traces")},
                                m_config.path(), dir.path());
    QCOMPARE(noOutput.exitCode, 2);
    QVERIFY2(noOutput.err.contains("--batch needs --output"), noOutput.err.constData());
}

void TestCliAnalyze::incidents()
{
    // one sample run per detector: each reports what it was written for
    const Result r = run(securight(), {QStringLiteral("trace"), QStringLiteral("analyze"),
                                       QStringLiteral("sample-audits/run-incidents.jsonl"), QStringLiteral("--json")},
                         m_config.path());
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    for (const char* rule : {"exfil.stage-then-send", "retry.credential-probing", "policy.SOP-114.prohibited",
                             "integrity.denied-succeeded", "integrity.not-granted", "escalation.approved",
                             "sequence.new-tool", "policy.SOP-200.verify-after-act", "policy.SOP-200.verify-before-act"})
        QVERIFY2(out.contains(QStringLiteral("\"rule_id\":\"%1\"").arg(QLatin1String(rule))) ||
                     out.contains(QStringLiteral("\"rule_id\": \"%1\"").arg(QLatin1String(rule))),
                 rule);
}

void TestCliAnalyze::badProfile_data()
{
    QTest::addColumn<bool>("securight");
    QTest::newRow("aisecops-replay --analyze") << false;
    QTest::newRow("securight trace analyze") << true;
}

// An invalid configuration stops before any analysis: exit 2, every finding
// at its file, line and column on stderr, nothing on stdout.
void TestCliAnalyze::badProfile()
{
    QFETCH(bool, securight);
    QTemporaryDir dir;
    const QString profile = dir.filePath(QStringLiteral("bad.yaml"));
    write(profile, kBadProfile);
    const Result r = securight ? run(this->securight(),
                                     {QStringLiteral("trace"), QStringLiteral("analyze"), kSeed, QStringLiteral("--profile"), profile},
                                     m_config.path())
                               : run(replay(), {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), kSeed,
                                                QStringLiteral("--profile"), profile},
                                     m_config.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(profile + QStringLiteral(":7:14: error: ")), qPrintable(err));
    QVERIFY2(err.contains(profile + QStringLiteral(":4:5: warning: unknown key 'baseline_grent'")), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("Error: the analysis configuration is not valid")), qPrintable(err));

    // an expression the engine cannot compile is a finding at its position too
    const QString policy = dir.filePath(QStringLiteral("policy.yaml"));
    write(policy, "id: P-1\nname: broken\nchecks:\n  - id: c\n    title: t\n    require: 'tool:(a OR'\n");
    const Result e = run(replay(), {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), kSeed,
                                    QStringLiteral("--behaviour"), policy},
                         m_config.path());
    QCOMPARE(e.exitCode, 2);
    QVERIFY2(QString::fromUtf8(e.err).contains(policy + QStringLiteral(":6:")), e.err.constData());
}

void TestCliAnalyze::checkProfile()
{
    const Result ok = run(replay(),
                          {QStringLiteral("--check-profile"), QStringLiteral("sample-audits/analysis/analysis.yaml"),
                           QStringLiteral("--behaviour"), QStringLiteral("sample-audits/analysis/behaviour"),
                           QStringLiteral("--exfil"), QStringLiteral("sample-audits/analysis/exfiltration.yaml")},
                          m_config.path());
    QCOMPARE(ok.exitCode, 0);
    QVERIFY2(ok.out.startsWith("sample-audits/analysis/analysis.yaml: ok (2 agents, 2 behavioural policies, 1 sequence profile"), ok.out.constData());

    // the profile names SOP-114, which nothing gives: a warning where the agent is written
    const Result alone = run(replay(), {QStringLiteral("--check-profile"), QStringLiteral("sample-audits/analysis/analysis.yaml")},
                             m_config.path());
    QCOMPARE(alone.exitCode, 0);
    QVERIFY2(alone.out.contains(":10:12: warning: agent 'prod-triage-*' names behavioural policy 'SOP-114'"), alone.out.constData());

    QTemporaryDir dir;
    const QString profile = dir.filePath(QStringLiteral("bad.yaml"));
    write(profile, kBadProfile);
    const Result bad = run(replay(), {QStringLiteral("--check-profile"), profile}, m_config.path());
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.out.contains((profile + QStringLiteral(":7:14: error: 'permission_risk")).toUtf8()), bad.out.constData());
    QVERIFY(!bad.out.contains(": ok ("));

    const Result missing = run(replay(), {QStringLiteral("--check-profile"), dir.filePath(QStringLiteral("none.yaml"))}, m_config.path());
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.out.contains("none.yaml"), missing.out.constData());
}

// the seed's command: with no SOURCE it follows standard input (a pipe here) to its end
void TestCliAnalyze::seedWatch()
{
    QFile stream(sample("run-c891f-stream.jsonl"));
    QVERIFY(stream.open(QIODevice::ReadOnly));
    const Result r = run(securight(), {QStringLiteral("trace"), QStringLiteral("watch"), QStringLiteral("--agent"), QStringLiteral("prod-triage"),
                                       QStringLiteral("--format"), QStringLiteral("compact"), QStringLiteral("--quiet")},
                         m_config.path(), {}, stream.readAll());
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("Watching agent: prod-triage-au-east (run-c891f...)\n14:22:02 [step 0] assess_alert metrics.query OK metrics:read\n"),
             r.out.constData());
    QVERIFY2(r.out.endsWith("End of input.\n"), r.out.constData());
    QVERIFY(!QFile::exists(QStringLiteral(RW_SOURCE_DIR "/report.json")));
    // a folder without --batch says how to analyse it
    const Result folder = run(securight(), {QStringLiteral("trace"), QStringLiteral("analyze"), QStringLiteral("sample-audits")},
                              m_config.path());
    QCOMPARE(folder.exitCode, 2);
    QVERIFY2(folder.err.contains("add --batch --output report.json"), folder.err.constData());
}

void TestCliAnalyze::usage()
{
    for (const QStringList& args : {QStringList{}, QStringList{QStringLiteral("replay")}, QStringList{QStringLiteral("trace")},
                                    QStringList{QStringLiteral("trace"), QStringLiteral("analyze"), kSeed, QStringLiteral("--bogus")}}) {
        const Result r = run(securight(), args, m_config.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        // one line and where to look, not the whole help burying it
        QVERIFY2(r.err.startsWith("Error: ") && r.err.endsWith("\nRun 'securight --help' for the commands and their options.\n") &&
                     r.err.count('\n') == 2,
                 r.err.constData());
    }
    const Result r = run(replay(), {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), kSeed, QStringLiteral("--fail-on"),
                                    QStringLiteral("sometimes")},
                         m_config.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith("Error: --fail-on takes warn or critical, got 'sometimes'"), r.err.constData());
    const Result missing = run(replay(), {QStringLiteral("--analyze"), QStringLiteral("--audit-file"), QStringLiteral("nope.json")},
                               m_config.path());
    QCOMPARE(missing.exitCode, 1);
    const Result version = run(securight(), {QStringLiteral("--version")}, m_config.path());
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QByteArray("securight " RW_VERSION "\n"));
}

void TestCliAnalyze::help()
{
    const Result replayHelp = run(replay(), {QStringLiteral("--help")}, m_config.path());
    QCOMPARE(replayHelp.exitCode, 0);
    for (const char* option : {"--analyze", "--check-profile", "--profile", "--behaviour", "--exfil", "--sequence-profile",
                               "--fail-on warn|critical", "--trace-id RUN", "5 with --fail-on", "securight trace analyze"})
        QVERIFY2(replayHelp.out.contains(option), option);
    const Result help = run(securight(), {QStringLiteral("--help")}, m_config.path());
    QCOMPARE(help.exitCode, 0);
    for (const char* option : {"trace analyze FILE", "trace watch", "--batch", "--profile", "--behaviour", "--exfil",
                               "--sequence-profile", "--json", "--fail-on", "--quiet", "--version", "analysis/analysis.yaml",
                               "XDG_CONFIG_HOME", "trace watch [SOURCE]", "--save-partial", "5 with --fail-on"})
        QVERIFY2(help.out.contains(option), option);
}

// The profile beside the trace wins over analysis/ and over the user's.
void TestCliAnalyze::discovery()
{
    QTemporaryDir config; // the user's own, for this test only
    QTemporaryDir dir;
    const QString cases = dir.filePath(QStringLiteral("cases"));
    copy(sample("run-12345.json"), cases + QStringLiteral("/run-12345.json"));
    copy(sample("analysis/analysis.yaml"), config.filePath(QStringLiteral("replay-workbench/analysis.yaml")));
    // the sequence profile the deploy bots' entry names, relative to the profile
    copy(sample("analysis/profiles/deploy-bot.json"), config.filePath(QStringLiteral("replay-workbench/profiles/deploy-bot.json")));
    copy(sample("analysis/behaviour/SOP-114.yaml"), config.filePath(QStringLiteral("replay-workbench/behaviour/SOP-114.yaml")));
    const QStringList args{QStringLiteral("trace"), QStringLiteral("analyze"), QStringLiteral("cases/run-12345.json")};

    // the user's profile, with its behaviour folder: the seed's report
    Result r = run(securight(), args, config.path(), dir.path());
    QCOMPARE(r.exitCode, 0);
    QVERIFY(rwtest::matchesGolden(r.out.toStdString(), kGolden, config.path()));
    QCOMPARE(QString::fromUtf8(r.err), QStringLiteral("Using analysis profile ") + config.filePath(QStringLiteral("replay-workbench/analysis.yaml")) +
                                           QStringLiteral(" with ") + config.filePath(QStringLiteral("replay-workbench/behaviour")) +
                                           QLatin1Char('\n'));

    // analysis/ beside the trace comes before it
    copy(sample("analysis/analysis.yaml"), cases + QStringLiteral("/analysis/analysis.yaml"));
    copy(sample("analysis/profiles/deploy-bot.json"), cases + QStringLiteral("/analysis/profiles/deploy-bot.json"));
    r = run(securight(), args, config.path(), dir.path());
    QVERIFY2(r.err.startsWith("Using analysis profile cases/analysis/analysis.yaml\n"), r.err.constData());
    QVERIFY2(r.err.contains("names behavioural policy 'SOP-114', which is not loaded"), r.err.constData());
    QVERIFY(!r.out.contains("Behavioural Policy:")); // no behaviour/ beside that one

    // analysis.yaml beside the trace comes first
    copy(sample("analysis/analysis.yaml"), cases + QStringLiteral("/analysis.yaml"));
    copy(sample("analysis/profiles/deploy-bot.json"), cases + QStringLiteral("/profiles/deploy-bot.json"));
    r = run(securight(), args, config.path(), dir.path());
    QVERIFY2(r.err.startsWith("Using analysis profile cases/analysis.yaml\n"), r.err.constData());

    // none anywhere: said so, the baseline inferred
    QTemporaryDir empty;
    copy(sample("run-12345.json"), empty.filePath(QStringLiteral("run-12345.json")));
    r = run(securight(), {QStringLiteral("trace"), QStringLiteral("analyze"), QStringLiteral("run-12345.json")}, empty.path(), empty.path());
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.startsWith("No analysis profile found (looked for analysis.yaml, analysis/analysis.yaml, "), r.err.constData());
    QVERIFY(r.out.contains("baseline inferred from the trace (no profile)"));
}

QTEST_GUILESS_MAIN(TestCliAnalyze)
#include "tst_clianalyze.moc"
