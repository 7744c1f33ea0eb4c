// Replays the fuzzing corpus and every crasher ever found as ordinary tests,
// in every build, with the same checks as the fuzz harness.
#include "tests/fuzz/analysisfuzzcheck.h"
#include "tests/fuzz/batchpartfuzzcheck.h"
#include "tests/fuzz/evidencefuzzcheck.h"
#include "tests/fuzz/filterfuzzcheck.h"
#include "tests/fuzz/fuzzcheck.h"
#include "tests/fuzz/policyfuzzcheck.h"
#include "tests/fuzz/runstreamfuzzcheck.h"
#include "tests/fuzz/textfuzzcheck.h"
#include "tests/testutil.h"

#include <QDirIterator>
#include <QtTest>

namespace {

// One row per file of these folders (below the source tree); a single empty
// row when there are none, so a missing corpus fails instead of testing nothing.
void addCorpusRows(std::initializer_list<const char*> dirs)
{
    QTest::addColumn<QString>("path");
    int n = 0;
    for (const char* dir : dirs) {
        QDirIterator it(QStringLiteral(RW_SOURCE_DIR) + QLatin1String(dir), QDir::Files);
        while (it.hasNext()) {
            const QString path = it.next();
            QTest::newRow(qPrintable(QLatin1String(dir + 7) + QLatin1Char('/') + it.fileName())) << path;
            ++n;
        }
    }
    if (n == 0)
        QTest::newRow("no corpus") << QString();
}

} // namespace

class TestFuzzCorpus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replay_data();
    void replay();
    void replayPolicies_data();
    void replayPolicies();
    void replayBundles_data();
    void replayBundles();
    void replayText_data();
    void replayText();
    void replayFilters_data();
    void replayFilters();
    void replayAnalysisConfig_data();
    void replayAnalysisConfig();
    void replayRunStream_data();
    void replayRunStream();
    void replayBatchParts_data();
    void replayBatchParts();
};

void TestFuzzCorpus::replay_data()
{
    addCorpusRows({"/tests/fuzz/corpus", "/tests/fuzz/crashers", "/sample-audits"});
}

void TestFuzzCorpus::replay()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the fuzz corpus is missing");
    const std::string bytes = rwtest::readFile(path);
    const std::string problem = rwfuzz::checkInput(bytes);
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestFuzzCorpus::replayPolicies_data()
{
    addCorpusRows({"/tests/fuzz/policy-corpus", "/tests/fuzz/policy-crashers", "/sample-audits/policies"});
}

void TestFuzzCorpus::replayPolicies()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the policy fuzz corpus is missing");
    const std::string problem = rwfuzz::checkPolicyInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestFuzzCorpus::replayBundles_data()
{
    addCorpusRows({"/tests/fuzz/evidence-corpus", "/tests/fuzz/evidence-crashers"});
}

void TestFuzzCorpus::replayBundles()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the evidence fuzz corpus is missing");
    const std::string problem = rwfuzz::checkBundleInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestFuzzCorpus::replayText_data()
{
    addCorpusRows({"/tests/fuzz/text-corpus", "/tests/fuzz/text-crashers"});
}

void TestFuzzCorpus::replayText()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the text fuzz corpus is missing");
    const std::string problem = rwfuzz::checkTextInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestFuzzCorpus::replayFilters_data()
{
    addCorpusRows({"/tests/fuzz/filter-corpus", "/tests/fuzz/filter-crashers"});
}

void TestFuzzCorpus::replayFilters()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the filter fuzz corpus is missing");
    const std::string problem = rwfuzz::checkFilterInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestFuzzCorpus::replayAnalysisConfig_data()
{
    addCorpusRows({"/tests/fuzz/analysisconfig-corpus", "/tests/fuzz/analysisconfig-crashers",
                   "/sample-audits/analysis", "/sample-audits/analysis/behaviour"});
}

void TestFuzzCorpus::replayAnalysisConfig()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the analysis configuration fuzz corpus is missing");
    const std::string problem = rwfuzz::checkAnalysisConfigInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestFuzzCorpus::replayRunStream_data()
{
    addCorpusRows({"/tests/fuzz/runstream-corpus", "/tests/fuzz/runstream-crashers"});
}

void TestFuzzCorpus::replayRunStream()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the run stream fuzz corpus is missing");
    const std::string problem = rwfuzz::checkRunStreamInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestFuzzCorpus::replayBatchParts_data()
{
    addCorpusRows({"/tests/fuzz/batchpart-corpus", "/tests/fuzz/batchpart-crashers"});
}

void TestFuzzCorpus::replayBatchParts()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the batch part fuzz corpus is missing");
    const std::string problem = rwfuzz::checkBatchPartInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
