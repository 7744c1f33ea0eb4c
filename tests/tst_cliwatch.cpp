// The live watch (issue 14), in process as main() calls it: steps printed as
// they are appended (the seed's compact lines, full, JSON Lines), through a
// rotation, each exactly once; anomalies found with the step that shows them,
// the same ones post-run analysis finds; Ctrl+C saves the runs still open as
// partial traces with their source segments; a FIFO's end ends the watch;
// --agent filters; securight trace watch reads standard input by default.
#include "app/cli/interrupt.h"
#include "app/cli/securightoptions.h"
#include "replay/analysis/liveanalyzer.h"
#include "model/sourcefile.h"
#include "tests/batchtestutil.h"
#include "tests/watchtestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <functional>
#include <set>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace batchtest;
using namespace watchtest;
using Json = nlohmann::json;

namespace {

// a FIFO's writer that never blocks a test: opened without waiting (retried while no reader is there)
class FifoWriter
{
public:
    FifoWriter(const QString& path, QByteArray bytes, int holdMs)
        : m_thread([path, bytes = std::move(bytes), holdMs] {
              int fd = -1;
              for (int tries = 0; fd < 0 && tries < 500; ++tries) {
                  fd = ::open(path.toLocal8Bit().constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
                  if (fd < 0)
                      std::this_thread::sleep_for(std::chrono::milliseconds(10));
              }
              if (fd < 0)
                  return;
              ::fcntl(fd, F_SETFL, 0);
              (void)!::write(fd, bytes.constData(), static_cast<std::size_t>(bytes.size()));
              std::this_thread::sleep_for(std::chrono::milliseconds(holdMs));
              ::close(fd);
          })
    {
    }
    ~FifoWriter() { m_thread.join(); }

private:
    std::thread m_thread;
};

} // namespace

class TestCliWatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void seedCompactLines();
    void appendedAndRotatedOnce();
    void rotatedLinesNameTheirFile();
    void sameAnomaliesAsPostRun();
    void partialTraceSaved();
    void interceptorLogJson();
    void fifoEnds();
    void idleRunsEnd();
    void stoppedStreamAndBadLines();
    void hostileValues();
    void options_data();
    void options();
    void securightWatch();

private:
    QTemporaryDir m_data;
};

// a run left open by a test is saved here, never in the user's own folder
void TestCliWatch::initTestCase()
{
    QVERIFY(m_data.isValid());
    qputenv("XDG_DATA_HOME", m_data.path().toLocal8Bit());
}

// the seed's stream with its profile: the compact lines, escalation marked
void TestCliWatch::seedCompactLines()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("run.jsonl"));
    QVERIFY(QFile::copy(sample("run-c891f-stream.jsonl"), log));
    const Result r = watch({log, QStringLiteral("--from-start"), QStringLiteral("--quiet"), QStringLiteral("--profile"),
                            sample("analysis/analysis.yaml"), QStringLiteral("--agent"), QStringLiteral("prod-triage")},
                           {}, 300);
    QCOMPARE(r.exitCode, 0);
    const std::vector<std::string> lines = outLines(r.out);
    QCOMPARE(lines.size(), std::size_t{14});
    QCOMPARE(lines[0], std::string("Watching agent: prod-triage-au-east (run-c891f...)"));
    QCOMPARE(lines[1], std::string("14:22:02 [step 0] assess_alert metrics.query OK metrics:read"));
    QCOMPARE(lines[3], std::string("14:22:14 [step 2] restart_service service.restart OK ssh:exec:write,service:restart [ESCALATED]"));
    QCOMPARE(lines[7], std::string("14:22:26 [step 6] verify_recovery metrics.query FAILED metrics:read"));
    QCOMPARE(lines[13], std::string("Disconnected.")); // the run ended: nothing left to save
    // another agent's prefix: nothing of this run
    const Result other = watch({log, QStringLiteral("--from-start"), QStringLiteral("--quiet"), QStringLiteral("--agent"),
                                QStringLiteral("deploy")},
                               {}, 300);
    QCOMPARE(other.out, std::string("Disconnected.\n"));
}

// what is already there is not printed; what is appended is, once, also across a rotation
void TestCliWatch::appendedAndRotatedOnce()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("run.jsonl"));
    const QList<QByteArray> lines = linesOf(readAll(sample("run-c891f-stream.jsonl")));
    QByteArray first;
    for (int i = 0; i < 3; ++i)
        first += lines[i];
    QVERIFY(append(log, first));
    const Result r = watch({log, QStringLiteral("--poll-interval"), QStringLiteral("50"), QStringLiteral("--quiet"),
                            QStringLiteral("--save-partial"), dir.filePath(QStringLiteral("partial"))},
                           {{150, [&] { append(log, lines[3] + lines[4]); }},
                            {300,
                             [&] {
                                 append(log, lines[5]);
                                 QFile::rename(log, log + QStringLiteral(".1"));
                                 append(log, lines[6] + lines[7].left(40)); // the last one half written
                             }},
                            {450, [&] { append(log, lines[7].mid(40)); }}},
                           800);
    QCOMPARE(r.exitCode, 0);
    const std::vector<std::string> out = outLines(r.out);
    QVERIFY2(out.size() == 7, (r.out + r.err).c_str());
    QCOMPARE(out[0], std::string("Watching agent: prod-triage-au-east (run-c891f...)"));
    for (int k = 0; k < 5; ++k)
        QVERIFY2(out[static_cast<std::size_t>(k + 1)].find("[step " + std::to_string(k + 2) + "]") != std::string::npos,
                 r.out.c_str());
    QVERIFY2(out[6].rfind("Disconnected. Partial trace saved to: ", 0) == 0, out[6].c_str());
    // the partial trace: every step read (0..6), the two files it came from, each hashed
    const Json partial = Json::parse(readAll(dir.filePath(QStringLiteral("partial/run-c891f-partial.json"))).toStdString());
    QCOMPARE(partial["status"].get<std::string>(), std::string("partial"));
    QCOMPARE(partial["steps"].size(), std::size_t{7});
    QCOMPARE(partial["started_at"].get<std::string>(), std::string("2026-03-05T14:22:01.440Z"));
    const Json& segments = partial["partial"]["segments"];
    QCOMPARE(segments.size(), std::size_t{2});
    const QByteArray rotated = readAll(log + QStringLiteral(".1")), current = readAll(log);
    QCOMPARE(segments[0]["sha256"].get<std::string>(), rw::sha256Hex(rotated.toStdString()));
    QCOMPARE(segments[1]["sha256"].get<std::string>(), rw::sha256Hex(current.toStdString()));
    QCOMPARE(segments[1]["end"].get<std::uint64_t>(), static_cast<std::uint64_t>(current.size()));
}

// a line the writer still appends to the file rotated away is named by that file's new name,
// its offset one in that file; the new file's lines by the followed name
void TestCliWatch::rotatedLinesNameTheirFile()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("run.jsonl"));
    const QString old = log + QStringLiteral(".1");
    const QList<QByteArray> lines = linesOf(readAll(sample("run-c891f-stream.jsonl")));
    QVERIFY(append(log, lines[0] + lines[1]));
    const Result r = watch({log, QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--poll-interval"),
                            QStringLiteral("50"), QStringLiteral("--rotate-wait"), QStringLiteral("30"), QStringLiteral("--save-partial"),
                            dir.filePath(QStringLiteral("p"))},
                           {{150,
                             [&] {
                                 QFile::rename(log, old); // the writer has not reopened yet: it writes on in the old file
                                 append(old, lines[2]);
                             }},
                            {300, [&] { append(old, lines[3]); }},
                            {450, [&] { append(log, lines[4]); }}},
                           700);
    QCOMPARE(r.exitCode, 0);
    std::map<std::string, int> files;
    for (const std::string& line : outLines(r.out)) {
        const Json j = Json::parse(line);
        if (j["type"] != "step")
            continue;
        const std::string file = j["file"].get<std::string>();
        ++files[file];
        const QByteArray there = readAll(QString::fromStdString(file)).mid(static_cast<qsizetype>(j["offset"].get<std::uint64_t>()));
        const QByteArray expected = lines[static_cast<qsizetype>(j["step_index"].get<int>()) + 1];
        QVERIFY2(there.startsWith(expected.trimmed()), line.c_str());
    }
    QCOMPARE(files[old.toStdString()], 2); // steps 1 and 2: read from the file after its rename
    QCOMPARE(files[log.toStdString()], 1);
    QVERIFY2(r.out.find("renamed to " + old.toStdString()) != std::string::npos || r.err.find("renamed to") != std::string::npos,
             (r.out + r.err).c_str());
}

// the anomalies the watch finds are those post-run analysis finds in the same runs
void TestCliWatch::sameAnomaliesAsPostRun()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
    QVERIFY(append(log, incidentStream(false)));
    const QStringList config{QStringLiteral("--profile"), sample("analysis/analysis.yaml"), QStringLiteral("--behaviour"),
                             sample("analysis/behaviour")};
    const Result live = watch(QStringList{log, QStringLiteral("--from-start"), QStringLiteral("--format"), QStringLiteral("json"),
                                          QStringLiteral("--quiet")} + config,
                              {}, 300);
    QCOMPARE(live.exitCode, 0);
    std::multiset<std::string> seen;
    std::map<std::string, int> endedWith; // run -> anomalies its run_ended record counts
    for (const std::string& line : outLines(live.out)) {
        const Json j = Json::parse(line);
        if (j["type"] == "anomaly")
            seen.insert(j["anomaly"]["fingerprint"].get<std::string>() + " " + j["anomaly"]["severity"].get<std::string>());
        if (j["type"] == "run_ended")
            endedWith[j["run_id"].get<std::string>()] = j["anomalies"].get<int>();
    }
    const Result post = cli(QStringList{QStringLiteral("--analyze"), QStringLiteral("--audit-file"), log, QStringLiteral("--json"),
                                        QStringLiteral("--quiet")} + config);
    QCOMPARE(post.exitCode, 0);
    // every run completed: each of post-run's findings was printed (those only the summary at
    // run_completed shows, then, as late anomalies), and each run ended with post-run's findings
    std::multiset<std::string> expected;
    const Json postDoc = Json::parse(post.out);
    for (const Json& run : postDoc["runs"]) {
        for (const Json& a : run["anomalies"])
            expected.insert(a["fingerprint"].get<std::string>() + " " + a["severity"].get<std::string>());
        QCOMPARE(endedWith[run["run_id"].get<std::string>()], static_cast<int>(run["anomalies"].size()));
    }
    QVERIFY(!expected.empty());
    for (const std::string& e : expected)
        QVERIFY2(seen.count(e) == 1, e.c_str());
    // what a step alone suggested and the summary contradicts stays said (at most what live could not know)
    QVERIFY(seen.size() - expected.size() <= 1);
    bool critical = false;
    for (const std::string& s : seen)
        critical = critical || s.ends_with(" critical");
    QVERIFY(critical); // the exfiltration, found as its step was read
}

// Ctrl+C with a run open: saved, and said as the seed says it
void TestCliWatch::partialTraceSaved()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
    QVERIFY(append(log, incidentStream(true)));
    const QString folder = dir.filePath(QStringLiteral("saved"));
    const Result r = watch({log, QStringLiteral("--quiet"), QStringLiteral("--save-partial"), folder}, {}, 300);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.ends_with("Disconnected. Partial trace saved to: " + folder.toStdString() + "/run-deploy-0416-partial.json\n"),
             r.out.c_str());
    QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{QStringLiteral("run-deploy-0416-partial.json")});
    const Json partial = Json::parse(readAll(folder + QStringLiteral("/run-deploy-0416-partial.json")).toStdString());
    QCOMPARE(partial["run_id"].get<std::string>(), std::string("run-deploy-0416"));
    QCOMPARE(partial["steps"].size(), std::size_t{3});
    QVERIFY(!partial["steps"][0].contains("event"));
    QCOMPARE(partial["partial"]["segments"][0]["sha256"].get<std::string>(), rw::sha256Hex(readAll(log).toStdString()));
    // the saved run reads back as a run trace
    const Result again = cli({QStringLiteral("--analyze"), QStringLiteral("--audit-file"), folder + QStringLiteral("/run-deploy-0416-partial.json"),
                              QStringLiteral("--json"), QStringLiteral("--quiet")});
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(Json::parse(again.out)["runs"][0]["status"].get<std::string>(), std::string("partial"));
}

// an interceptor log: a step a decided plan, as JSON Lines; a rotation note as a record
void TestCliWatch::interceptorLogJson()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("audit.jsonl"));
    const QList<QByteArray> lines = linesOf(readAll(sample("finance-email-blocked.jsonl")));
    QVERIFY(append(log, lines[0]));
    const Result r = watch({log, QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--poll-interval"), QStringLiteral("50"),
                            QStringLiteral("--save-partial"), dir.filePath(QStringLiteral("p"))},
                           {{150,
                             [&] {
                                 for (int i = 1; i < lines.size(); ++i)
                                     append(log, lines[i]);
                             }}},
                           500);
    QCOMPARE(r.exitCode, 0);
    std::vector<std::string> decisions;
    std::vector<std::uint64_t> eventLines;
    for (const std::string& line : outLines(r.out)) {
        const Json j = Json::parse(line);
        if (j["type"] == "event") {
            // one record an appended event, as it arrives: its id and place at the top level
            const QByteArray text = lines[static_cast<qsizetype>(j["line"].get<std::uint64_t>() - 1)];
            QVERIFY(text.contains(QByteArray::fromStdString("\"event_id\": \"" + j["event_id"].get<std::string>() + "\"")));
            QVERIFY(readAll(log).mid(static_cast<qsizetype>(j["offset"].get<std::uint64_t>())).startsWith(text));
            QCOMPARE(j["trace_id"].get<std::string>(), std::string("fin-2026-03-05-invoice-7781"));
            eventLines.push_back(j["line"].get<std::uint64_t>());
        }
        if (j["type"] == "step") {
            QCOMPARE(j["trace_id"].get<std::string>(), std::string("fin-2026-03-05-invoice-7781"));
            QCOMPARE(j["file"].get<std::string>(), log.toStdString());
            decisions.push_back(j["status"].get<std::string>());
            // the offset is the line's in the file
            const QByteArray bytes = readAll(log).mid(static_cast<qsizetype>(j["offset"].get<std::uint64_t>()));
            QVERIFY(bytes.startsWith('{'));
        }
    }
    QCOMPARE(decisions, (std::vector<std::string>{"allowed", "blocked"}));
    // the appended ones (the first line was there before the watch): each once, in order
    QCOMPARE(eventLines, (std::vector<std::uint64_t>{2, 3, 4, 5, 6, 7, 8, 9, 10}));
    // --agent takes the agent's name as well as its id (ops_agent is agent-ops-001)
    const QString ops = dir.filePath(QStringLiteral("ops.jsonl"));
    QVERIFY(append(ops, readAll(sample("ops-restart-approval.jsonl"))));
    for (const char* prefix : {"ops_ag", "agent-ops"}) {
        const Result byAgent = watch({ops, QStringLiteral("--from-start"), QStringLiteral("--quiet"), QStringLiteral("--agent"),
                                      QLatin1String(prefix)},
                                     {}, 300);
        QVERIFY2(byAgent.out.find("Watching agent: agent-ops-001 (ops-restart-orders...)") != std::string::npos, byAgent.out.c_str());
    }
    // the trace ends with the watch (a run_partial record); its events are in the log: nothing saved
    QCOMPARE(r.err, std::string("Disconnected.\n")); // on stderr, since stdout is JSON Lines
    QVERIFY2(r.out.find("{\"type\":\"run_partial\",\"trace_id\":\"fin-2026-03-05-invoice-7781\"") != std::string::npos,
             r.out.c_str());
    QVERIFY(!QDir(dir.filePath(QStringLiteral("p"))).exists());
}

// a FIFO: the watch ends when its writer does
void TestCliWatch::fifoEnds()
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("fifo"));
    QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
    Result r;
    {
        const FifoWriter writer(fifo, readAll(sample("run-c891f-stream.jsonl")), 0);
        r = cli({QStringLiteral("--watch"), fifo, QStringLiteral("--quiet")});
    }
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.find("14:22:36 [step 11] summarise ssh.exec OK ssh:exec:read-only\n") != std::string::npos, r.out.c_str());
    // without a profile the baseline is what run_completed says was granted: its escalations come at the end
    QVERIFY2(r.out.find("At the end of run-c891f: [WARN] Step 2: Permission escalation") != std::string::npos, r.out.c_str());
    QVERIFY2(r.out.ends_with("\nEnd of input.\n"), r.out.c_str());
}

// an audit log's traces never end by themselves: idle ones are ended, so a long watch keeps no more than them
void TestCliWatch::idleRunsEnd()
{
    const auto rules = rw::analysis::defaultAnalysisRules();
    std::vector<std::string> ended;
    rw::analysis::LiveSink sink;
    sink.runEnded = [&](const rw::analysis::LiveRunInfo& run, const rw::analysis::RunAnalysis& result, bool partial) {
        QVERIFY(partial);
        QCOMPARE(result.steps, std::int64_t{2});
        ended.push_back(run.runId);
    };
    rw::analysis::LiveAnalyzer live(*rules, sink);
    std::vector<rw::analysis::LiveLine> lines;
    std::uint64_t offset = 0, number = 0;
    for (const QByteArray& l : linesOf(readAll(sample("finance-email-blocked.jsonl")))) {
        lines.push_back({l.chopped(1).toStdString(), offset, ++number});
        offset += static_cast<std::uint64_t>(l.size());
    }
    live.addLines(lines, "audit.jsonl");
    QCOMPARE(live.runsOpen(), std::size_t{1});
    live.closeIdle(60000);
    QCOMPARE(live.runsOpen(), std::size_t{1}); // not idle yet
    live.closeIdle(0);
    QCOMPARE(live.runsOpen(), std::size_t{0});
    QCOMPARE(ended, std::vector<std::string>{"fin-2026-03-05-invoice-7781"});
    QVERIFY(live.openRuns().empty());

    // by the log's own time: a log read faster than it was written keeps no more open than a live one
    rw::analysis::LiveSink quiet;
    std::vector<std::string> closed;
    quiet.runEnded = [&](const rw::analysis::LiveRunInfo& run, const rw::analysis::RunAnalysis&, bool) { closed.push_back(run.runId); };
    rw::analysis::LiveAnalyzer replay(*rules, quiet);
    replay.addLines(lines, "audit.jsonl"); // 14:02 on 2026-03-05
    replay.closeIdle(10 * 60 * 1000);
    QCOMPARE(replay.runsOpen(), std::size_t{1}); // nothing newer read yet
    std::vector<rw::analysis::LiveLine> later;
    for (const QByteArray& l : linesOf(readAll(sample("ops-restart-approval.jsonl")))) { // 15:40, the same day
        later.push_back({l.chopped(1).toStdString(), offset, ++number});
        offset += static_cast<std::uint64_t>(l.size());
    }
    replay.addLines(later, "audit.jsonl");
    replay.closeIdle(10 * 60 * 1000);
    QCOMPARE(closed, std::vector<std::string>{"fin-2026-03-05-invoice-7781"}); // idle for 98 minutes of the log
    QCOMPARE(replay.runsOpen(), std::size_t{1});                              // the ops trace goes on
}

// Ctrl+C on a stream still open says Disconnected; a bad first line loses nothing after it, and is said
void TestCliWatch::stoppedStreamAndBadLines()
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("fifo"));
    QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
    QByteArray stream = "not json at all\n" + readAll(sample("run-c891f-stream.jsonl"));
    // a status in run_started ends nothing: the run ends at run_completed
    stream.replace("\"event\": \"run_started\",", "\"event\": \"run_started\", \"status\": \"started\",");
    Result r;
    {
        // the writer keeps the FIFO open well past the stop, so that the stop, not its end, ends the watch
        const FifoWriter writer(fifo, stream, 4000);
        r = watch({fifo, QStringLiteral("--save-partial"), dir.filePath(QStringLiteral("p"))}, {}, 1500);
    }
    QCOMPARE(r.exitCode, 0);
    const std::vector<std::string> lines = outLines(r.out);
    QCOMPARE(lines.front(), std::string("Watching agent: prod-triage-au-east (run-c891f...)"));
    QCOMPARE(std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.find("[step ") != std::string::npos; }), 12);
    QCOMPARE(lines.back(), std::string("Disconnected.")); // stopped, not the end of the input; the run had ended
    QVERIFY2(r.err.find("Warning: " + fifo.toStdString() + ": line 1") != std::string::npos, r.err.c_str());
}

// values from the trace never reach the terminal raw, in JSON either; odd run ids make distinct file names
void TestCliWatch::hostileValues()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
    const std::string evil = "run-\u202e\u009b1m/../x";
    for (const char* id : {"run-\u202e\u009b1m/../x", "run-\u202e\u009b1m/../y"})
        QVERIFY(append(log, QByteArray("{\"event\":\"run_started\",\"run_id\":\"") + id +
                                "\",\"agent_id\":\"a\u202eb\",\"started_at\":\"2026-03-05T14:22:01Z\"}\n"
                                "{\"event\":\"step\",\"run_id\":\"" + id +
                                "\",\"step_index\":0,\"action\":\"x\u001b[2J\",\"tool_call\":{\"tool\":\"t\",\"parameters\":{}},"
                                "\"permissions_used\":[],\"timestamp\":\"2026-03-05T14:22:02Z\"}\n"));
    const QString folder = dir.filePath(QStringLiteral("p"));
    const Result text = watch({log, QStringLiteral("--from-start"), QStringLiteral("--quiet"), QStringLiteral("--save-partial"), folder}, {}, 300);
    QVERIFY2(text.out.find('\x1b') == std::string::npos && text.out.find("\xe2\x80\xae") == std::string::npos, text.out.c_str());
    QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 2); // two runs, two files, inside the folder
    const Result json = watch({log, QStringLiteral("--from-start"), QStringLiteral("--quiet"), QStringLiteral("--format"), QStringLiteral("json"),
                               QStringLiteral("--save-partial"), folder},
                              {}, 300);
    QVERIFY2(json.out.find('\x1b') == std::string::npos && json.out.find("\xc2\x9b") == std::string::npos &&
                 json.out.find("\\u202e") != std::string::npos,
             json.out.c_str());
    QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 4); // the earlier session's files kept
}

void TestCliWatch::options_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("bad format") << QStringLiteral("--watch x --format loud") << QStringLiteral("--format takes compact, full or json");
    QTest::newRow("with batch") << QStringLiteral("--watch x --batch d --output r") << QStringLiteral("--watch does not take --batch");
    QTest::newRow("with json") << QStringLiteral("--watch x --json") << QStringLiteral("--watch does not take --json");
    QTest::newRow("poll too fast") << QStringLiteral("--watch x --poll-interval 1") << QStringLiteral("--poll-interval takes milliseconds");
    QTest::newRow("rotate wait too long") << QStringLiteral("--watch x --rotate-wait 9000") << QStringLiteral("--rotate-wait takes seconds from 0 to 3600");
    QTest::newRow("rotate wait not a number") << QStringLiteral("--watch x --rotate-wait 5s") << QStringLiteral("--rotate-wait takes seconds");
    QTest::newRow("rotate wait with analyze") << QStringLiteral("--analyze --batch d --output r --rotate-wait 5") << QStringLiteral("--rotate-wait");
    QTest::newRow("fine") << QStringLiteral("--watch - --agent prod --format full --from-start --save-partial d --poll-interval 100 --rotate-wait 30")
                          << QString();
}

void TestCliWatch::options()
{
    QFETCH(QString, args);
    QFETCH(QString, error);
    std::vector<std::string> words;
    for (const QString& w : args.split(QLatin1Char(' ')))
        words.push_back(w.toStdString());
    const rw::CliParse p = rw::parseCli(words);
    QVERIFY2(QString::fromStdString(p.error).contains(error) && p.error.empty() == error.isEmpty(), p.error.c_str());
    if (error.isEmpty()) {
        QCOMPARE(p.options.action, rw::CliAction::Watch);
        QCOMPARE(p.options.watch, std::string("-"));
        QCOMPARE(p.options.pollMs, 100u);
        QCOMPARE(p.options.rotateWaitS, 30u);
    }
}

// the seed's command: securight trace watch --agent prod-triage --format compact
void TestCliWatch::securightWatch()
{
    const rw::SecurightParse p = rw::parseSecuright({"trace", "watch", "--agent", "prod-triage", "--format", "compact"});
    QCOMPARE(p.command, rw::SecurightCommand::Watch);
    QCOMPARE(p.options.watch, std::string("-"));
    QVERIFY(!p.sourceGiven);
    QCOMPARE(p.options.agent, std::string("prod-triage"));
    const rw::SecurightParse file = rw::parseSecuright({"trace", "watch", "run.jsonl", "--from-start"});
    QCOMPARE(file.options.watch, std::string("run.jsonl"));
    QVERIFY(file.discover && file.options.fromStart);
    QVERIFY(p.discover); // standard input too: beside it (here), then the user's configuration
    QCOMPARE(rw::parseSecuright({"trace", "watch", "a", "b"}).command, rw::SecurightCommand::UsageError);
}

QTEST_GUILESS_MAIN(TestCliWatch)
#include "tst_cliwatch.moc"
