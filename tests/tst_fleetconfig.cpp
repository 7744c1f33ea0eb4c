// What a fleet's configuration adds to batch analysis (issue 13): sequence
// profiles built from past runs (--build-profile) and judged by, compliance
// controls (--controls), and the row writer behind every batch held to the
// JSON tree it replaces. In process, through parseCli and runCli.
#include "app/text/analysisjson.h"
#include "app/cli/analyzerunner.h"
#include "app/cli/batchmerge.h"
#include "app/cli/runrowwriter.h"
#include "model/auditloader.h"
#include "tests/batchtestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

using namespace batchtest;

namespace {

// the oracle: the keys of a row the merge reads (of the run, its anomalies
// and its checks), picked from the tree-built row
// the facts of a run: the row's keys the merge reads, and how the run was written (`form`, not in the row)
nlohmann::ordered_json factsOfRow(const nlohmann::ordered_json& row, const char* form)
{
    static const char* const kRun[] = {"run_id", "agent_id", "file",    "started_at", "worst",   "clean",
                                       "baseline", "granted", "used", "uses",       "escalated", "location"};
    static const char* const kAnomaly[] = {"anomaly_id", "fingerprint", "detector", "rule_id", "severity", "message"};
    static const char* const kCheck[] = {"policy", "check", "result", "steps"};
    const auto pick = [](const nlohmann::ordered_json& from, const auto& keys) {
        nlohmann::ordered_json out = nlohmann::ordered_json::object();
        for (const char* k : keys)
            if (const auto it = from.find(k); it != from.end())
                out[k] = *it;
        return out;
    };
    nlohmann::ordered_json facts = nlohmann::ordered_json::object();
    const nlohmann::ordered_json picked = pick(row, kRun);
    for (const auto& [k, v] : picked.items()) {
        facts[k] = v;
        if (k == "file")
            facts["form"] = form;
    }
    facts["anomalies"] = nlohmann::ordered_json::array();
    if (const auto a = row.find("anomalies"); a != row.end() && a->is_array())
        for (const nlohmann::ordered_json& anomaly : *a)
            facts["anomalies"].push_back(pick(anomaly, kAnomaly));
    facts["policy_checks"] = nlohmann::ordered_json::array();
    if (const auto c = row.find("policy_checks"); c != row.end() && c->is_array())
        for (const nlohmann::ordered_json& check : *c)
            facts["policy_checks"].push_back(pick(check, kCheck));
    return facts;
}

} // namespace

class TestFleetConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void buildProfile();
    void profileDestinations();
    void compliance();
    void rowWriterMatchesTheTree();
    void badControls();
    void governanceMetrics();

private:
    QString path(const QString& rel) const { return m_dir.filePath(rel); }
    QStringList files() const { return m_files; }

    QTemporaryDir m_dir;
    QStringList m_files;
};

void TestFleetConfig::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_files = copySampleTraces(QDir(m_dir.path()));
}

// --build-profile: the counts of the runs, a profile the loader takes and the
// detector judges by (matched by its own agent glob, no analysis.yaml entry)
void TestFleetConfig::buildProfile()
{
    const QString runs = runCopies(path(QStringLiteral("deploys.jsonl")), "run-deploy-0416", 25);
    QVERIFY(!runs.isEmpty());
    const QString profile = path(QStringLiteral("profiles/deploy.json"));
    QVERIFY(QDir().mkpath(path(QStringLiteral("profiles"))));
    const Result built = cli({QStringLiteral("--build-profile"), runs, QStringLiteral("--output"), profile});
    QCOMPARE(built.exitCode, 0);
    QVERIFY2(built.out.find("Profile of deploy-bot-7: 25 runs from 1 file") == 0, built.out.c_str());
    const nlohmann::json p = nlohmann::json::parse(readAll(profile).toStdString());
    QCOMPARE(p["schema"].get<std::string>(), std::string("replay-workbench/sequence-profile"));
    QCOMPARE(p["agent"].get<std::string>(), std::string("deploy-bot-7"));
    QCOMPARE(p["built_from"]["runs"].get<int>(), 25);
    const std::string sha = QCryptographicHash::hash(readAll(runs), QCryptographicHash::Sha256).toHex().toStdString();
    QCOMPARE(p["built_from"]["inputs_sha256"].get<std::string>(),
             QCryptographicHash::hash(QByteArray::fromStdString(sha + "  " + runs.toStdString() + "\n"),
                                      QCryptographicHash::Sha256).toHex().toStdString());
    QCOMPARE(p["first_tools"], nlohmann::json::parse(R"({"ci.status": 25})"));
    QCOMPARE(p["transitions"], nlohmann::json::parse(
                                   R"({"<start>|ci.status": 25, "ci.status|service.restart": 25, "service.restart|db.export": 25})"));
    QCOMPARE(p["permissions"]["service:restart"].get<int>(), 25);
    // the loader takes it without a finding
    const Result checked = cli({QStringLiteral("--check-profile"), sample("analysis/analysis.yaml"), QStringLiteral("--behaviour"),
                                sample("analysis/behaviour"), QStringLiteral("--sequence-profile"), profile});
    QCOMPARE(checked.exitCode, 0);
    QVERIFY2(checked.out.find("warning") == std::string::npos && checked.out.find("2 sequence profiles") != std::string::npos,
             checked.out.c_str());
    // a run that calls another tool is judged by it; the runs it was built from are not
    const QString odd = runCopies(path(QStringLiteral("odd.jsonl")), "run-deploy-0416", 1, [](nlohmann::json& r) {
        r["steps"][1]["tool_call"]["tool"] = "shell.exec";
    });
    const Result judged = cli({QStringLiteral("--analyze"), QStringLiteral("--audit-file"), odd, QStringLiteral("--sequence-profile"), profile});
    QVERIFY2(judged.out.find("[WARN] Step 1: Unusual tool sequence — shell.exec never used by this agent") != std::string::npos,
             judged.out.c_str());
    const Result same = cli({QStringLiteral("--analyze"), QStringLiteral("--audit-file"), runs, QStringLiteral("--sequence-profile"), profile,
                             QStringLiteral("--json")});
    QVERIFY(same.out.find("unusual_tool_sequence") == std::string::npos);
    // several agents need --agent; an --agent that matches nothing builds nothing
    const Result several = cli({QStringLiteral("--build-profile"), path(QStringLiteral("traces")), QStringLiteral("--output"),
                                path(QStringLiteral("profiles/all.json"))});
    QCOMPARE(several.exitCode, 2);
    QVERIFY2(several.err.find("give --agent GLOB") != std::string::npos, several.err.c_str());
    const Result none = cli({QStringLiteral("--build-profile"), runs, QStringLiteral("--agent"), QStringLiteral("nobody-*"),
                             QStringLiteral("--output"), path(QStringLiteral("profiles/none.json"))});
    QCOMPARE(none.exitCode, 1);
    QVERIFY(!QFile::exists(path(QStringLiteral("profiles/none.json"))));
}

// destination classes: built with the profile's trusted networks, a class never written to is reported
void TestFleetConfig::profileDestinations()
{
    const QString trustedUploads = runCopies(path(QStringLiteral("etl.jsonl")), "run-exfil-0412", 25, [](nlohmann::json& r) {
        r["steps"][2]["tool_call"]["parameters"]["url"] = "https://files.corp.example.com/up";
    });
    const QString profile = path(QStringLiteral("profiles/etl.json"));
    const QString analysis = sample("analysis/analysis.yaml");
    QCOMPARE(cli({QStringLiteral("--build-profile"), trustedUploads, QStringLiteral("--profile"), analysis, QStringLiteral("--output"), profile})
                 .exitCode,
             0);
    const nlohmann::json p = nlohmann::json::parse(readAll(profile).toStdString());
    QCOMPARE(p["destinations"], nlohmann::json::parse(R"({"internal": 25})"));
    const QString original = runCopies(path(QStringLiteral("paste.jsonl")), "run-exfil-0412", 1);
    const Result r = cli({QStringLiteral("--analyze"), QStringLiteral("--audit-file"), original, QStringLiteral("--profile"), analysis,
                          QStringLiteral("--sequence-profile"), profile, QStringLiteral("--json")});
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    int found = 0;
    for (const auto& a : doc["runs"][0]["anomalies"])
        if (a["rule_id"] == "sequence.new-destination-class") {
            QCOMPARE(a["context"]["class"].get<std::string>(), std::string("external"));
            QCOMPARE(a["context"]["destination"].get<std::string>(), std::string("paste.example.net"));
            ++found;
        }
    QCOMPARE(found, 1);
}

// --controls: each control judged on the runs and the fleet section, in the report and on stdout
void TestFleetConfig::compliance()
{
    const QString controls = path(QStringLiteral("controls.yaml"));
    QFile f(controls);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("version: 1\nframework: Example\ncontrols:\n"
            "  - id: RAP\n    title: Restrict privileges\n"
            "    evidence: [detector:permission_escalation, 'policy:SOP-114/escalation-*', fleet:over_provisioned]\n"
            "  - id: APP-11\n    framework: Privacy\n    evidence: ['rule:exfil.*']\n"
            "  - id: NOTHING\n    evidence: ['policy:NO-SUCH-POLICY/*']\n"
            "  - id: CLEAN\n    evidence: [detector:data_exfiltration]\n");
    f.close();
    const QString report = path(QStringLiteral("compliance.json"));
    const Result r = cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces/a")),
                          QStringLiteral("--output"), report, QStringLiteral("--controls"), controls, QStringLiteral("--profile"),
                          sample("analysis/analysis.yaml"), QStringLiteral("--behaviour"), sample("analysis/behaviour")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.find("Controls: 0 pass, 3 fail, 1 not examined\n") != std::string::npos, r.out.c_str());
    const nlohmann::json doc = nlohmann::json::parse(readAll(report).toStdString());
    const nlohmann::json& c = doc["compliance"];
    QCOMPARE(c["framework"].get<std::string>(), std::string("Example"));
    QCOMPARE(c["controls_file"]["path"].get<std::string>(), controls.toStdString());
    std::map<std::string, nlohmann::json> byId;
    for (const auto& control : c["controls"])
        byId[control["id"].get<std::string>()] = control;
    // RAP: the six runs of run-12345.json and run-incidents.jsonl; four escalate or miss an approval
    QCOMPARE(byId["RAP"]["status"].get<std::string>(), std::string("fail"));
    QCOMPARE(byId["RAP"]["framework"].get<std::string>(), std::string("Example"));
    QCOMPARE(byId["RAP"]["runs_examined"].get<int>(), 6);
    QCOMPARE(byId["RAP"]["runs_passed"].get<int>(), 2);
    QCOMPARE(byId["RAP"]["runs_failed"].get<int>(), 4);
    QVERIFY(!byId["RAP"]["policy_checks"].empty());
    QVERIFY(byId["RAP"]["fleet"].contains("over_provisioned"));
    // APP-11: only the exfiltration run, named by its anomaly (witnesses stay in the run rows)
    QCOMPARE(byId["APP-11"]["framework"].get<std::string>(), std::string("Privacy"));
    QCOMPARE(byId["APP-11"]["runs_failed"].get<int>(), 1);
    QCOMPARE(byId["APP-11"]["anomalies"][0]["run_id"].get<std::string>(), std::string("run-exfil-0412"));
    QCOMPARE(byId["APP-11"]["anomalies"][0]["fingerprint"].get<std::string>().size(), std::size_t{64});
    QCOMPARE(byId["NOTHING"]["status"].get<std::string>(), std::string("not_examined"));
    QCOMPARE(byId["NOTHING"]["runs_examined"].get<int>(), 0);
    QCOMPARE(byId["CLEAN"]["status"].get<std::string>(), std::string("fail")); // the exfiltration run again
    // the merge judges the same way
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces/a")), QStringLiteral("--part"),
                  QStringLiteral("--output"), path(QStringLiteral("c-part.jsonl")), QStringLiteral("--profile"),
                  sample("analysis/analysis.yaml"), QStringLiteral("--behaviour"), sample("analysis/behaviour")})
                 .exitCode,
             0);
    QCOMPARE(cli({QStringLiteral("--merge-reports"), path(QStringLiteral("c-part.jsonl")), QStringLiteral("--output"),
                  path(QStringLiteral("c-merged.json")), QStringLiteral("--controls"), controls})
                 .exitCode,
             0);
    QCOMPARE(readAll(path(QStringLiteral("c-merged.json"))), readAll(report));
}

// the batch writes rows without a JSON tree: the same bytes and facts as the tree gives,
// for every sample run and for text that is not plain ASCII (escapes, control characters, non-ASCII)
void TestFleetConfig::rowWriterMatchesTheTree()
{
    QFile f(path(QStringLiteral("odd-text.jsonl")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    QFile in(sample("run-12345.json"));
    QVERIFY(in.open(QIODevice::ReadOnly));
    nlohmann::json run = nlohmann::json::parse(in.readAll().toStdString());
    run["agent_id"] = "prod-triage-\u00e9\u2028\U0001F600";
    run["steps"][0]["reasoning"] = "tab\tquote\"back\\slash\x01";
    run["run_id"] = "run-12345-del\x7f"; // DEL: escaped as \u007f by nlohmann, so by the writer too
    run["steps"][1]["tool_call"]["parameters"]["note"] = "caf\u00e9";
    // (invalid UTF-8 never gets this far: the loader refuses such a document)
    f.write(QByteArray::fromStdString(run.dump() + "\n"));
    f.close();
    rw::CliOptions options;
    options.profile = sample("analysis/analysis.yaml").toStdString();
    options.behaviour = {sample("analysis/behaviour").toStdString()};
    std::ostringstream diag;
    const auto rules = rw::loadAnalysisRules(options, diag);
    QVERIFY(rules);
    int compared = 0;
    for (const QString& file : files() + QStringList{f.fileName()}) {
        rw::LoadResult loaded = rw::AuditLoader::loadFile(file.toStdString());
        QVERIFY(loaded.model);
        for (const rw::analysis::RunAnalysis& r : rw::analysis::analyzeModel(*loaded.model, *rules, loaded.model->sha256())) {
            std::string row;
            std::vector<std::string> messages;
            rw::appendRunRow(row, r, &messages);
            QCOMPARE(messages.size(), r.anomalies.size());
            const nlohmann::ordered_json treeRow = rw::analysisRunJson(r);
            const struct
            {
                std::string row;
                nlohmann::ordered_json facts;
            } tree{treeRow.dump(-1, ' ', true, nlohmann::ordered_json::error_handler_t::replace), factsOfRow(treeRow, r.form == rw::analysis::RunForm::Stream  ? "stream"
                                                                                 : r.form == rw::analysis::RunForm::Trace ? "trace"
                                                                                                                          : "document")};
            if (row != tree.row) {
                std::size_t at = 0;
                while (at < row.size() && at < tree.row.size() && row[at] == tree.row[at])
                    ++at;
                QFAIL(qPrintable(QStringLiteral("rows differ at %1: writer '%2', tree '%3'")
                                     .arg(at)
                                     .arg(QString::fromStdString(row.substr(at > 40 ? at - 40 : 0, 100)),
                                          QString::fromStdString(tree.row.substr(at > 40 ? at - 40 : 0, 100)))));
            }
            // the facts line: the tree's keys as the writer writes them, the
            // same whether the messages come from the row or are made anew,
            // and read back from a part to the same line
            std::string facts, fresh, again;
            rw::appendRunFacts(facts, rw::runFactsOf(r, messages));
            rw::appendRunFacts(fresh, rw::runFactsOf(r));
            QCOMPARE(nlohmann::ordered_json::parse(facts), tree.facts);
            QCOMPARE(facts, tree.facts.dump(-1, ' ', true, nlohmann::ordered_json::error_handler_t::replace));
            QCOMPARE(fresh, facts);
            rw::appendRunFacts(again, rw::factsFromJson(nlohmann::ordered_json::parse(facts)));
            QCOMPARE(again, facts);
            ++compared;
        }
    }
    QCOMPARE(compared, 13);
}

void TestFleetConfig::badControls()
{
    const QString controls = path(QStringLiteral("bad-controls.yaml"));
    QFile f(controls);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("version: 1\ncontrols:\n  - id: X\n    evidence: [detectr:permission_escalation]\n    titel: typo\n");
    f.close();
    const QString report = path(QStringLiteral("bad-controls-report.json"));
    const Result r = cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces/a")), QStringLiteral("--output"),
                          report, QStringLiteral("--controls"), controls});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.find("bad-controls.yaml:4:16: error:") != std::string::npos, r.err.c_str());
    QVERIFY2(r.err.find("titel") != std::string::npos && r.err.find("title") != std::string::npos, r.err.c_str());
    QVERIFY(!QFile::exists(report));
}

// seed 002's operational metrics over the samples, hand-checked: the approval
// sample decides require_approval twice, the blocked ones block
void TestFleetConfig::governanceMetrics()
{
    const QString report = path(QStringLiteral("metrics.json"));
    const Result r = cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces")), QStringLiteral("--output"),
                          report, QStringLiteral("--metrics")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.find("Governance metrics (") != std::string::npos, r.out.c_str());
    QVERIFY2(r.out.find("  agent-ops-001: 2 / 0 / 2 / 1 / 100.0% / 0 / 0\n") != std::string::npos, r.out.c_str());
    const nlohmann::json m = nlohmann::json::parse(readAll(report).toStdString())["metrics"];
    QCOMPARE(m["totals"]["decision_points"].get<int>(), 36);
    QCOMPARE(m["totals"]["blocked"].get<int>(), 8);
    QCOMPARE(m["totals"]["approval_required"].get<int>(), 2);
    QCOMPARE(m["totals"]["traces"].get<int>(), 12);
    QCOMPARE(m["totals"]["replayable_traces"].get<int>(), 7);
    QVERIFY(m["policy_drift"].is_null());
    QCOMPARE(m["ratios"]["approval_share"].get<double>(), 2.0 / 36.0);
    // --csv: standard output is the CSV alone, 19 columns, a formula-looking name defused
    QTemporaryDir dir;
    const QString odd = runCopies(dir.filePath(QStringLiteral("odd.jsonl")), "run-deploy-0416", 1,
                                  [](nlohmann::json& run) { run["agent_id"] = "=HYPERLINK(\"x\")"; });
    const Result csv = cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), odd, QStringLiteral("--output"),
                            dir.filePath(QStringLiteral("r.json")), QStringLiteral("--metrics"), QStringLiteral("--csv")});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY2(csv.out.rfind("hour,agent,tool,tenant,decision_points,", 0) == 0, csv.out.c_str());
    QVERIFY2(csv.err.find("Clean runs:") != std::string::npos, csv.err.c_str());
    for (const QByteArray& line : QByteArray::fromStdString(csv.out).split('\n'))
        if (!line.trimmed().isEmpty() && !line.contains('"'))
            QCOMPARE(line.count(','), 18);
    QVERIFY2(csv.out.find(",\"'=HYPERLINK(\"\"x\"\")\",") != std::string::npos, csv.out.c_str());
}

QTEST_GUILESS_MAIN(TestFleetConfig)
#include "tst_fleetconfig.moc"
