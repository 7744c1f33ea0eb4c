// Replays the fuzzing corpus and every crasher ever found as ordinary tests,
// in every build, with the same checks as the fuzz harness.
#include "fuzzcheck.h"
#include "evidencefuzzcheck.h"
#include "policyfuzzcheck.h"
#include "testutil.h"

#include <QDirIterator>
#include <QtTest>

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
};

void TestFuzzCorpus::replay_data()
{
    QTest::addColumn<QString>("path");
    int n = 0;
    for (const char* dir : {"/tests/fuzz/corpus", "/tests/fuzz/crashers", "/sample-audits"}) {
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
    QTest::addColumn<QString>("path");
    for (const char* dir : {"/tests/fuzz/policy-corpus", "/tests/fuzz/policy-crashers", "/sample-audits/policies"}) {
        QDirIterator it(QStringLiteral(RW_SOURCE_DIR) + QLatin1String(dir), QDir::Files);
        while (it.hasNext()) {
            const QString path = it.next();
            QTest::newRow(qPrintable(QLatin1String(dir + 7) + QLatin1Char('/') + it.fileName())) << path;
        }
    }
}

void TestFuzzCorpus::replayPolicies()
{
    QFETCH(QString, path);
    const std::string problem = rwfuzz::checkPolicyInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

void TestFuzzCorpus::replayBundles_data()
{
    QTest::addColumn<QString>("path");
    int n = 0;
    for (const char* dir : {"/tests/fuzz/evidence-corpus", "/tests/fuzz/evidence-crashers"}) {
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

void TestFuzzCorpus::replayBundles()
{
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "the evidence fuzz corpus is missing");
    const std::string problem = rwfuzz::checkBundleInput(rwtest::readFile(path));
    QVERIFY2(problem.empty(), problem.c_str());
}

QTEST_GUILESS_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
