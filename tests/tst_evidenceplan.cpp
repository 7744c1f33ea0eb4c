// The evidence recipe the CLI and the window share (replay/evidence/evidenceplan):
// a missing or bad signing key, nothing chosen, a policy bundle changed on
// disk since it was loaded, and a replay diff of exactly the exported traces;
// and the words each reader gets for a failure (app/text), for the plan and
// for a graph layout that did not happen.
#include "app/text/evidenceplantext.h"
#include "app/text/layouttext.h"
#include "model/auditloader.h"
#include "replay/evidence/evidenceplan.h"
#include "replay/policy/policybundle.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <numeric>
#include <set>

using namespace rw;

class TestEvidencePlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void missingKey();
    void badKey();
    void goodKey();
    void noTraces();
    void tracesByIdAndFilter();
    void policyChangedOnDisk();
    void replayDiffCoversExactlyTheRows();
    void outputRulesNameEveryInputAndKey();
    void planTextForEachReader();
    void layoutTextForEachReader();

private:
    Workspace m_ws;
    QTemporaryDir m_dir;
};

namespace {

std::string sample(const char* name) { return std::string(RW_SOURCE_DIR "/sample-audits/") + name; }

std::shared_ptr<const PolicyEngine> engineFrom(const std::string& path)
{
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(path, diagnostics);
    return bundle ? std::make_shared<const PolicyEngine>(*bundle, nullptr) : nullptr;
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

std::set<std::string> traceIdsOf(const Workspace& ws, const std::vector<std::uint32_t>& rows)
{
    std::set<std::string> ids;
    for (const std::uint32_t r : rows)
        ids.insert(std::string(ws.str(ws.row(r), ws.row(r).traceId)));
    return ids;
}

} // namespace

void TestEvidencePlan::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const char* name : {"finance-email-blocked.jsonl", "mcp-call.jsonl", "ops-restart-approval.jsonl"}) {
        LoadResult r = AuditLoader::loadFile(sample(name));
        QVERIFY(r.model);
        m_ws.addFile(std::move(r.model));
    }
    QVERIFY(m_ws.rows().size() >= 3);
}

void TestEvidencePlan::missingKey()
{
    EvidenceChoice choice;
    choice.rows = {0};
    choice.signKeyPath = m_dir.filePath(QStringLiteral("absent.key")).toStdString();
    const EvidencePlan plan = planEvidence(choice, m_ws);
    QCOMPARE(plan.failure.error, EvidencePlanError::SigningKey);
    QCOMPARE(plan.failure.path, choice.signKeyPath);
    QVERIFY(!plan.failure.detail.empty());
    // nothing after the key was done: no rows, no workspace
    QVERIFY(plan.request.rows.empty());
    QVERIFY(!plan.request.ws);
}

void TestEvidencePlan::badKey()
{
    const QString path = m_dir.filePath(QStringLiteral("bad.key"));
    QVERIFY(writeFile(path, "untrusted comment: not a key\nAAAA\n"));
    EvidenceChoice choice;
    choice.rows = {0};
    choice.signKeyPath = path.toStdString();
    const EvidencePlan plan = beginEvidencePlan(choice);
    QCOMPARE(plan.failure.error, EvidencePlanError::SigningKey);
    QVERIFY(!plan.failure.detail.empty());
    // a failed plan stays failed: the later steps do nothing
    EvidencePlan copy = plan;
    QVERIFY(!selectEvidenceTraces(copy, choice, m_ws));
    QCOMPARE(copy.failure.error, EvidencePlanError::SigningKey);
    QVERIFY(copy.request.rows.empty());
}

void TestEvidencePlan::goodKey()
{
    const auto key = generateMinisignKey();
    QVERIFY(key);
    const QString path = m_dir.filePath(QStringLiteral("good.key"));
    QVERIFY(writeFile(path, QByteArray::fromStdString(formatSecretKey(*key))));
    EvidenceChoice choice;
    choice.rows = {1, 0};
    choice.signKeyPath = path.toStdString();
    choice.examiner = "examiner";
    choice.caseId = "case-7";
    choice.notes = "notes";
    choice.filter = "decision:blocked";
    choice.tool = "replay-workbench";
    choice.graphSvg = false;
    const EvidencePlan plan = planEvidence(choice, m_ws);
    QVERIFY(plan.ok());
    QVERIFY(plan.request.signKey);
    QCOMPARE(plan.request.signKey->pub().keyIdHex(), key->pub().keyIdHex());
    QCOMPARE(plan.request.rows, (std::vector<std::uint32_t>{1, 0}));
    QVERIFY(plan.request.ws == &m_ws);
    QCOMPARE(plan.request.examiner, std::string("examiner"));
    QCOMPARE(plan.request.caseId, std::string("case-7"));
    QCOMPARE(plan.request.notes, std::string("notes"));
    QCOMPARE(plan.request.filter, std::string("decision:blocked"));
    QCOMPARE(plan.request.tool, std::string("replay-workbench"));
    QVERIFY(!plan.request.graphSvg);
    // no policy chosen: no policy files, no replay diff
    QVERIFY(plan.request.policyFiles.empty());
    QVERIFY(plan.request.replayDiffJson.empty());
}

void TestEvidencePlan::noTraces()
{
    EvidenceChoice choice; // Rows, none given
    QCOMPARE(planEvidence(choice, m_ws).failure.error, EvidencePlanError::NoTraces);
    // a row past the workspace (kept from the files open before) exports nothing, not the rest
    choice.rows = {0, static_cast<std::uint32_t>(m_ws.rows().size())};
    QCOMPARE(planEvidence(choice, m_ws).failure.error, EvidencePlanError::NoTraces);
    choice.selection = TraceSelection::Filter;
    choice.filter = "trace:no-such-trace-*";
    QCOMPARE(planEvidence(choice, m_ws).failure.error, EvidencePlanError::NoTraceMatches);
    choice.filter = "decision:(";
    const EvidencePlan bad = planEvidence(choice, m_ws);
    QCOMPARE(bad.failure.error, EvidencePlanError::BadFilter);
    QVERIFY(bad.failure.query.code != QueryErrorCode::None);
    choice.selection = TraceSelection::TraceId;
    choice.traceId = "no-such-trace";
    const EvidencePlan unknown = planEvidence(choice, m_ws);
    QCOMPARE(unknown.failure.error, EvidencePlanError::UnknownTrace);
    QCOMPARE(unknown.failure.detail, std::string("no-such-trace"));
}

void TestEvidencePlan::tracesByIdAndFilter()
{
    EvidenceChoice choice;
    choice.selection = TraceSelection::TraceId;
    choice.traceId = std::string(m_ws.str(m_ws.row(2), m_ws.row(2).traceId));
    EvidencePlan plan = planEvidence(choice, m_ws);
    QVERIFY(plan.ok());
    QCOMPARE(plan.request.rows, (std::vector<std::uint32_t>{2}));
    // an empty filter is every trace (the CLI without --trace-id or --filter)
    choice.selection = TraceSelection::Filter;
    choice.filter.clear();
    plan = planEvidence(choice, m_ws);
    QVERIFY(plan.ok());
    QCOMPARE(plan.request.rows.size(), m_ws.rows().size());
}

void TestEvidencePlan::policyChangedOnDisk()
{
    const QString path = m_dir.filePath(QStringLiteral("strict.yaml"));
    QFile::remove(path);
    QVERIFY(QFile::copy(QString::fromStdString(sample("policies/strict.yaml")), path));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const std::shared_ptr<const PolicyEngine> engine = engineFrom(path.toStdString());
    QVERIFY(engine);
    EvidenceChoice choice;
    choice.rows = {0};
    choice.engine = engine;
    // as loaded: its exact bytes and a replay diff
    EvidencePlan plan = planEvidence(choice, m_ws);
    QVERIFY(plan.ok());
    QCOMPARE(plan.request.policyFiles.size(), std::size_t(1));
    QCOMPARE(plan.request.policyFiles.front().name, std::string("policy-strict.yaml"));
    QVERIFY(!plan.request.replayDiffJson.empty());
    // edited since: refused, and no replay diff made under a bundle that is not the one on disk
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    f.write("# edited after loading\n");
    f.close();
    plan = planEvidence(choice, m_ws);
    QCOMPARE(plan.failure.error, EvidencePlanError::PolicyChanged);
    QCOMPARE(plan.failure.path, path.toStdString());
    QVERIFY(plan.request.replayDiffJson.empty());
    // gone: it cannot be read again
    QVERIFY(QFile::remove(path));
    plan = planEvidence(choice, m_ws);
    QCOMPARE(plan.failure.error, EvidencePlanError::PolicyUnreadable);
    QCOMPARE(plan.failure.read.error, ReadError::NotFound);
}

void TestEvidencePlan::replayDiffCoversExactlyTheRows()
{
    const std::shared_ptr<const PolicyEngine> engine = engineFrom(sample("policies/strict.yaml"));
    QVERIFY(engine);
    auto diffOf = [&](std::vector<std::uint32_t> rows) {
        EvidenceChoice choice;
        choice.rows = std::move(rows);
        choice.engine = engine;
        const EvidencePlan plan = planEvidence(choice, m_ws);
        return plan.ok() ? nlohmann::json::parse(plan.request.replayDiffJson) : nlohmann::json();
    };
    std::vector<std::uint32_t> all(m_ws.rows().size());
    std::iota(all.begin(), all.end(), 0u);
    const nlohmann::json whole = diffOf(all);
    QVERIFY(whole.is_object());
    std::size_t sum = 0;
    for (const std::uint32_t r : all) {
        const nlohmann::json one = diffOf({r});
        QVERIFY(one.is_object());
        // only the file that holds the trace, and only the trace's changes
        QCOMPARE(one["audit_files"].size(), std::size_t(1));
        QCOMPARE(one["audit_files"][0]["path"].get<std::string>(), m_ws.fileOf(m_ws.row(r)).path());
        for (const nlohmann::json& change : one["changes"])
            QCOMPARE(change["trace_id"].get<std::string>(), *traceIdsOf(m_ws, {r}).begin());
        sum += one["summary"]["decision_points"].get<std::size_t>();
    }
    // the traces one by one add up to all of them: none left out, none counted twice
    QCOMPARE(whole["summary"]["decision_points"].get<std::size_t>(), sum);
    QVERIFY(sum > 0);
    // two of three traces: changes of those two only
    const std::vector<std::uint32_t> some = {0, 2};
    const std::set<std::string> ids = traceIdsOf(m_ws, some);
    const nlohmann::json two = diffOf(some);
    for (const nlohmann::json& change : two["changes"])
        QVERIFY(ids.count(change["trace_id"].get<std::string>()));
    QCOMPARE(two["audit_files"].size(), std::size_t(2));
    QVERIFY(two["trace_id"].is_null());
    // asked for by id: the diff names the trace
    EvidenceChoice byId;
    byId.selection = TraceSelection::TraceId;
    byId.traceId = *traceIdsOf(m_ws, {1}).begin();
    byId.engine = engine;
    byId.tool = "replay-workbench";
    const nlohmann::json named = nlohmann::json::parse(planEvidence(byId, m_ws).request.replayDiffJson);
    QCOMPARE(named["trace_id"].get<std::string>(), byId.traceId);
    QCOMPARE(named["generator"].get<std::string>(), std::string("replay-workbench ") + RW_VERSION);
}

void TestEvidencePlan::outputRulesNameEveryInputAndKey()
{
    std::vector<BundleDiagnostic> diagnostics;
    const auto policy = loadPolicyBundle(sample("policies/strict.yaml"), diagnostics);
    const auto caps = loadCapabilityBundle(sample("policies/capabilities.yaml"), diagnostics);
    QVERIFY(policy && caps);
    const PolicyEngine engine(*policy, &*caps);
    const OutputRules rules = evidenceOutputRules(m_ws, &engine, "/keys/k.key");
    QCOMPARE(rules.inputs.size(), m_ws.fileCount() + 2);
    for (std::size_t f = 0; f < m_ws.fileCount(); ++f)
        QCOMPARE(rules.inputs[f], m_ws.file(f).path());
    QCOMPARE(rules.inputs[m_ws.fileCount()], sample("policies/strict.yaml"));
    QCOMPARE(rules.inputs[m_ws.fileCount() + 1], sample("policies/capabilities.yaml"));
    QCOMPARE(rules.keys, std::vector<std::string>{"/keys/k.key"});
    const OutputRules bare = evidenceOutputRules(m_ws, nullptr, {});
    QCOMPARE(bare.inputs.size(), m_ws.fileCount());
    QVERIFY(bare.keys.empty());
}

void TestEvidencePlan::planTextForEachReader()
{
    EvidencePlanFailure f;
    f.error = EvidencePlanError::SigningKey;
    f.path = "k.key";
    f.detail = "not a minisign secret key";
    // the CLI's words are the ones it printed before the recipe moved into the core
    QCOMPARE(evidencePlanText(f, Reader::CommandLine), std::string("k.key: not a minisign secret key"));
    QCOMPARE(evidencePlanText(f, Reader::Window), std::string("the signing key k.key cannot be used: not a minisign secret key"));
    f = {};
    f.error = EvidencePlanError::UnknownTrace;
    f.detail = "t-1";
    QCOMPARE(evidencePlanText(f, Reader::CommandLine), std::string("No audit events found for trace_id 't-1'"));
    f = {};
    f.error = EvidencePlanError::PolicyChanged;
    f.path = "p.yaml";
    QCOMPARE(evidencePlanText(f, Reader::CommandLine), std::string("p.yaml changed since it was loaded; load it again before exporting"));
    QVERIFY(evidencePlanText(f, Reader::Window).find("p.yaml") != std::string::npos);
    f = {};
    f.error = EvidencePlanError::BadFilter;
    (void)TraceQuery::parse("decision:(", &f.query);
    QVERIFY(evidencePlanText(f, Reader::CommandLine).rfind("--filter: ", 0) == 0);
    QVERIFY(evidencePlanText(f, Reader::Window).find("--filter") == std::string::npos);
    // every code has words for both readers
    for (int e = int(EvidencePlanError::NoWorkspace); e <= int(EvidencePlanError::PolicyChanged); ++e) {
        f.error = EvidencePlanError(e);
        QVERIFY2(!evidencePlanText(f, Reader::CommandLine).empty(), QByteArray::number(e));
        QVERIFY2(!evidencePlanText(f, Reader::Window).empty(), QByteArray::number(e));
    }
}

void TestEvidencePlan::layoutTextForEachReader()
{
    LayoutRun run;
    run.error = LayoutError::HelperMissing;
    run.helper = "/opt/rw/bin/rw-graph-layout";
    // the command line may be pointed at another helper; the window's reader cannot set a variable
    QCOMPARE(layoutErrorText(run, Reader::CommandLine), std::string("rw-graph-layout not found (set RW_GRAPH_LAYOUT)"));
    const std::string window = layoutErrorText(run, Reader::Window);
    QVERIFY(window.find("RW_GRAPH_LAYOUT") == std::string::npos);
    QVERIFY(window.find("/opt/rw/bin/rw-graph-layout") != std::string::npos);
    QVERIFY(window.find("installation") != std::string::npos);
    // named by the environment and not there: the command line says which variable
    run.helperFromEnvironment = true;
    QVERIFY(layoutErrorText(run, Reader::CommandLine).find("RW_GRAPH_LAYOUT names /opt/rw/bin/rw-graph-layout") == 0);
    QVERIFY(layoutErrorText(run, Reader::Window).find("RW_GRAPH_LAYOUT") == std::string::npos);
    // the record in a bundle's notes reads the same for everyone, and tells nobody to set anything
    QVERIFY(layoutRecordText(run).find("RW_GRAPH_LAYOUT") == std::string::npos);
    run = {};
    run.error = LayoutError::Timeout;
    run.timeoutMs = 10000;
    QCOMPARE(layoutErrorText(run, Reader::CommandLine), std::string("layout took longer than 10000 ms and was stopped"));
    QVERIFY(layoutErrorText(run, Reader::Window).find("10 seconds") != std::string::npos);
    run = {};
    run.error = LayoutError::Failed;
    run.detail = "Error: syntax error in line 3";
    QCOMPARE(layoutErrorText(run, Reader::CommandLine), std::string("layout failed: Error: syntax error in line 3"));
    QVERIFY(layoutErrorText(run, Reader::Window).find("syntax error in line 3") != std::string::npos);
    for (int e = int(LayoutError::HelperMissing); e <= int(LayoutError::Cancelled); ++e) {
        run.error = LayoutError(e);
        QVERIFY2(!layoutErrorText(run, Reader::CommandLine).empty(), QByteArray::number(e));
        QVERIFY2(!layoutErrorText(run, Reader::Window).empty(), QByteArray::number(e));
        QVERIFY2(!layoutRecordText(run).empty(), QByteArray::number(e));
    }
    // a run without the helper reports the code and where it looked, not a sentence
    qputenv("RW_GRAPH_LAYOUT", "/nonexistent/rw-graph-layout");
    const LayoutRun missing = runLayoutHelper("digraph { a }", "plain", 1000);
    qunsetenv("RW_GRAPH_LAYOUT");
    QCOMPARE(missing.error, LayoutError::HelperMissing);
    QCOMPARE(missing.helper, std::string("/nonexistent/rw-graph-layout"));
    QVERIFY(missing.helperFromEnvironment);
}

QTEST_GUILESS_MAIN(TestEvidencePlan)
#include "tst_evidenceplan.moc"
