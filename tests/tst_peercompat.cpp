// Compatibility with the upstream replay engine: for every audit file of the
// peer-compat corpus (written by upstream's own code), our JSON and text
// outputs equal upstream's expected outputs byte for byte. Only the evidence
// `generated_at` varies upstream, and evidence export is not compared here.
#include "app/cli/textreport.h"
#include "model/intracediff.h"
#include "model/tracesummary.h"
#include "model/upstreamjson.h"
#include "tests/testutil.h"

#include <QDir>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace rw;

class TestPeerCompat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void compat_data();
    void compat();
    void cleanupTestCase();

private:
    QString m_root;
    int m_evidenceDocuments = 0;
    QString m_actualDir;
    nlohmann::ordered_json m_index;
};

void TestPeerCompat::initTestCase()
{
    m_root = QStringLiteral(RW_SHARED_DIR "/peer-compat");
    if (!QFile::exists(m_root + QStringLiteral("/expected/INDEX.json")))
        QSKIP("../shared/peer-compat is absent: the upstream corpus is not part of this checkout");
    m_index = nlohmann::ordered_json::parse(rwtest::readFile(m_root + QStringLiteral("/expected/INDEX.json")));
    m_actualDir = QDir::current().absoluteFilePath(QStringLiteral("peercompat-actual"));
    QDir().mkpath(m_actualDir);
}

void TestPeerCompat::compat_data()
{
    QTest::addColumn<QString>("file");
    for (auto it = m_index.begin(); it != m_index.end(); ++it) {
        const QString name = QString::fromStdString(it.key());
        QTest::newRow(qPrintable(name)) << name;
    }
}

void TestPeerCompat::compat()
{
    QFETCH(QString, file);
    const QString stem = file.left(file.size() - 6);
    const QString expected = m_root + QStringLiteral("/expected/") + stem + QLatin1Char('/');
    LoadResult loaded = AuditLoader::loadFile(QString(m_root + QStringLiteral("/audits/") + file).toStdString());
    QVERIFY(loaded.model);
    const ReplayModel& m = *loaded.model;
    const std::vector<TraceSummary> summaries = summarizeAll(m);

    // traces in first-seen order, as INDEX.json lists them
    const auto& ids = m_index[file.toStdString()];
    QCOMPARE(m.traceCount(), ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        QCOMPARE(std::string(m.str(m.trace(i).id)), ids[i].get<std::string>());

    // skipped lines: same physical line numbers as upstream's warnings
    const auto warnings = nlohmann::json::parse(rwtest::readFile(expected + QStringLiteral("load_warnings.json")));
    std::vector<std::uint64_t> expectedLines, ourLines;
    for (const auto& w : warnings)
        expectedLines.push_back(w["line_number"].get<std::uint64_t>());
    for (const Diagnostic& d : m.diagnostics())
        if (diagnosticRejectsRecord(d.code))
            ourLines.push_back(d.line);
    QCOMPARE(ourLines, expectedLines);

    int compared = 0;
    auto check = [&](const std::string& actual, const QString& name) {
        ++compared;
        QVERIFY2(rwtest::matchesGolden(actual, expected + name, m_actualDir), qPrintable(stem + QLatin1Char('/') + name));
    };
    const upstream::ListFilter all;
    check(upstream::dump(upstream::list(m, summaries, upstream::listTraces(m, summaries, all), all.limit)),
          QStringLiteral("GET_replay.json"));
    for (std::size_t t = 0; t < m.traceCount(); ++t) {
        const TraceSummary& s = summaries[t];
        const QString trace = QString::fromUtf8(m.str(s.traceId).data(), qsizetype(m.str(s.traceId).size()));
        const InTraceDiff diff = computeInTraceDiff(m, s);
        check(upstream::dump(upstream::traceResult(m, s)), trace + QStringLiteral(".GET_replay_trace.json"));
        check(upstream::dump(upstream::summary(m, s)), trace + QStringLiteral(".GET_replay_summary.json"));
        check(upstream::dump(upstream::diff(diff, false)), trace + QStringLiteral(".GET_replay_diff.json"));
        check(upstream::dumpSorted(upstream::diff(diff, true)), trace + QStringLiteral(".diff_cli.json"));
        check(summaryText(m, s), trace + QStringLiteral(".replay_cli_summary.txt"));
        // the timeline file may carry the CLI's stderr after a marker line
        std::string timeline = rwtest::readFile(expected + trace + QStringLiteral(".replay_cli.txt"));
        const std::size_t marker = timeline.find("\n--- stderr (exit ");
        if (marker != std::string::npos)
            timeline.resize(marker);
        ++compared;
        QCOMPARE(timelineText(m, s), timeline);
        // aisecops-evidence's JSON and Markdown, with the expected export time
        const QString evidencePath = expected + trace + QStringLiteral(".evidence.json");
        if (QFile::exists(evidencePath)) {
            const auto expectedEvidence = nlohmann::json::parse(rwtest::readFile(evidencePath));
            const std::string generatedAt = expectedEvidence["generated_at"].get<std::string>();
            const upstream::Json doc = upstream::evidence(m, s, diff, generatedAt);
            check(upstream::dumpSorted(doc), trace + QStringLiteral(".evidence.json"));
            // the Markdown was generated a moment apart: its own timestamp
            std::string md = rwtest::readFile(expected + trace + QStringLiteral(".evidence.md"));
            const std::size_t at = md.find("- Generated At: `");
            QVERIFY(at != std::string::npos);
            const std::string mdTime = md.substr(at + 17, md.find('`', at + 17) - at - 17);
            upstream::Json mdDoc = doc;
            mdDoc["generated_at"] = mdTime;
            ++compared;
            QCOMPARE(upstream::evidenceMarkdown(mdDoc), md);
            ++m_evidenceDocuments;
        }
    }
    QVERIFY(compared >= 1 + 6 * static_cast<int>(m.traceCount()));
}

void TestPeerCompat::cleanupTestCase()
{
    // every expected evidence document was compared (74 in the corpus at the time of writing)
    if (!m_root.isEmpty() && QFileInfo::exists(m_root))
        QVERIFY2(m_evidenceDocuments >= 70, qPrintable(QString::number(m_evidenceDocuments)));
}

QTEST_GUILESS_MAIN(TestPeerCompat)
#include "tst_peercompat.moc"
