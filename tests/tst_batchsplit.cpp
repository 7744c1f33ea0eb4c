// Traces split across files (issue 13: "traces split across files (rotated
// logs) are detected at merge and analysed whole from their byte ranges").
// A log cut at every line gives the report of the uncut log: the same runs,
// anomalies, fleet section and governance counts, every witness pointing at
// the same record's bytes in the file that now holds it. Copies, a file
// changed since the map step and a merge without the parts' configuration
// keep the pieces apart and say why. In process, as main() calls the CLI.
#include "tests/batchtestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace batchtest;
using Json = nlohmann::json;

namespace {

QByteArray sampleBytes(const char* rel)
{
    return readAll(sample(rel));
}

// four interceptor samples, their lines interleaved two by two (traces overlap in time)
QByteArray interleavedAudit()
{
    QList<QList<QByteArray>> files;
    for (const char* f : {"finance-email-blocked.jsonl", "ops-restart-approval.jsonl", "untrusted-skill-restart.jsonl",
                          "budget-breach.jsonl"}) {
        QList<QByteArray> lines;
        for (const QByteArray& l : sampleBytes(f).split('\n'))
            if (!l.trimmed().isEmpty())
                lines << l;
        files << lines;
    }
    QByteArray out;
    for (bool more = true; more;) {
        more = false;
        for (QList<QByteArray>& lines : files)
            for (int k = 0; k < 2 && !lines.isEmpty(); ++k) {
                out += lines.takeFirst() + '\n';
                more = true;
            }
    }
    return out;
}

bool write(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

bool append(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::Append) && f.write(bytes) == bytes.size();
}

// the lines of `bytes`, cut after line `at` (and `at2`, when given): the rotated files, oldest first
QList<QByteArray> cut(const QByteArray& bytes, int at, int at2 = -1)
{
    QList<QByteArray> pieces{QByteArray()};
    int line = 0;
    for (const QByteArray& l : bytes.split('\n')) {
        if (l.isEmpty())
            continue;
        pieces.last() += l + '\n';
        ++line;
        if (line == at || line == at2)
            pieces << QByteArray();
    }
    return pieces;
}

// how many run or trace ids lines of more than one piece carry
int idsInSeveral(const QList<QByteArray>& pieces)
{
    std::map<std::string, std::set<int>> piecesOf;
    for (int i = 0; i < pieces.size(); ++i)
        for (const QByteArray& line : pieces[i].split('\n'))
            if (!line.isEmpty()) {
                const Json j = Json::parse(line.toStdString());
                piecesOf[j.value("run_id", j.value("trace_id", std::string()))].insert(i);
            }
    return static_cast<int>(std::count_if(piecesOf.begin(), piecesOf.end(), [](const auto& e) { return e.second.size() > 1; }));
}

Json batch(const QString& dir, const QString& report, const QStringList& extra = {})
{
    const Result r = cli(QStringList{QStringLiteral("--analyze"), QStringLiteral("--quiet"), QStringLiteral("--batch"), dir,
                                     QStringLiteral("--output"), report} +
                         extra);
    if (r.exitCode != 0)
        qWarning("%s", r.err.c_str());
    return r.exitCode == 0 ? Json::parse(readAll(report).toStdString()) : Json();
}

std::map<std::string, Json> runsById(const Json& report)
{
    std::map<std::string, Json> out;
    for (const Json& run : report["runs"])
        out[run["run_id"].get<std::string>()] = run;
    return out;
}

// the bytes a witness names, read from its file
QByteArray witnessBytes(const Json& w)
{
    const QByteArray file = readAll(QString::fromStdString(w["file"].get<std::string>()));
    return file.mid(static_cast<qsizetype>(w["offset"].get<std::uint64_t>()), static_cast<qsizetype>(w["length"].get<std::uint64_t>()));
}

// the incident stream rotated after its sixth line (s.jsonl.1, then s.jsonl) and mapped to one part
struct Rotated
{
    QString older, newer, part;
    QList<QByteArray> pieces;
};

Rotated rotatedPart(const QTemporaryDir& dir, const QStringList& mapOptions = {})
{
    Rotated r{dir.filePath(QStringLiteral("s.jsonl.1")), dir.filePath(QStringLiteral("s.jsonl")), dir.filePath(QStringLiteral("part.json")),
              cut(incidentStream(), 6)};
    if (!write(r.older, r.pieces[0]) || !write(r.newer, r.pieces[1]) ||
        cli(QStringList{QStringLiteral("--analyze"), QStringLiteral("--quiet"), QStringLiteral("--batch"), r.older, r.newer,
                        QStringLiteral("--part"), QStringLiteral("--output"), r.part} +
            mapOptions)
                .exitCode != 0)
        r.part.clear();
    return r;
}

} // namespace

class TestBatchSplit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cutAnywhereReadsAsUncut_data();
    void cutAnywhereReadsAsUncut();
    void copiesStayApart();
    void backupOfHalfStaysApart();
    void untimedStreamJoinsByItsEvents();
    void grownSinceTheMapStep();
    void threadsChangeNothing();
    void partNamingAnotherFileRefused();
    void policyVersionIsPartOfTheConfiguration();
    void changedFileStaysApart();
    void mergeNeedsTheConfiguration();
};

void TestBatchSplit::cutAnywhereReadsAsUncut_data()
{
    QTest::addColumn<QByteArray>("log");
    QTest::addColumn<int>("at");
    QTest::addColumn<int>("at2");
    const QByteArray stream = incidentStream();
    const QByteArray audit = interleavedAudit();
    const int streamLines = static_cast<int>(stream.count('\n'));
    const int auditLines = static_cast<int>(audit.count('\n'));
    for (int at = 1; at < streamLines; ++at)
        QTest::addRow("run stream cut after line %d", at) << stream << at << -1;
    for (int at = 1; at < auditLines; ++at)
        QTest::addRow("audit log cut after line %d", at) << audit << at << -1;
    QTest::addRow("run stream in three files") << stream << 4 << 9;
    QTest::addRow("audit log in three files") << audit << 10 << 25;
}

// a log rotated anywhere gives the report of the log whole: the rotation is invisible but for the locations
void TestBatchSplit::cutAnywhereReadsAsUncut()
{
    QFETCH(QByteArray, log);
    QFETCH(int, at);
    QFETCH(int, at2);
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("whole")) && QDir(dir.path()).mkpath(QStringLiteral("rotated")));
    QVERIFY(write(dir.filePath(QStringLiteral("whole/log.jsonl")), log));
    const QList<QByteArray> pieces = cut(log, at, at2);
    // named as logrotate names them: the oldest has the highest number
    QStringList names;
    for (int i = 0; i < pieces.size(); ++i) {
        const int number = static_cast<int>(pieces.size()) - 1 - i;
        names << dir.filePath(QStringLiteral("rotated/log.jsonl") + (number ? QStringLiteral(".%1").arg(number) : QString()));
        QVERIFY(write(names.last(), pieces[i]));
    }
    const Json whole = batch(dir.filePath(QStringLiteral("whole")), dir.filePath(QStringLiteral("whole.json")));
    const Json rotated = batch(dir.filePath(QStringLiteral("rotated")), dir.filePath(QStringLiteral("rotated.json")),
                               {QStringLiteral("--index"), dir.filePath(QStringLiteral("index.jsonl"))});
    QVERIFY(!whole.is_null() && !rotated.is_null());
    QCOMPARE(rotated["problems"].dump(), std::string("[]"));
    Json totals = rotated["totals"];
    QCOMPARE(totals["runs_joined_across_files"].get<int>(), idsInSeveral(pieces));
    totals["files"] = 1;
    totals["runs_joined_across_files"] = 0;
    QCOMPARE(totals.dump(), whole["totals"].dump());
    QCOMPARE(rotated["fleet"].dump(), whole["fleet"].dump());
    QCOMPARE(rotated["metrics"].dump(), whole["metrics"].dump());

    const std::map<std::string, Json> before = runsById(whole), after = runsById(rotated);
    std::map<std::string, Json> shaOf;
    for (const Json& input : rotated["inputs"])
        shaOf[input["path"].get<std::string>()] = input["sha256"];
    QCOMPARE(after.size(), before.size());
    for (const auto& [id, run] : before) {
        QVERIFY2(after.count(id), id.c_str());
        Json joined = after.at(id);
        QCOMPARE(joined["anomalies"].size(), run["anomalies"].size());
        for (std::size_t a = 0; a < run["anomalies"].size(); ++a) {
            const Json& want = run["anomalies"][a];
            const Json& got = joined["anomalies"][a];
            for (const char* key : {"fingerprint", "severity", "rule_id", "step_index", "message", "context"})
                QCOMPARE(got[key].dump(), want[key].dump());
            QCOMPARE(got["witness"].size(), want["witness"].size());
            for (std::size_t w = 0; w < want["witness"].size(); ++w) {
                // the same record's bytes, now in whichever file holds them, hashed as that file
                const Json& gw = got["witness"][w];
                QVERIFY(!witnessBytes(gw).isEmpty());
                QCOMPARE(witnessBytes(gw), witnessBytes(want["witness"][w]));
                QCOMPARE(gw["pointer"].dump(), want["witness"][w]["pointer"].dump());
                QVERIFY(names.contains(QString::fromStdString(gw["file"].get<std::string>())));
                QCOMPARE(gw["sha256"], shaOf.at(gw["file"].get<std::string>()));
            }
        }
        for (const char* key : {"status", "steps", "duration_ms", "used", "escalated", "baseline", "worst", "policy_checks"})
            QCOMPARE(joined[key].dump(), run[key].dump());
        if (joined["location"].contains("segments")) {
            // every piece: its file and bytes, oldest first
            const Json& segments = joined["location"]["segments"];
            QVERIFY(segments.size() >= 2);
            QCOMPARE(joined["file"], segments[0]["file"]);
            QCOMPARE(joined["location"]["offset"], segments[0]["offset"]);
            for (std::size_t s = 1; s < segments.size(); ++s)
                QVERIFY(names.indexOf(QString::fromStdString(segments[s - 1]["file"].get<std::string>())) <
                        names.indexOf(QString::fromStdString(segments[s]["file"].get<std::string>())));
        }
    }
    // the index names every piece of a joined run
    int joinedLines = 0;
    for (const QByteArray& line : readAll(dir.filePath(QStringLiteral("index.jsonl"))).split('\n'))
        if (!line.isEmpty() && Json::parse(line.toStdString()).contains("segments"))
            ++joinedLines;
    QCOMPARE(joinedLines, rotated["totals"]["runs_joined_across_files"].get<int>());
}

// two copies of one log are not a rotation: both kept, the problem says so
void TestBatchSplit::copiesStayApart()
{
    QTemporaryDir dir;
    const QByteArray audit = interleavedAudit();
    QVERIFY(write(dir.filePath(QStringLiteral("a.jsonl")), audit));
    QVERIFY(write(dir.filePath(QStringLiteral("b.jsonl")), audit));
    const Json report = batch(dir.path(), dir.filePath(QStringLiteral("r.json")));
    QCOMPARE(report["totals"]["runs_joined_across_files"].get<int>(), 0);
    QCOMPARE(report["totals"]["runs"].get<int>(), 8);
    QCOMPARE(report["problems"].size(), std::size_t{4});
    for (const Json& p : report["problems"]) {
        QCOMPARE(p["problem"].get<std::string>(), std::string("run_in_several_files"));
        QVERIFY2(p["detail"].get<std::string>().find("not analysed whole: the files overlap") != std::string::npos,
                 p.dump().c_str());
    }
}

// a file that changed between the map step and the merge (other than by growing) is not read again
void TestBatchSplit::changedFileStaysApart()
{
    QTemporaryDir dir;
    const Rotated rotated = rotatedPart(dir);
    QVERIFY(!rotated.part.isEmpty());
    const QString& part = rotated.part;
    const QString& newer = rotated.newer;
    const QList<QByteArray>& pieces = rotated.pieces;
    // rewritten, not appended to (a line put before the others)
    QVERIFY(write(newer, pieces[1].left(pieces[1].indexOf('\n') + 1) + pieces[1]));
    const QString report = dir.filePath(QStringLiteral("r.json"));
    const Result merged = cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), report});
    QCOMPARE(merged.exitCode, 0);
    const Json doc = Json::parse(readAll(report).toStdString());
    QCOMPARE(doc["totals"]["runs_joined_across_files"].get<int>(), 0);
    QCOMPARE(doc["problems"].size(), std::size_t{1});
    QVERIFY2(doc["problems"][0]["detail"].get<std::string>().find(newer.toStdString() + " changed since it was analysed") !=
                 std::string::npos,
             doc.dump().c_str());
}

// the merge analyses with the parts' configuration, or not at all
void TestBatchSplit::mergeNeedsTheConfiguration()
{
    QTemporaryDir dir;
    const QString profile = sample("analysis/analysis.yaml");
    const Rotated rotated = rotatedPart(dir, {QStringLiteral("--profile"), profile});
    QVERIFY(!rotated.part.isEmpty());
    const QString& part = rotated.part;
    const QString& newer = rotated.newer;
    const QString& older = rotated.older;
    const QString report = dir.filePath(QStringLiteral("r.json"));
    // without it: kept apart, and the problem says what to give
    QCOMPARE(cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), report}).exitCode, 0);
    Json doc = Json::parse(readAll(report).toStdString());
    QCOMPARE(doc["totals"]["runs_joined_across_files"].get<int>(), 0);
    QVERIFY2(doc["problems"][0]["detail"].get<std::string>().find("not given the parts' analysis configuration") !=
                 std::string::npos,
             doc.dump().c_str());
    // another one: refused
    const Result other = cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), report,
                              QStringLiteral("--exfil"), sample("analysis/exfiltration.yaml")});
    QCOMPARE(other.exitCode, 1);
    QVERIFY2(other.err.find("not the one the parts were analysed with") != std::string::npos, other.err.c_str());
    // the same: joined, as --batch joins it
    const Result same = cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), report,
                             QStringLiteral("--profile"), profile});
    QCOMPARE(same.exitCode, 0);
    QVERIFY2(same.out.find("Runs joined across files: 1\n") != std::string::npos, same.out.c_str());
    const QString direct = dir.filePath(QStringLiteral("direct.json"));
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--quiet"), QStringLiteral("--batch"), older, newer,
                  QStringLiteral("--output"), direct, QStringLiteral("--profile"), profile})
                 .exitCode,
             0);
    doc = Json::parse(readAll(report).toStdString());
    QCOMPARE(readAll(report), readAll(direct));
    QCOMPARE(doc["totals"]["runs_joined_across_files"].get<int>(), 1);
}

// a backup of the first half of a log beside the whole log: records in both, so never joined
void TestBatchSplit::backupOfHalfStaysApart()
{
    QTemporaryDir dir;
    const QByteArray stream = incidentStream();
    QVERIFY(write(dir.filePath(QStringLiteral("s.jsonl")), stream));
    QVERIFY(write(dir.filePath(QStringLiteral("s.jsonl.bak")), cut(stream, 8)[0]));
    const Json report = batch(dir.path(), dir.filePath(QStringLiteral("r.json")));
    QCOMPARE(report["totals"]["runs_joined_across_files"].get<int>(), 0);
    QVERIFY(!report["problems"].empty());
    for (const Json& p : report["problems"])
        QVERIFY2(p["detail"].get<std::string>().find("the files overlap") != std::string::npos, p.dump().c_str());
}

// a stream without times or step indexes: its run_started and run_completed place the pieces
void TestBatchSplit::untimedStreamJoinsByItsEvents()
{
    QByteArray stream;
    for (const QByteArray& line : incidentStream().split('\n')) {
        if (line.isEmpty())
            continue;
        Json j = Json::parse(line.toStdString());
        for (const char* key : {"timestamp", "started_at", "completed_at", "step_index"})
            j.erase(key);
        stream += QByteArray::fromStdString(j.dump()) + '\n';
    }
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("whole")) && QDir(dir.path()).mkpath(QStringLiteral("rotated")));
    QVERIFY(write(dir.filePath(QStringLiteral("whole/s.jsonl")), stream));
    // rotated as logrotate names it: s.jsonl.1 (the start) sorts after s.jsonl (the rest); no time says which is first
    const QList<QByteArray> pieces = cut(stream, 2);
    QVERIFY(write(dir.filePath(QStringLiteral("rotated/s.jsonl.1")), pieces[0]));
    QVERIFY(write(dir.filePath(QStringLiteral("rotated/s.jsonl")), pieces[1]));
    const Json whole = batch(dir.filePath(QStringLiteral("whole")), dir.filePath(QStringLiteral("w.json")));
    const Json rotated = batch(dir.filePath(QStringLiteral("rotated")), dir.filePath(QStringLiteral("r.json")));
    QCOMPARE(rotated["totals"]["runs_joined_across_files"].get<int>(), 1);
    QCOMPARE(rotated["problems"].dump(), std::string("[]"));
    const std::map<std::string, Json> before = runsById(whole), after = runsById(rotated);
    const Json& joined = after.at("run-exfil-0412");
    QCOMPARE(joined["steps"], before.at("run-exfil-0412")["steps"]);
    QCOMPARE(joined["status"], before.at("run-exfil-0412")["status"]);
    QCOMPARE(joined["location"]["segments"][0]["file"].get<std::string>(),
             dir.filePath(QStringLiteral("rotated/s.jsonl.1")).toStdString());
    std::vector<std::string> fingerprints, expected;
    for (const Json& a : joined["anomalies"])
        fingerprints.push_back(a["fingerprint"]);
    for (const Json& a : before.at("run-exfil-0412")["anomalies"])
        expected.push_back(a["fingerprint"]);
    QCOMPARE(fingerprints, expected);
    // two untimed middle pieces without step_index: nothing tells their order, so they stay apart
    const QList<QByteArray> lines = stream.split('\n');
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("four")));
    const QList<QByteArray> four{lines[0] + '\n' + lines[1] + '\n', lines[2] + '\n', lines[3] + '\n', lines[4] + '\n'};
    for (int i = 0; i < four.size(); ++i)
        QVERIFY(write(dir.filePath(QStringLiteral("four/s%1.jsonl").arg(i)), four[i]));
    const Json fourReport = batch(dir.filePath(QStringLiteral("four")), dir.filePath(QStringLiteral("f.json")));
    QCOMPARE(fourReport["totals"]["runs_joined_across_files"].get<int>(), 0);
    QVERIFY2(fourReport["problems"][0]["detail"].get<std::string>().find("nothing tells the order") != std::string::npos,
             fourReport.dump().c_str());
}

// the live log grew between the map step and the merge: its first bytes are what was analysed
void TestBatchSplit::grownSinceTheMapStep()
{
    QTemporaryDir dir;
    const Rotated rotated = rotatedPart(dir);
    QVERIFY(!rotated.part.isEmpty());
    const QString& part = rotated.part;
    const QString& newer = rotated.newer;
    const QList<QByteArray>& pieces = rotated.pieces;
    const QString before = dir.filePath(QStringLiteral("before.json"));
    QCOMPARE(cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), before}).exitCode, 0);
    // one more step of the joined run appended: not part of what the map step analysed
    Json extra = Json::parse(pieces[1].left(pieces[1].indexOf('\n')).toStdString());
    QVERIFY(append(newer, QByteArray::fromStdString(extra.dump()) + '\n'));
    const QString after = dir.filePath(QStringLiteral("after.json"));
    QCOMPARE(cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), after}).exitCode, 0);
    QCOMPARE(readAll(after), readAll(before));
    QCOMPARE(Json::parse(readAll(after).toStdString())["totals"]["runs_joined_across_files"].get<int>(), 1);
}

// one thread or two, the same bytes
void TestBatchSplit::threadsChangeNothing()
{
    QTemporaryDir dir;
    const QList<QByteArray> pieces = cut(interleavedAudit(), 11, 23);
    for (int i = 0; i < pieces.size(); ++i)
        QVERIFY(write(dir.filePath(QStringLiteral("a.jsonl.%1").arg(i)), pieces[i]));
    const QString one = dir.filePath(QStringLiteral("one.out")), two = dir.filePath(QStringLiteral("two.out"));
    QVERIFY(!batch(dir.path(), one, {QStringLiteral("--threads"), QStringLiteral("1")}).is_null());
    QVERIFY(!batch(dir.path(), two, {QStringLiteral("--threads"), QStringLiteral("2")}).is_null());
    QCOMPARE(readAll(one), readAll(two));
}

// a part whose run names a file it did not analyse is refused: the merge reads only the parts' own inputs
void TestBatchSplit::partNamingAnotherFileRefused()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("s.jsonl"));
    QVERIFY(write(log, incidentStream()));
    const QString part = dir.filePath(QStringLiteral("part.json"));
    QCOMPARE(cli({QStringLiteral("--analyze"), QStringLiteral("--quiet"), QStringLiteral("--batch"), log,
                  QStringLiteral("--part"), QStringLiteral("--output"), part})
                 .exitCode,
             0);
    QByteArray text = readAll(part);
    const QByteArray facts = "{\"run_id\":\"run-exfil-0412\",\"agent_id\":\"etl-adhoc-2\",\"file\":\"" + log.toUtf8();
    QVERIFY(text.contains(facts));
    text.replace(facts, "{\"run_id\":\"run-exfil-0412\",\"agent_id\":\"etl-adhoc-2\",\"file\":\"/etc/passwd");
    const QString forged = dir.filePath(QStringLiteral("forged.json"));
    QVERIFY(write(forged, text));
    const Result r = cli({QStringLiteral("--merge-reports"), forged, QStringLiteral("--output"), dir.filePath(QStringLiteral("r.json"))});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.find("holds a run of /etc/passwd, which is not among its inputs") != std::string::npos, r.err.c_str());
}

// --policy-version is part of what the parts were analysed with: a merge without it does not join
void TestBatchSplit::policyVersionIsPartOfTheConfiguration()
{
    QTemporaryDir dir;
    const Rotated rotated = rotatedPart(dir, {QStringLiteral("--policy-version"),
                  QStringLiteral("v9")});
    QVERIFY(!rotated.part.isEmpty());
    const QString& part = rotated.part;
    const QString report = dir.filePath(QStringLiteral("r.json"));
    QCOMPARE(cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), report}).exitCode, 0);
    QCOMPARE(Json::parse(readAll(report).toStdString())["totals"]["runs_joined_across_files"].get<int>(), 0);
    QCOMPARE(cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), report, QStringLiteral("--policy-version"),
                  QStringLiteral("v8")})
                 .exitCode,
             1);
    QCOMPARE(cli({QStringLiteral("--merge-reports"), part, QStringLiteral("--output"), report, QStringLiteral("--policy-version"),
                  QStringLiteral("v9")})
                 .exitCode,
             0);
    QCOMPARE(Json::parse(readAll(report).toStdString())["totals"]["runs_joined_across_files"].get<int>(), 1);
}

QTEST_GUILESS_MAIN(TestBatchSplit)
#include "tst_batchsplit.moc"
