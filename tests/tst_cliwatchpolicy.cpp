// --watch --policy B.yaml (issue 14), in process as main() calls it: each
// decision bundle B decides otherwise is marked as it arrives, on its step's
// line or on one of its own, the count at the end is the batch --diff's, also
// for a run stream read across polls (a step whose run_started came earlier).
#include "tests/batchtestutil.h"
#include "tests/watchtestutil.h"

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace batchtest;
using namespace watchtest;
using Json = nlohmann::json;

class TestCliWatchPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void policyWhatIf();

private:
    QTemporaryDir m_data;
};

void TestCliWatchPolicy::initTestCase()
{
    QVERIFY(m_data.isValid());
    qputenv("XDG_DATA_HOME", m_data.path().toLocal8Bit());
}

// --policy B.yaml: each decision B decides otherwise marked as it arrives; the count is the batch re-evaluation's
void TestCliWatchPolicy::policyWhatIf()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("audit.jsonl"));
    QByteArray audit;
    for (const char* f : {"budget-breach.jsonl", "finance-email-blocked.jsonl", "mcp-call.jsonl", "ops-restart-approval.jsonl",
                          "untrusted-skill-restart.jsonl"})
        audit += readAll(sample(f));
    QVERIFY(append(log, audit));
    const QString strict = sample("policies/strict.yaml");
    const Result batch = cli({QStringLiteral("--audit-file"), log, QStringLiteral("--policy"), strict, QStringLiteral("--diff"),
                              QStringLiteral("--json"), QStringLiteral("--quiet")});
    QCOMPARE(batch.exitCode, 0);
    const Json summary = Json::parse(batch.out)["summary"];
    const Result live = watch({log, QStringLiteral("--from-start"), QStringLiteral("--quiet"), QStringLiteral("--policy"), strict}, {}, 300);
    QCOMPARE(live.exitCode, 0);
    QVERIFY2(live.out.find("14:02:11 [step 1] send_email send_email BLOCKED email.send [B: REQUIRE_APPROVAL]\n") != std::string::npos,
             live.out.c_str());
    std::size_t marked = 0;
    for (const std::string& line : outLines(live.out))
        marked += line.find(" [B: ") != std::string::npos || line.ends_with(" under B");
    QCOMPARE(marked, summary["changed"].get<std::size_t>());
    const std::string totals = "Policy B (" + strict.toStdString() + "): " + std::to_string(summary["changed"].get<int>()) + " of " +
                               std::to_string(summary["decision_points"].get<int>()) +
                               " decisions decided otherwise (allowed->blocked 4, blocked->require_approval 1)\n";
    QVERIFY2(live.out.find(totals) != std::string::npos, live.out.c_str());
    // JSON: B's verdict on the step record
    const Result json = watch({log, QStringLiteral("--from-start"), QStringLiteral("--quiet"), QStringLiteral("--format"),
                               QStringLiteral("json"), QStringLiteral("--policy"), strict},
                              {}, 300);
    std::size_t verdicts = 0;
    for (const std::string& line : outLines(json.out)) {
        const Json j = Json::parse(line);
        if (j.contains("policy_b")) {
            ++verdicts;
            QVERIFY(j["policy_b"]["after"] != j["policy_b"]["before"]);
        }
    }
    QCOMPARE(verdicts, summary["changed"].get<std::size_t>());
    QVERIFY2(json.err.find(totals) != std::string::npos, json.err.c_str());
    // a run stream appended in pieces: a step whose run_started came in an earlier poll is still B's to decide
    const QString stream = dir.filePath(QStringLiteral("runs.jsonl"));
    const QByteArray all = incidentStream();
    const qsizetype cut = all.indexOf('\n', all.indexOf("\"step\"")) + 1; // run_started and the first step
    QVERIFY(append(stream, all.left(cut)));
    const Result streamBatch = cli({QStringLiteral("--audit-file"), sample("run-incidents.jsonl"), QStringLiteral("--policy"), strict,
                                    QStringLiteral("--diff"), QStringLiteral("--json"), QStringLiteral("--quiet")});
    const Json streamSummary = Json::parse(streamBatch.out)["summary"];
    QVERIFY(streamSummary["changed"].get<int>() > 0);
    const Result pieces = watch({stream, QStringLiteral("--from-start"), QStringLiteral("--quiet"), QStringLiteral("--poll-interval"),
                                 QStringLiteral("50"), QStringLiteral("--policy"), strict},
                                {{400, [&] { append(stream, all.mid(cut)); }}}, 1500);
    QCOMPARE(pieces.exitCode, 0);
    std::size_t streamMarks = 0;
    for (const std::string& line : outLines(pieces.out))
        streamMarks += line.find(" [B: ") != std::string::npos || line.ends_with(" under B");
    QCOMPARE(streamMarks, streamSummary["changed"].get<std::size_t>());
    QVERIFY2(pieces.out.find("not replayable") == std::string::npos, pieces.out.c_str());

    // an invalid bundle stops the watch before it begins
    const Result bad = watch({log, QStringLiteral("--policy"), sample("analysis/analysis.yaml")}, {}, 300);
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.find("is not valid") != std::string::npos, bad.err.c_str());
}

QTEST_GUILESS_MAIN(TestCliWatchPolicy)
#include "tst_cliwatchpolicy.moc"
