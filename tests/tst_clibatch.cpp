// The batch analysis as a map and a merge (issue 13): parts written on any
// split of the files merge into the report --batch writes, byte for byte;
// parts that do not belong together are refused; the index points at the
// runs' bytes; Ctrl+C writes nothing; progress reads right. In process,
// through parseCli and runCli as main() calls them.
#include "app/cli/batchprogress.h"
#include "app/cli/interrupt.h"
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

// an ostream that does what Ctrl+C does once the batch says it has begun
class InterruptingBuffer : public std::stringbuf
{
protected:
    int sync() override
    {
        if (str().find("Analysing") != std::string::npos)
            rw::InterruptScope::request();
        return std::stringbuf::sync();
    }
};

} // namespace

class TestCliBatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void partsMergeIntoTheBatch();
    void threadsChangeNothing();
    void mergeRefuses_data();
    void mergeRefuses();
    void indexPointsAtRuns();
    void rangesStopAtTheLine();
    void hostilePartsNeverCrash();
    void runInTwoFiles();
    void interrupted();
    void options_data();
    void options();
    void progressText_data();
    void progressText();

private:
    QString path(const QString& rel) const { return m_dir.filePath(rel); }
    QStringList files() const { return m_files; }

    QTemporaryDir m_dir;
    QStringList m_files;
};

void TestCliBatch::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_files = copySampleTraces(QDir(m_dir.path()));
    for (const QString& f : m_files)
        QVERIFY(QFile::exists(f));
}

// the map on any split of the files, the walk apart, the parts in any order:
// the report and the index --batch writes
void TestCliBatch::partsMergeIntoTheBatch()
{
    const QStringList config{QStringLiteral("--profile"), sample("analysis/analysis.yaml")};
    const Result whole = cli(QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces")),
                                         QStringLiteral("--output"), path(QStringLiteral("whole.json")), QStringLiteral("--index"),
                                         path(QStringLiteral("whole-index.jsonl"))} + config);
    QCOMPARE(whole.exitCode, 0);
    QVERIFY2(whole.out.find("Analysing 6 trace files...\n") == 0, whole.out.c_str());
    const QStringList all = files();
    const Result walk = cli(QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces")),
                                        QStringLiteral("--part"), QStringLiteral("--walk-only"), QStringLiteral("--output"),
                                        path(QStringLiteral("walk.json"))} + config);
    QCOMPARE(walk.exitCode, 0);
    QVERIFY2(walk.out.find("Found 6 trace files\n") == 0, walk.out.c_str());
    const nlohmann::json walked = nlohmann::json::parse(readAll(path(QStringLiteral("walk.json"))).toStdString());
    QCOMPARE(walked["files"].size(), std::size_t{6});
    QVERIFY(walked["inputs"].empty());
    for (const auto& [from, to, name] : {std::tuple{0, 4, "p1.json"}, std::tuple{4, 6, "p2.json"}}) {
        const Result part = cli(QStringList{QStringLiteral("--analyze"), QStringLiteral("--batch")} + all.mid(from, to - from) +
                                QStringList{QStringLiteral("--part"), QStringLiteral("--output"), path(QLatin1String(name))} + config);
        QCOMPARE(part.exitCode, 0);
    }
    const Result merged = cli({QStringLiteral("--merge-reports"), path(QStringLiteral("p2.json")), path(QStringLiteral("walk.json")),
                               path(QStringLiteral("p1.json")), QStringLiteral("--output"), path(QStringLiteral("merged.json")),
                               QStringLiteral("--index"), path(QStringLiteral("merged-index.jsonl"))});
    QCOMPARE(merged.exitCode, 0);
    QVERIFY2(merged.out.find("Merging 3 parts...\nTrace files: 6\n") == 0, merged.out.c_str());
    QCOMPARE(readAll(path(QStringLiteral("merged.json"))), readAll(path(QStringLiteral("whole.json"))));
    QCOMPARE(readAll(path(QStringLiteral("merged-index.jsonl"))), readAll(path(QStringLiteral("whole-index.jsonl"))));
    // the seed's lines come out of the merge as out of the batch
    const std::string tail = whole.out.substr(whole.out.find("Critical anomalies"));
    QCOMPARE(QString::fromStdString(merged.out.substr(merged.out.find("Critical anomalies"))),
             QString::fromStdString(tail).replace(path(QStringLiteral("whole.json")), path(QStringLiteral("merged.json"))));
}

void TestCliBatch::threadsChangeNothing()
{
    QByteArray first;
    for (const char* threads : {"1", "2", "5"}) {
        const QString out = path(QStringLiteral("threads-%1.json").arg(QLatin1String(threads)));
        QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces")), QStringLiteral("--threads"),
                      QLatin1String(threads), QStringLiteral("--output"), out})
                     .exitCode,
                 0);
        if (first.isEmpty())
            first = readAll(out);
        else
            QCOMPARE(readAll(out), first);
    }
    QVERIFY(!first.isEmpty());
}

void TestCliBatch::mergeRefuses_data()
{
    QTest::addColumn<QStringList>("parts");
    QTest::addColumn<QString>("message");
    QTest::newRow("another configuration") << QStringList{QStringLiteral("cfg-a.json"), QStringLiteral("cfg-b.json")}
                                           << QStringLiteral("was analysed with another configuration");
    QTest::newRow("a file in two parts") << QStringList{QStringLiteral("cfg-a.json"), QStringLiteral("cfg-a.json")}
                                         << QStringLiteral("is analysed in two parts");
    QTest::newRow("a walked file never analysed") << QStringList{QStringLiteral("walk-all.json"), QStringLiteral("cfg-a.json")}
                                                  << QStringLiteral(", which the walk found");
    QTest::newRow("a report is not a part") << QStringList{QStringLiteral("whole-a.json")}
                                            << QStringLiteral("line 1: not a JSON object: not a part this tool wrote");
    QTest::newRow("not JSON") << QStringList{QStringLiteral("broken.json")} << QStringLiteral("line 1: not a JSON object");
    QTest::newRow("another schema") << QStringList{QStringLiteral("other.jsonl")} << QStringLiteral("is not a batch part");
    QTest::newRow("cut short") << QStringList{QStringLiteral("cut.jsonl")} << QStringLiteral("the part is cut short");
    QTest::newRow("a row that is no object") << QStringList{QStringLiteral("badrow.jsonl")} << QStringLiteral("line 3: not a run row");
    QTest::newRow("too deep") << QStringList{QStringLiteral("deep.json")} << QStringLiteral("nested deeper than 32");
}

void TestCliBatch::mergeRefuses()
{
    QFETCH(QStringList, parts);
    QFETCH(QString, message);
    const QString one = files().front();
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), one, QStringLiteral("--part"), QStringLiteral("--output"),
                  path(QStringLiteral("cfg-a.json"))}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), files().at(1), QStringLiteral("--part"), QStringLiteral("--output"),
                  path(QStringLiteral("cfg-b.json")), QStringLiteral("--profile"), sample("analysis/analysis.yaml")}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces")), QStringLiteral("--part"),
                  QStringLiteral("--walk-only"), QStringLiteral("--output"), path(QStringLiteral("walk-all.json"))}).exitCode, 0);
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), one, QStringLiteral("--output"),
                  path(QStringLiteral("whole-a.json"))}).exitCode, 0);
    QFile broken(path(QStringLiteral("broken.json")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{\"schema\": ");
    broken.close();
    {
        // a part without its last line, and one whose first row is not an object
        QList<QByteArray> lines = readAll(path(QStringLiteral("cfg-a.json"))).split('\n');
        QVERIFY(lines.size() >= 4 && lines.last().isEmpty());
        QFile cut(path(QStringLiteral("cut.jsonl")));
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(lines.mid(0, lines.size() - 2).join('\n') + '\n');
        QFile bad(path(QStringLiteral("badrow.jsonl")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        lines[2] = "[1, 2]";
        bad.write(lines.join('\n'));
    }
    QFile other(path(QStringLiteral("other.jsonl")));
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.write("{\"schema\": \"replay-workbench/analysis-report\", \"version\": 1}\n");
    other.close();
    QFile deep(path(QStringLiteral("deep.json")));
    QVERIFY(deep.open(QIODevice::WriteOnly));
    deep.write(QByteArray(40, '[') + QByteArray(40, ']'));
    deep.close();
    QStringList args{QStringLiteral("--merge-reports")};
    for (const QString& p : parts)
        args << path(p);
    const QString out = path(QStringLiteral("refused.json"));
    const Result r = cli(args + QStringList{QStringLiteral("--output"), out});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromStdString(r.err).contains(message), r.err.c_str());
    QVERIFY(!QFile::exists(out));
}

// every index line's bytes are its run: a document whole, a trace's first event on
void TestCliBatch::indexPointsAtRuns()
{
    const QString index = path(QStringLiteral("index.jsonl"));
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces")), QStringLiteral("--output"),
                  path(QStringLiteral("index-report.json")), QStringLiteral("--index"), index})
                 .exitCode,
             0);
    const QList<QByteArray> lines = readAll(index).split('\n');
    QCOMPARE(lines.size(), 13); // 12 runs (run-incidents holds 5, legacy-lines 3 traces) and the last newline
    int documents = 0;
    for (const QByteArray& line : lines) {
        if (line.isEmpty())
            continue;
        const nlohmann::json entry = nlohmann::json::parse(line.toStdString());
        const QByteArray file = readAll(QString::fromStdString(entry["file"].get<std::string>()));
        QCOMPARE(QCryptographicHash::hash(file, QCryptographicHash::Sha256).toHex().toStdString(),
                 entry["sha256"].get<std::string>());
        const QByteArray bytes = file.mid(entry["offset"].get<qsizetype>(), entry["length"].get<qsizetype>());
        QVERIFY(bytes.startsWith('{') && bytes.endsWith('}'));
        const std::string id = entry["run_id"].get<std::string>();
        QVERIFY2(bytes.contains(QByteArray::fromStdString("\"" + id + "\"")), id.c_str());
        QCOMPARE(file.left(entry["offset"].get<qsizetype>()).count('\n') + 1, entry["line"].get<qsizetype>());
        if (entry["file"].get<std::string>().find("/a/run-") != std::string::npos) {
            // a run document parses whole
            const nlohmann::json run = nlohmann::json::parse(bytes.toStdString());
            QCOMPARE(run["run_id"].get<std::string>(), id);
            ++documents;
        }
    }
    QCOMPARE(documents, 6); // run-12345 and the five incidents
}

// a run document on one line ends with its line, whatever follows it (other
// lines of a mixed or damaged file, a cut-off last line)
void TestCliBatch::rangesStopAtTheLine()
{
    QTemporaryDir dir;
    QFile incidents(sample("run-incidents.jsonl"));
    QVERIFY(incidents.open(QIODevice::ReadOnly));
    const QList<QByteArray> runs = incidents.readAll().split('\n');
    QFile mixed(dir.filePath(QStringLiteral("mixed.jsonl")));
    QVERIFY(mixed.open(QIODevice::WriteOnly));
    mixed.write(runs[0] + "\nnot json at all\n" + runs[1] + "\n{\"run_id\": \"cut-off");
    mixed.close();
    const QString index = dir.filePath(QStringLiteral("index.jsonl"));
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--quiet"), QStringLiteral("--batch"), mixed.fileName(),
                  QStringLiteral("--output"), dir.filePath(QStringLiteral("r.json")), QStringLiteral("--index"), index})
                 .exitCode,
             0);
    const QList<QByteArray> lines = readAll(index).split('\n');
    QCOMPARE(lines.size(), 3);
    for (int i = 0; i < 2; ++i) {
        const nlohmann::json entry = nlohmann::json::parse(lines[i].toStdString());
        QCOMPARE(entry["length"].get<qsizetype>(), runs[i].size());
    }
}

// facts of the wrong types, a version that is a word: refused or read as neutral values, never a crash
void TestCliBatch::hostilePartsNeverCrash()
{
    QTemporaryDir dir;
    const QByteArray header = "{\"schema\":\"replay-workbench/analysis-part\",\"version\":1,\"config\":{},\"files\":[],"
                              "\"problems\":[],\"inputs\":[{\"path\":\"x.jsonl\",\"sha256\":\"00\",\"runs\":1}]}\n";
    QFile odd(dir.filePath(QStringLiteral("odd.jsonl")));
    QVERIFY(odd.open(QIODevice::WriteOnly));
    odd.write(header + "{\"run_id\":5,\"file\":\"x.jsonl\",\"location\":\"here\",\"clean\":\"no\",\"uses\":[1],"
                       "\"anomalies\":[{\"severity\":3},7],\"policy_checks\":[{\"steps\":\"all\"}],\"used\":[1,2]}\n{}\n");
    odd.close();
    QFile words(dir.filePath(QStringLiteral("words.jsonl")));
    QVERIFY(words.open(QIODevice::WriteOnly));
    words.write(QByteArray(header).replace("\"version\":1", "\"version\":\"one\""));
    words.close();
    const QString controls = dir.filePath(QStringLiteral("controls.yaml"));
    QFile c(controls);
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write("version: 1\ncontrols:\n  - id: A\n    evidence: [detector:*, 'policy:*/*', fleet:over_provisioned]\n");
    c.close();
    const Result r = cli({QStringLiteral("--merge-reports"), odd.fileName(), QStringLiteral("--output"),
                          dir.filePath(QStringLiteral("r.json")), QStringLiteral("--index"), dir.filePath(QStringLiteral("i.jsonl")),
                          QStringLiteral("--controls"), controls});
    QCOMPARE(r.exitCode, 0);
    const nlohmann::json doc = nlohmann::json::parse(readAll(dir.filePath(QStringLiteral("r.json"))).toStdString());
    QCOMPARE(doc["totals"]["runs"].get<int>(), 1);
    QVERIFY(doc["runs"][0].is_object());
    const Result refused = cli({QStringLiteral("--merge-reports"), words.fileName(), QStringLiteral("--output"),
                                dir.filePath(QStringLiteral("w.json"))});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.find("is not a batch part") != std::string::npos, refused.err.c_str());
    // counts that are no counts move nothing; a part that lists more runs than it holds is cut short
    QFile counts(dir.filePath(QStringLiteral("counts.jsonl")));
    QVERIFY(counts.open(QIODevice::WriteOnly));
    counts.write(QByteArray(header).replace("\"inputs\"", "\"metrics\":[{\"hour\":\"2026-03-05T14\",\"agent\":\"a\","
                                                                  "\"tool\":\"\",\"tenant\":\"\",\"traces\":-5,"
                                                                  "\"blocked\":9223372036854775808,\"decision_points\":3},"
                                                                  "{\"hour\":\"yesterday\",\"agent\":\"a\",\"traces\":7}],\"inputs\"") +
                 "{\"file\":\"x.jsonl\"}\n{}\n");
    counts.close();
    QCOMPARE(cli({QStringLiteral("--merge-reports"), counts.fileName(), QStringLiteral("--output"), dir.filePath(QStringLiteral("c.json"))})
                 .exitCode,
             0);
    const nlohmann::json totals = nlohmann::json::parse(readAll(dir.filePath(QStringLiteral("c.json"))).toStdString())["metrics"]["totals"];
    QCOMPARE(totals["decision_points"].get<int>(), 3);
    QCOMPARE(totals["traces"].get<int>(), 0);
    QCOMPARE(totals["blocked"].get<int>(), 0);
    QFile cut(dir.filePath(QStringLiteral("cut.jsonl")));
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(QByteArray(header).replace("\"runs\":1", "\"runs\":2") + "{\"file\":\"x.jsonl\"}\n{}\n");
    cut.close();
    const Result short_ = cli({QStringLiteral("--merge-reports"), cut.fileName(), QStringLiteral("--output"), dir.filePath(QStringLiteral("s.json"))});
    QCOMPARE(short_.exitCode, 1);
    QVERIFY2(short_.err.find("lists 2 runs for x.jsonl but holds 1: it is cut short or altered") != std::string::npos,
             short_.err.c_str());
}

// a run found in two files (a copy, or a log rotated mid-trace) is a problem the report names
void TestCliBatch::runInTwoFiles()
{
    QTemporaryDir dir;
    QVERIFY(QFile::copy(sample("run-12345.json"), dir.filePath(QStringLiteral("one.json"))));
    QVERIFY(QFile::copy(sample("run-12345.json"), dir.filePath(QStringLiteral("two.json"))));
    const QString report = dir.filePath(QStringLiteral("report.json"));
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), dir.path(), QStringLiteral("--output"), report}).exitCode, 0);
    const nlohmann::json doc = nlohmann::json::parse(readAll(report).toStdString());
    QCOMPARE(doc["problems"].size(), std::size_t{1});
    QCOMPARE(doc["problems"][0]["problem"].get<std::string>(), std::string("run_in_several_files"));
    QCOMPARE(doc["problems"][0]["path"].get<std::string>(), dir.filePath(QStringLiteral("two.json")).toStdString());
    QVERIFY(doc["problems"][0]["detail"].get<std::string>().find("run-12345") != std::string::npos);
    QCOMPARE(doc["totals"]["runs"].get<int>(), 2); // both kept: the reader decides
}

// Ctrl+C once the batch has begun: exit 130, nothing written
void TestCliBatch::interrupted()
{
    InterruptingBuffer buffer;
    std::ostream out(&buffer);
    const QString report = path(QStringLiteral("interrupted.json"));
    const QString jsonl = path(QStringLiteral("interrupted.jsonl"));
    const Result r = cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces")), QStringLiteral("--output"),
                          report, QStringLiteral("--jsonl"), jsonl},
                         &out);
    QCOMPARE(r.exitCode, 130);
    QVERIFY2(r.err.find("Interrupted: nothing was written") != std::string::npos, r.err.c_str());
    QVERIFY(!QFile::exists(report));
    QVERIFY(!QFile::exists(jsonl));
    // the next batch starts afresh
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--batch"), path(QStringLiteral("traces")), QStringLiteral("--output"),
                  report}).exitCode, 0);
    QVERIFY(QFile::exists(report));
}

void TestCliBatch::options_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("part with a merge option") << QStringLiteral("--analyze --batch d --part --output p --index i")
                                              << QStringLiteral("--part writes the map step only");
    QTest::newRow("walk-only alone") << QStringLiteral("--analyze --batch d --walk-only --output p")
                                     << QStringLiteral("--walk-only goes with --part");
    QTest::newRow("merge writes no part") << QStringLiteral("--merge-reports a b --output r --part")
                                          << QStringLiteral("--merge-reports does not take --part");
    QTest::newRow("merge needs output") << QStringLiteral("--merge-reports a b") << QStringLiteral("--merge-reports needs --output");
    QTest::newRow("merge needs parts") << QStringLiteral("--merge-reports --output r")
                                       << QStringLiteral("--merge-reports needs the part files");
    QTest::newRow("index without batch") << QStringLiteral("--analyze --audit-file a --index i")
                                         << QStringLiteral("go with --batch");
    QTest::newRow("several folders") << QStringLiteral("--analyze --batch a b c --output r --quiet") << QString();
}

void TestCliBatch::options()
{
    QFETCH(QString, args);
    QFETCH(QString, error);
    std::vector<std::string> words;
    for (const QString& w : args.split(QLatin1Char(' ')))
        words.push_back(w.toStdString());
    const rw::CliParse p = rw::parseCli(words);
    QVERIFY2(QString::fromStdString(p.error).contains(error) && p.error.empty() == error.isEmpty(), p.error.c_str());
    if (error.isEmpty())
        QCOMPARE(p.options.batch.size(), std::size_t{3});
}

void TestCliBatch::progressText_data()
{
    QTest::addColumn<int>("files");
    QTest::addColumn<int>("total");
    QTest::addColumn<double>("megabytes");
    QTest::addColumn<double>("totalMegabytes");
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("bar");
    QTest::addColumn<QString>("line");
    QTest::newRow("start") << 0 << 342 << 0.0 << 100.0 << 0.0 << QStringLiteral("[..........] 0/342 files  0.0 MB/s  ETA --:--")
                           << QStringLiteral("0 / 342 files, 0.0 MB of 100.0 MB, 0.0 MB/s");
    QTest::newRow("a quarter") << 80 << 342 << 25.0 << 100.0 << 5.0
                               << QStringLiteral("[##........] 80/342 files  5.0 MB/s  ETA 0:15")
                               << QStringLiteral("80 / 342 files, 25.0 MB of 100.0 MB, 5.0 MB/s, about 0:15 left");
    QTest::newRow("hours left") << 1 << 10000 << 1.0 << 10000.0 << 2.0
                                << QStringLiteral("[..........] 1/10000 files  0.5 MB/s  ETA 5:33:18")
                                << QStringLiteral("1 / 10000 files, 1.0 MB of 10000.0 MB, 0.5 MB/s, about 5:33:18 left");
    QTest::newRow("done") << 342 << 342 << 100.0 << 100.0 << 10.0
                          << QStringLiteral("[##########] 342/342 files  10.0 MB/s  ETA 0:00")
                          << QStringLiteral("342 / 342 files, 100.0 MB of 100.0 MB, 10.0 MB/s, about 0:00 left");
}

void TestCliBatch::progressText()
{
    QFETCH(int, files);
    QFETCH(int, total);
    QFETCH(double, megabytes);
    QFETCH(double, totalMegabytes);
    QFETCH(double, seconds);
    QFETCH(QString, bar);
    QFETCH(QString, line);
    rw::ProgressFigures f;
    f.files = static_cast<std::size_t>(files);
    f.totalFiles = static_cast<std::size_t>(total);
    f.bytes = static_cast<std::uint64_t>(megabytes * 1e6);
    f.totalBytes = static_cast<std::uint64_t>(totalMegabytes * 1e6);
    f.seconds = seconds;
    QCOMPARE(QString::fromStdString(rw::progressBar(f, 10)), bar);
    QCOMPARE(QString::fromStdString(rw::progressLine(f)), line);
}

QTEST_GUILESS_MAIN(TestCliBatch)
#include "tst_clibatch.moc"
