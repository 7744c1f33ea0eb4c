// The watch's alerts end to end (issue 14), in process as main() calls it:
// every anomaly the watch prints is alerted once, with the fingerprint
// post-run analysis gives it (the PagerDuty dedup key stays put across a
// re-analysis); a webhook on loopback gets the warn-and-above ones with the
// header its env: reference names, whose value is never printed; no socket is
// opened by a watch without a network channel; a file channel that would
// write the watched source is refused; --check-alerts lists the file.
#include "app/cli/interrupt.h"
#include "tests/batchtestutil.h"
#include "tests/loopbackserver.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <set>
#include <tuple>

#include <unistd.h>

using namespace batchtest;
using Json = nlohmann::json;

namespace {

bool write(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// the watch in process, stopped (Ctrl+C) after `stopAfterMs`; the most sockets open meanwhile in `sockets`
Result watch(const QStringList& args, int stopAfterMs, int* sockets = nullptr)
{
    QTimer sampler;
    if (sockets) {
        *sockets = socketsOpen();
        QObject::connect(&sampler, &QTimer::timeout, [sockets] { *sockets = std::max(*sockets, socketsOpen()); });
        sampler.start(5);
    }
    QTimer::singleShot(stopAfterMs, [] { rw::InterruptScope::request(); });
    return cli(QStringList{QStringLiteral("--watch")} + args);
}

std::vector<Json> jsonLines(const QByteArray& bytes)
{
    std::vector<Json> out;
    for (const QByteArray& l : bytes.split('\n'))
        if (!l.isEmpty())
            out.push_back(Json::parse(l.toStdString()));
    return out;
}

} // namespace

class TestCliAlerts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QStringList m_config;

private Q_SLOTS:
    void initTestCase();
    void everyAnomalyOnceAsPostRun();
    void noSocketWithoutNetworkChannel(); // before any test loads the HTTP module into this process
    void webhookOnLoopback();
    void moduleMissingThenFound();
    void sourceNeverWritten();
    void checkAlerts();
    void options();
};

void TestCliAlerts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toLocal8Bit());
    qputenv("XDG_STATE_HOME", m_dir.filePath(QStringLiteral("state")).toLocal8Bit());
    qputenv("RW_TEST_SOC_TOKEN", "Bearer t0p-s3cret");
    m_config = {QStringLiteral("--profile"), sample("analysis/analysis.yaml"), QStringLiteral("--behaviour"), sample("analysis/behaviour")};
}

// the file channel (the air-gapped default) gets each anomaly the watch
// prints, once; their fingerprints are post-run analysis's
void TestCliAlerts::everyAnomalyOnceAsPostRun()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
    const QString alerts = dir.filePath(QStringLiteral("alerts.yaml"));
    QVERIFY(write(log, incidentStream()));
    QVERIFY(write(alerts, "channels:\n  - {id: local, type: file, path: out/alerts.jsonl}\ndelivery: {spool: spool}\n"));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("out")));
    const Result live = watch(QStringList{log, QStringLiteral("--from-start"), QStringLiteral("--format"), QStringLiteral("json"),
                                          QStringLiteral("--alerts"), alerts} + m_config,
                              1500);
    QCOMPARE(live.exitCode, 0);
    std::multiset<std::string> printed;
    for (const Json& j : jsonLines(QByteArray::fromStdString(live.out)))
        if (j["type"] == "anomaly")
            printed.insert(j["anomaly"]["fingerprint"].get<std::string>());
    std::multiset<std::string> alerted;
    const std::vector<Json> lines = jsonLines(readAll(dir.filePath(QStringLiteral("out/alerts.jsonl"))));
    for (const Json& j : lines) {
        alerted.insert(j["fingerprint"].get<std::string>());
        QVERIFY(j["redacted"].get<bool>());
        QVERIFY(!j.contains("context"));
        QVERIFY(j["source"]["file"].get<std::string>().ends_with("runs.jsonl"));
        QVERIFY(j["source"]["line"].get<int>() > 0);
    }
    QVERIFY(!alerted.empty());
    QCOMPARE(alerted, printed);
    QVERIFY2(live.err.find("Alerts: " + std::to_string(lines.size()) + " sent") != std::string::npos, live.err.c_str());

    // a re-analysis after the fact: the same fingerprints (the dedup keys), every one alerted once
    const Result post = cli(QStringList{QStringLiteral("--analyze"), QStringLiteral("--audit-file"), log, QStringLiteral("--json"),
                                        QStringLiteral("--quiet")} + m_config);
    QCOMPARE(post.exitCode, 0);
    std::size_t expected = 0;
    const Json postDoc = Json::parse(post.out);
    for (const Json& run : postDoc["runs"])
        for (const Json& a : run["anomalies"]) {
            ++expected;
            QVERIFY2(alerted.count(a["fingerprint"].get<std::string>()) == 1, a["fingerprint"].get<std::string>().c_str());
        }
    QVERIFY(alerted.size() - expected <= 1); // what a step alone suggested and the summary contradicted
    QCOMPARE(QDir(dir.filePath(QStringLiteral("spool"))).entryList({QStringLiteral("*.alert")}, QDir::Files).size(), 0);
}

// warn and above to a webhook: each request carries the resolved header; the secret is never printed
void TestCliAlerts::webhookOnLoopback()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
    const QString alerts = dir.filePath(QStringLiteral("alerts.yaml"));
    QVERIFY(write(log, incidentStream()));
    QVERIFY(write(alerts, QByteArray("channels:\n  - {id: soc, type: webhook, url: \"") + server.url("/hook").c_str() +
                              "\", min_severity: warn, headers: {Authorization: \"env:RW_TEST_SOC_TOKEN\"}}\n"
                              "delivery: {spool: spool, timeout: 2s}\n"));
    const Result live = watch(QStringList{log, QStringLiteral("--from-start"), QStringLiteral("--format"), QStringLiteral("full"),
                                          QStringLiteral("--alerts"), alerts} + m_config,
                              2000);
    QCOMPARE(live.exitCode, 0);
    QVERIFY(!server.requests().empty());
    std::set<std::string> severities;
    for (const LoopbackServer::Request& r : server.requests()) {
        QCOMPARE(r.headers.value("authorization"), QByteArray("Bearer t0p-s3cret"));
        severities.insert(Json::parse(r.body.toStdString())["severity"].get<std::string>());
    }
    QVERIFY(!severities.count("info"));
    QVERIFY2(live.err.find("Alerts: " + std::to_string(server.requests().size()) + " sent") != std::string::npos, live.err.c_str());
    QVERIFY(live.out.find("t0p-s3cret") == std::string::npos && live.err.find("t0p-s3cret") == std::string::npos);
    const Result check = cli({QStringLiteral("--check-alerts"), alerts});
    QCOMPARE(check.exitCode, 0);
    QVERIFY2(check.out.find("header Authorization: env:RW_TEST_SOC_TOKEN") != std::string::npos, check.out.c_str());
    QVERIFY(check.out.find("t0p-s3cret") == std::string::npos);
}

// a forensic workstation opens no socket it was not told to: a watch alone, or with a file channel
void TestCliAlerts::noSocketWithoutNetworkChannel()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
    const QString alerts = dir.filePath(QStringLiteral("alerts.yaml"));
    QVERIFY(write(log, incidentStream()));
    QVERIFY(write(alerts, "channels:\n  - {id: local, type: file, path: alerts.jsonl}\n"
                          "  - {id: script, type: command, argv: [/bin/sh, -c, \"cat > /dev/null\"]}\n"
                          "delivery: {spool: spool}\n"));
    for (const bool withAlerts : {false, true}) {
        int before = 0;
        QStringList args{log, QStringLiteral("--from-start"), QStringLiteral("--quiet")};
        if (withAlerts)
            args << QStringLiteral("--alerts") << alerts;
        before = socketsOpen();
        int most = 0;
        const Result r = watch(args + m_config, 800, &most);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(most, before);
    }
    // the HTTP module (and with it Qt Network) was never loaded
    QVERIFY(!readAll(QStringLiteral("/proc/self/maps")).contains("rw-alert-http"));
    QVERIFY(!readAll(dir.filePath(QStringLiteral("alerts.jsonl"))).isEmpty());
}

// a file channel onto the watched file, or into the watched folder (also
// through a symlinked folder): refused before anything is read
void TestCliAlerts::sourceNeverWritten()
{
    QTemporaryDir dir, other;
    const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
    QVERIFY(write(log, incidentStream()));
    const QByteArray before = readAll(log);
    const QString onFile = other.filePath(QStringLiteral("onfile.yaml"));
    QVERIFY(write(onFile, "channels:\n  - {id: local, type: file, path: " + log.toUtf8() + "}\n"));
    Result r = watch({log, QStringLiteral("--alerts"), onFile}, 300);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.find("alert channel 'local' would write into what is watched") != std::string::npos, r.err.c_str());
    // the folder: anything inside it, a name the glob takes or not, a file there or not yet
    for (const char* name : {"new-alerts.jsonl", "alerts.txt"}) {
        const QString inFolder = other.filePath(QStringLiteral("infolder.yaml"));
        QVERIFY(write(inFolder, "channels:\n  - {id: local, type: file, path: " + dir.filePath(QLatin1String(name)).toUtf8() + "}\n"));
        r = watch({dir.path(), QStringLiteral("--alerts"), inFolder}, 300);
        QCOMPARE(r.exitCode, 2);
    }
    // through a symlink to the watched folder, for a file not there yet
    const QString link = other.filePath(QStringLiteral("link"));
    QVERIFY(QFile::link(dir.path(), link));
    const QString viaLink = other.filePath(QStringLiteral("vialink.yaml"));
    QVERIFY(write(viaLink, "channels:\n  - {id: local, type: file, path: link/later.jsonl}\n"));
    r = watch({dir.path(), QStringLiteral("--alerts"), viaLink}, 300);
    QCOMPARE(r.exitCode, 2);
    // nor the spool
    const QString spoolIn = other.filePath(QStringLiteral("spoolin.yaml"));
    QVERIFY(write(spoolIn, "channels:\n  - {id: local, type: file, path: a.jsonl}\ndelivery: {spool: " + dir.filePath(QStringLiteral("spool")).toUtf8() + "}\n"));
    r = watch({dir.path(), QStringLiteral("--alerts"), spoolIn}, 300);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.find("the alert spool") != std::string::npos, r.err.c_str());
    // outside it: fine
    const QString beside = other.filePath(QStringLiteral("beside.yaml"));
    QVERIFY(write(beside, "channels:\n  - {id: local, type: file, path: alerts.jsonl}\ndelivery: {spool: spool}\n"));
    r = watch({dir.path(), QStringLiteral("--alerts"), beside, QStringLiteral("--quiet")}, 300);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(readAll(log), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // nothing written beside the log
}

// The CLI as a process: without its HTTP module the alert waits in the spool
// (said so); the next watch, finding the module next to the executable, sends it first
void TestCliAlerts::moduleMissingThenFound()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    QTemporaryDir dir;
    const QString alerts = dir.filePath(QStringLiteral("alerts.yaml"));
    QVERIFY(write(alerts, QByteArray("channels:\n  - {id: soc, type: webhook, url: \"") + server.url("/hook").c_str() +
                              "\", min_severity: warn}\ndelivery: {spool: spool}\n"));
    const auto run = [&](const QString& module, const QByteArray& input) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("RW_ALERT_HTTP"));
        if (!module.isEmpty())
            env.insert(QStringLiteral("RW_ALERT_HTTP"), module);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(RW_CLI_PATH), {QStringLiteral("--watch"), QStringLiteral("-"), QStringLiteral("--alerts"), alerts});
        p.write(input);
        p.closeWriteChannel();
        // the receiver answers from this thread's event loop while the watch runs
        for (int waited = 0; p.state() != QProcess::NotRunning && waited < 60000; waited += 20)
            QTest::qWait(20);
        return std::make_pair(p.exitCode(), p.readAllStandardError());
    };
    auto [code, err] = run(dir.filePath(QStringLiteral("no-such-module.so")), readAll(sample("run-c891f-stream.jsonl")));
    QCOMPARE(code, 0);
    QVERIFY2(err.contains("not delivered (the HTTP module rw-alert-http.so is missing or could not be loaded: not found (looked at "),
             err.constData());
    QVERIFY2(err.contains("): kept in the spool for the next start"), err.constData());
    QVERIFY2(!err.contains("again in"), err.constData()); // not retried: the module would be missing again
    QVERIFY(server.requests().empty());
    const int waiting = QDir(dir.filePath(QStringLiteral("spool"))).entryList({QStringLiteral("*.alert")}, QDir::Files).size();
    QVERIFY(waiting > 0);
    std::tie(code, err) = run(QString(), QByteArray());
    QCOMPARE(code, 0);
    QVERIFY2(err.contains("left in the spool by an earlier watch"), err.constData());
    QCOMPARE(static_cast<int>(server.requests().size()), waiting);
    QCOMPARE(QDir(dir.filePath(QStringLiteral("spool"))).entryList({QStringLiteral("*.alert")}, QDir::Files).size(), 0);
}

void TestCliAlerts::checkAlerts()
{
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.yaml"));
    QVERIFY(write(bad, "channels:\n  - {id: pd, type: pagerduty, routing_key: R0UT1NG}\n"));
    Result r = cli({QStringLiteral("--check-alerts"), bad});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.find("bad.yaml:2:") != std::string::npos && r.out.find("is a secret") != std::string::npos, r.out.c_str());
    // a watch with it does not start
    r = cli({QStringLiteral("--watch"), QStringLiteral("-"), QStringLiteral("--alerts"), bad});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.find("Error: the alerts file is not valid") != std::string::npos, r.err.c_str());
    const QString good = dir.filePath(QStringLiteral("good.yaml"));
    QVERIFY(write(good, "channels:\n  - {id: local, type: file, path: a.jsonl, min_severity: warn}\n"
                        "suppress:\n  - {fields: [detector, agent_id], for: 30m}\n"));
    r = cli({QStringLiteral("--check-alerts"), good});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.find("  local  file  from warn  ") != std::string::npos, r.out.c_str());
    QVERIFY2(r.out.find("Suppress: the same detector, agent_id within 30 min is sent once") != std::string::npos, r.out.c_str());
    QVERIFY2(r.out.find("Network: none") != std::string::npos, r.out.c_str());
}

void TestCliAlerts::options()
{
    QCOMPARE(rw::parseCli({"--list", "--audit-file", "a", "--alerts", "x.yaml"}).error,
             std::string("--alerts goes with --watch (or check the file with --check-alerts)"));
    QCOMPARE(rw::parseCli({"--check-alerts", "x.yaml", "--json"}).error, std::string("--check-alerts does not take --json"));
    QCOMPARE(rw::parseCli({"--watch", "-", "--capabilities", "c.yaml"}).error, std::string("--capabilities goes with --policy"));
    const rw::CliParse p = rw::parseCli({"--watch", "-", "--alerts", "a.yaml"});
    QVERIFY2(p.error.empty(), p.error.c_str());
    QCOMPARE(p.options.alerts, std::string("a.yaml"));
}

QTEST_GUILESS_MAIN(TestCliAlerts)
#include "tst_clialerts.moc"
