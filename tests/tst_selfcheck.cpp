// The peer self-check: re-evaluating every audit file of the upstream corpus
// under the bundle that produced it reproduces every recorded decision.
#include "replay/policy/policyengine.h"
#include "replay/policy/reevaluation.h"
#include "tests/testutil.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace rw;

class TestSelfCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reproduces_data();
    void reproduces();

private:
    QString m_root;
    nlohmann::json m_scenarios;
};

void TestSelfCheck::initTestCase()
{
    m_root = QStringLiteral(RW_SHARED_DIR "/peer-compat");
    if (!QFile::exists(m_root + QStringLiteral("/scenarios.json")))
        QSKIP("../shared/peer-compat is absent: the upstream corpus is not part of this checkout");
    m_scenarios = nlohmann::json::parse(rwtest::readFile(m_root + QStringLiteral("/scenarios.json")));
}

void TestSelfCheck::reproduces_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("trace");
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("capabilities");
    const auto& files = m_scenarios["files"];
    for (auto it = files.begin(); it != files.end(); ++it) {
        for (const auto& t : it.value()["traces"]) {
            nlohmann::json source = t;
            if (t.contains("same_as") && t["same_as"].is_string()) // 99 keeps each trace's original bundle
                for (const auto& orig : files[t["same_as"].get<std::string>()]["traces"])
                    if (orig["trace_id"] == t["trace_id"])
                        source = orig;
            if (!source["policy"].is_string())
                continue; // 12, 13: written by hand, no bundle produced them
            const std::string name = it.key() + ":" + t["trace_id"].get<std::string>();
            QTest::newRow(name.c_str()) << QString::fromStdString(it.key()) << QString::fromStdString(t["trace_id"].get<std::string>())
                                        << QString::fromStdString(source["policy"].get<std::string>())
                                        << QString::fromStdString(source["capabilities"].get<std::string>());
        }
    }
}

void TestSelfCheck::reproduces()
{
    QFETCH(QString, file);
    QFETCH(QString, trace);
    QFETCH(QString, policy);
    QFETCH(QString, capabilities);
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(QString(m_root + QLatin1Char('/') + policy).toStdString(), diagnostics);
    const auto caps = loadCapabilityBundle(QString(m_root + QLatin1Char('/') + capabilities).toStdString(), diagnostics);
    QVERIFY2(bundle && caps && !hasErrors(diagnostics), diagnostics.empty() ? "" : diagnostics.front().message.c_str());
    const PolicyEngine engine(*bundle, &*caps);
    LoadResult loaded = AuditLoader::loadFile(QString(m_root + QStringLiteral("/audits/") + file).toStdString());
    QVERIFY(loaded.model);
    const auto t = loaded.model->findTrace(trace.toStdString());
    QVERIFY(t);
    const ReplayDiffResult r = reevaluate(*loaded.model, *t, engine);
    for (const PointResult& p : r.points) {
        QVERIFY(p.replayable());
        const DecisionSnapshot before = beforeSnapshot(*loaded.model, p, nullptr);
        const PolicyOutcome after = afterOutcome(*loaded.model, p, engine);
        const std::string where = "line " + std::to_string(loaded.model->event(p.event).line) + ": recorded " +
                                  before.decision + " (" + before.reason + "), re-evaluated " + after.decision + " (" +
                                  after.reason + ")";
        QVERIFY2(!p.changed, where.c_str());
        // same reason and rule too, where the log names them
        if (loaded.model->str(loaded.model->event(p.event), Field::EventType) == "decision") {
            QCOMPARE(after.reason, before.reason);
            QCOMPARE(after.matchedRule.value_or("-"), before.matchedRule.value_or("-"));
        }
    }
}

QTEST_GUILESS_MAIN(TestSelfCheck)
#include "tst_selfcheck.moc"
