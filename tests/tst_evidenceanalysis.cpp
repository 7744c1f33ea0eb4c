// Evidence bundles that carry the run-trace analysis (--evidence
// --with-analysis): what is exported (the analysis of exactly the exported
// runs, the configuration files' exact bytes), a tamper test per new member,
// and bundles forged consistently (manifest re-hashed and re-signed, the
// custody entry re-made) so that only the analysis checks can catch them: a
// witness whose value, offset or record changed, a configuration file
// swapped or dropped, a report of another shape.
#include "app/text/analysisevidence.h"
#include "app/text/evidenceplantext.h"
#include "model/sourcefile.h"
#include "replay/analysis/analyzer.h"
#include "replay/evidence/evidenceplan.h"
#include "replay/evidence/evidenceanalysis.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencecustody.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/minisign.h"
#include "tests/batchtestutil.h"
#include "tests/evidencetestutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace rw;
using batchtest::cli;
using rwtest::failures;
using rwtest::findItem;

using Edit = std::function<void(std::vector<rw::BundleEntry>&)>;
Q_DECLARE_METATYPE(Edit)

namespace {

std::string& member(std::vector<BundleEntry>& entries, const std::string& name)
{
    for (BundleEntry& e : entries)
        if (e.name == name)
            return e.bytes;
    static std::string none;
    none.clear();
    return none;
}

// as an exporter would seal it: the manifest's members re-hashed (those gone
// left out), the manifest signed with `key`, the custody export entry re-made
void reseal(std::vector<BundleEntry>& entries, const MinisignSecretKey& key)
{
    std::string& manifestBytes = member(entries, kManifestMember);
    nlohmann::json manifest = nlohmann::json::parse(manifestBytes);
    nlohmann::json list = nlohmann::json::array();
    for (const nlohmann::json& m : manifest["members"])
        for (const BundleEntry& e : entries)
            if (e.name == m["path"].get<std::string>())
                list.push_back({{"path", e.name}, {"bytes", e.bytes.size()}, {"sha256", sha256Hex(e.bytes)}});
    manifest["members"] = list;
    manifestBytes = canonicalJson(manifest);
    const std::string sealed = manifestBytes;
    member(entries, kSignatureMember) = signMinisign(key, sealed, "resealed");
    member(entries, std::string(kCustodyPrefix) + "0001-export.json") = expectedExportEntry(manifest, sha256Hex(sealed));
}

std::string replaceOnce(std::string text, const std::string& from, const std::string& to)
{
    const std::size_t at = text.find(from);
    if (at != std::string::npos)
        text.replace(at, from.size(), to);
    return text;
}

} // namespace

class TestEvidenceAnalysis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void exportedAnalysis();
    void onlyTheExportedRuns();
    void refusedOptions();
    void filterByAnomalies();
    void planHook();
    void tamperEachAnalysisMember_data();
    void tamperEachAnalysisMember();
    void forged_data();
    void forged();

private:
    VerifyReport verify(const std::vector<BundleEntry>& entries);

    QTemporaryDir m_dir;
    MinisignSecretKey m_key;
    QString m_bundle;
};

void TestEvidenceAnalysis::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_key = *generateMinisignKey();
    const QString keyPath = m_dir.filePath(QStringLiteral("k.key"));
    rwtest::writeBytes(keyPath, formatSecretKey(m_key));
    m_bundle = m_dir.filePath(QStringLiteral("analysis.zip"));
    const batchtest::Result r =
        cli({QStringLiteral("--audit-file"), batchtest::sample("run-incidents.jsonl"), QStringLiteral("--audit-file"),
             batchtest::sample("run-12345.json"), QStringLiteral("--filter"), QStringLiteral("agent:*"),
             QStringLiteral("--evidence"), m_bundle, QStringLiteral("--with-analysis"), QStringLiteral("--profile"),
             batchtest::sample("analysis/analysis.yaml"), QStringLiteral("--behaviour"),
             batchtest::sample("analysis/behaviour"), QStringLiteral("--exfil"),
             batchtest::sample("analysis/exfiltration.yaml"), QStringLiteral("--no-svg"), QStringLiteral("--sign-key"),
             keyPath});
    QVERIFY2(r.exitCode == 0, r.err.c_str());
}

// `--filter 'worst:critical'`: the traces' analysis is made first, so the filter means what the
// workbench's trace list shows (without it, no trace was known to have anomalies)
void TestEvidenceAnalysis::filterByAnomalies()
{
    const QString bundle = m_dir.filePath(QStringLiteral("critical.zip"));
    const batchtest::Result r = cli({QStringLiteral("--audit-file"), batchtest::sample("run-incidents.jsonl"),
                                     QStringLiteral("--filter"), QStringLiteral("worst:critical"), QStringLiteral("--evidence"),
                                     bundle, QStringLiteral("--no-svg")});
    QVERIFY2(r.exitCode == 0, r.err.c_str());
    QVERIFY2(r.out.find(": 3 traces,") != std::string::npos, r.out.c_str()); // exfil, probe, integrity
    const BundleRead read = readBundle(bundle.toStdString());
    for (const char* run : {"run-exfil-0412", "run-probe-0413", "run-integrity-0415"}) {
        bool found = false;
        for (const BundleEntry& e : read.entries)
            found = found || e.name.find(run) != std::string::npos;
        QVERIFY2(found, run);
    }
    const batchtest::Result none = cli({QStringLiteral("--audit-file"), batchtest::sample("run-incidents.jsonl"),
                                        QStringLiteral("--filter"), QStringLiteral("anomalies>5"), QStringLiteral("--evidence"),
                                        m_dir.filePath(QStringLiteral("none.zip"))});
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.find("no trace matches") != std::string::npos, none.err.c_str());
}

VerifyReport TestEvidenceAnalysis::verify(const std::vector<BundleEntry>& entries)
{
    const QString path = m_dir.filePath(QStringLiteral("edited.zip"));
    rwtest::writeZip(entries, path);
    VerifyOptions o;
    o.publicKey = m_key.pub();
    return verifyBundle(path.toStdString(), o);
}

// the report of every exported run with its witnesses, the configuration
// files' bytes, and every analysis item passing
void TestEvidenceAnalysis::exportedAnalysis()
{
    VerifyOptions o;
    o.publicKey = m_key.pub();
    const VerifyReport r = verifyBundle(m_bundle.toStdString(), o);
    QVERIFY2(r.passed() && r.authenticated(), qPrintable(failures(r)));
    for (const char* item : {"analysis report", "analysis configuration", "analysis witnesses"}) {
        const CheckItem* i = findItem(r, item);
        QVERIFY2(i && i->status == CheckStatus::Pass, item);
    }
    QCOMPARE(QString::fromStdString(findItem(r, "analysis witnesses")->detail).section(QLatin1Char(' '), 0, 0),
             QStringLiteral("28"));
    const BundleRead read = readBundle(m_bundle.toStdString());
    const BundleEntry* report = read.find(kAnalysisReportMember);
    QVERIFY(report);
    const nlohmann::json j = nlohmann::json::parse(report->bytes);
    QCOMPARE(j["schema"].get<std::string>(), std::string(kAnalysisSchema));
    QCOMPARE(j["runs"].size(), std::size_t{6});
    // each configuration file, byte for byte, under the hash the report gives
    const QByteArray profile = batchtest::readAll(batchtest::sample("analysis/analysis.yaml"));
    const BundleEntry* config = read.find("analysis/config/1-analysis.yaml");
    QVERIFY(config);
    QCOMPARE(QByteArray::fromStdString(config->bytes), profile);
    QCOMPARE(j["config"]["profile"]["sha256"].get<std::string>(), sha256Hex(config->bytes));
}

// --trace-id: the analysis of that run alone
void TestEvidenceAnalysis::onlyTheExportedRuns()
{
    const QString path = m_dir.filePath(QStringLiteral("one.zip"));
    const batchtest::Result r =
        cli({QStringLiteral("--audit-file"), batchtest::sample("run-incidents.jsonl"), QStringLiteral("--trace-id"),
             QStringLiteral("run-delete-0414"), QStringLiteral("--evidence"), path, QStringLiteral("--with-analysis"),
             QStringLiteral("--no-svg")});
    QVERIFY2(r.exitCode == 0, r.err.c_str());
    const BundleRead read = readBundle(path.toStdString());
    const nlohmann::json j = nlohmann::json::parse(read.find(kAnalysisReportMember)->bytes);
    QCOMPARE(j["runs"].size(), std::size_t{1});
    QCOMPARE(j["runs"][0]["run_id"].get<std::string>(), std::string("run-delete-0414"));
    QVERIFY(!j["runs"][0]["anomalies"].empty());
    // no configuration file given: none carried, and the check says so
    for (const BundleEntry& e : read.entries)
        QVERIFY2(e.name.rfind(kAnalysisConfigPrefix, 0) != 0, e.name.c_str());
    const VerifyReport v = verifyBundle(path.toStdString(), VerifyOptions());
    QVERIFY2(v.passed(), qPrintable(failures(v)));
    QCOMPARE(findItem(v, "analysis configuration")->status, CheckStatus::Pass);
}

void TestEvidenceAnalysis::refusedOptions()
{
    const QString audit = batchtest::sample("run-incidents.jsonl");
    const QString out = m_dir.filePath(QStringLiteral("refused.zip"));
    // --with-analysis alone, or with an option of --analyze that is not configuration
    QCOMPARE(cli({QStringLiteral("--audit-file"), audit, QStringLiteral("--list"), QStringLiteral("--with-analysis")}).exitCode, 2);
    QCOMPARE(cli({QStringLiteral("--audit-file"), audit, QStringLiteral("--trace-id"), QStringLiteral("run-delete-0414"),
                  QStringLiteral("--evidence"), out, QStringLiteral("--with-analysis"), QStringLiteral("--fail-on"),
                  QStringLiteral("warn")})
                 .exitCode,
             2);
    // the bundle is never written over a configuration file in use
    const QString profile = m_dir.filePath(QStringLiteral("analysis.yaml"));
    QVERIFY(QFile::copy(batchtest::sample("analysis/analysis.yaml"), profile));
    const QByteArray before = batchtest::readAll(profile);
    const batchtest::Result r = cli({QStringLiteral("--audit-file"), audit, QStringLiteral("--trace-id"),
                                     QStringLiteral("run-delete-0414"), QStringLiteral("--evidence"), profile,
                                     QStringLiteral("--with-analysis"), QStringLiteral("--profile"), profile});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(batchtest::readAll(profile), before);
    QVERIFY(!QFile::exists(out));
}

// the recipe's fourth step (the workbench's export): the analysis members
// added by the hook, and its failure as the plan's, before anything is written
void TestEvidenceAnalysis::planHook()
{
    Workspace ws;
    std::unique_ptr<ReplayModel> model = rwtest::loadFile(batchtest::sample("run-incidents.jsonl"));
    QVERIFY(model);
    ws.addFile(std::move(model));
    EvidenceChoice choice;
    choice.selection = TraceSelection::TraceId;
    choice.traceId = "run-integrity-0415";
    choice.graphSvg = false;
    const std::shared_ptr<const analysis::AnalysisRules> rules = analysis::defaultAnalysisRules();
    QVERIFY(rules);
    choice.addAnalysis = [&](EvidenceRequest& request, const Workspace& w, const std::atomic<bool>* cancel) {
        return addEvidenceAnalysis(request, w, *rules, "replay-workbench", cancel);
    };
    EvidencePlan plan = planEvidence(choice, ws);
    QVERIFY(plan.ok());
    const nlohmann::json report = nlohmann::json::parse(plan.request.analysisReport);
    QCOMPARE(report["tool"]["name"].get<std::string>(), std::string("replay-workbench"));
    QCOMPARE(report["runs"].size(), std::size_t{1});
    QVERIFY(plan.request.analysisFiles.empty()); // the default rules name no file
    const QString path = m_dir.filePath(QStringLiteral("plan.zip"));
    QVERIFY(writeEvidenceBundle(plan.request, path.toStdString()).ok);
    const VerifyReport v = verifyBundle(path.toStdString(), VerifyOptions());
    QVERIFY2(v.passed(), qPrintable(failures(v)));
    QCOMPARE(findItem(v, "analysis witnesses")->status, CheckStatus::Pass);

    choice.addAnalysis = [](EvidenceRequest&, const Workspace&, const std::atomic<bool>*) {
        return std::string("profile.yaml changed since the analysis read it");
    };
    plan = planEvidence(choice, ws);
    QCOMPARE(plan.failure.error, EvidencePlanError::Analysis);
    QCOMPARE(evidencePlanText(plan.failure, Reader::Window),
             std::string("the run-trace analysis cannot be included: profile.yaml changed since the analysis read it"));
}

// one byte changed in each new member: its member item fails (and the bundle)
void TestEvidenceAnalysis::tamperEachAnalysisMember_data()
{
    QTest::addColumn<QString>("name");
    const BundleRead read = readBundle(m_bundle.toStdString());
    int count = 0;
    for (const BundleEntry& e : read.entries)
        if (e.name.rfind("analysis/", 0) == 0) {
            QTest::newRow(e.name.c_str()) << QString::fromStdString(e.name);
            ++count;
        }
    QCOMPARE(count, 6); // the report and five configuration files
}

void TestEvidenceAnalysis::tamperEachAnalysisMember()
{
    QFETCH(QString, name);
    std::vector<BundleEntry> entries = readBundle(m_bundle.toStdString()).entries;
    std::string& bytes = member(entries, name.toStdString());
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    const VerifyReport r = verify(entries);
    QVERIFY(!r.passed());
    const CheckItem* item = findItem(r, "member " + name.toStdString());
    QVERIFY2(item && item->status == CheckStatus::Fail, qPrintable(failures(r)));
}

// sealed again after the edit: every member and the signature agree, only the analysis checks fail
void TestEvidenceAnalysis::forged_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("failedItem");
    const auto inReport = [](std::string from, std::string to) {
        return Edit([from, to](std::vector<BundleEntry>& e) {
            std::string& report = member(e, kAnalysisReportMember);
            const std::string before = report;
            report = replaceOnce(report, from, to);
            QVERIFY(report != before);
        });
    };
    // the value a witness recorded
    QTest::newRow("witness value") << inReport("\"value\": \"storage:delete\"", "\"value\": \"storage:read\"")
                                   << QStringLiteral("analysis witnesses");
    // the pointer of a witness, to a place the record does not have
    QTest::newRow("witness pointer") << inReport("\"pointer\": \"/permissions_used/0\"", "\"pointer\": \"/permissions_used/9\"")
                                     << QStringLiteral("analysis witnesses");
    // a witness moved to bytes that are no exported record
    QTest::newRow("witness offset") << inReport("\"offset\": 4238", "\"offset\": 4239") << QStringLiteral("analysis witnesses");
    // a witness in a file the bundle does not hold
    QTest::newRow("witness file") << Edit([](std::vector<BundleEntry>& e) {
        std::string& report = member(e, kAnalysisReportMember);
        const nlohmann::json j = nlohmann::json::parse(report);
        const std::string sha = j["runs"][0]["anomalies"][0]["witness"][0]["sha256"].get<std::string>();
        report = replaceOnce(report, "\"sha256\": \"" + sha + "\"", "\"sha256\": \"" + std::string(64, '0') + "\"");
    }) << QStringLiteral("analysis witnesses");
    // the exported record itself changed (lines, its hash in the index), the report left as it was
    QTest::newRow("witnessed record") << Edit([](std::vector<BundleEntry>& e) {
        std::string& lines = member(e, "audit/lines.jsonl");
        const std::size_t at = lines.find("\"storage:delete\"");
        QVERIFY(at != std::string::npos);
        const std::size_t begin = lines.rfind('\n', at) + 1, end = lines.find('\n', at);
        const std::string record = lines.substr(begin, end - begin);
        const std::string changed = replaceOnce(record, "\"storage:delete\"", "\"storage:deletE\"");
        lines.replace(begin, record.size(), changed);
        std::string& index = member(e, "audit/index.json");
        index = replaceOnce(index, sha256Hex(record), sha256Hex(changed));
    }) << QStringLiteral("analysis witnesses");
    // what nothing would check: a witness without its pointer, an anomaly without witnesses,
    // a configuration file named without its hash (the report edited as JSON)
    const auto inJson = [](std::function<void(nlohmann::json&)> change) {
        return Edit([change](std::vector<BundleEntry>& e) {
            std::string& report = member(e, kAnalysisReportMember);
            nlohmann::json j = nlohmann::json::parse(report);
            change(j);
            report = j.dump(2);
        });
    };
    QTest::newRow("witness pointer dropped") << inJson([](nlohmann::json& j) {
        for (nlohmann::json& run : j["runs"])
            for (nlohmann::json& a : run["anomalies"])
                for (nlohmann::json& w : a["witness"])
                    w.erase("pointer");
    }) << QStringLiteral("analysis witnesses");
    QTest::newRow("witnesses emptied") << inJson([](nlohmann::json& j) {
        for (nlohmann::json& run : j["runs"])
            for (nlohmann::json& a : run["anomalies"])
                a["witness"] = nlohmann::json::array();
    }) << QStringLiteral("analysis report");
    QTest::newRow("configuration hash dropped") << inJson([](nlohmann::json& j) {
        j["config"]["profile"].erase("sha256");
    }) << QStringLiteral("analysis configuration");
    // a configuration file swapped for other bytes
    QTest::newRow("configuration swapped") << Edit([](std::vector<BundleEntry>& e) {
        member(e, "analysis/config/2-exfiltration.yaml") += "\n# edited\n";
    }) << QStringLiteral("analysis configuration");
    // a configuration file dropped
    QTest::newRow("configuration dropped") << Edit([](std::vector<BundleEntry>& e) {
        std::erase_if(e, [](const BundleEntry& x) { return x.name == "analysis/config/3-SOP-114.yaml"; });
    }) << QStringLiteral("analysis configuration");
    // a report of another shape
    QTest::newRow("report schema") << inReport(kAnalysisSchema, "replay-workbench/analysis-report")
                                   << QStringLiteral("analysis report");
    // configuration without its report
    QTest::newRow("report dropped") << Edit([](std::vector<BundleEntry>& e) {
        std::erase_if(e, [](const BundleEntry& x) { return x.name == kAnalysisReportMember; });
    }) << QStringLiteral("analysis report");
}

void TestEvidenceAnalysis::forged()
{
    QFETCH(Edit, edit);
    QFETCH(QString, failedItem);
    std::vector<BundleEntry> entries = readBundle(m_bundle.toStdString()).entries;
    // the seal alone changes nothing: the bundle still passes
    std::vector<BundleEntry> same = entries;
    reseal(same, m_key);
    const VerifyReport untouched = verify(same);
    QVERIFY2(untouched.passed(), qPrintable(failures(untouched)));

    edit(entries);
    reseal(entries, m_key);
    const VerifyReport r = verify(entries);
    QVERIFY(!r.passed());
    const CheckItem* item = findItem(r, failedItem.toStdString());
    QVERIFY2(item && item->status == CheckStatus::Fail, qPrintable(failures(r)));
    // and nothing else: every member, the signature and the custody log agree
    for (const CheckItem& i : r.items)
        QVERIFY2(i.status != CheckStatus::Fail || i.item == failedItem.toStdString(), qPrintable(failures(r)));
}

QTEST_GUILESS_MAIN(TestEvidenceAnalysis)
#include "tst_evidenceanalysis.moc"
