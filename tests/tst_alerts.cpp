// Alerts of the live watch (replay/alerts): alerts.yaml, payloads against
// goldens (tests/golden/alerts/, RW_UPDATE_GOLDEN=1 rewrites them, a mismatch
// writes <name>.actual), suppression, backoff, the spool, and delivery to a
// loopback HTTP server this test runs (loopbackserver.h): 200, 500 then 200,
// no answer, connection refused then the next start, a refusal for good, a
// redirect, severity routing, PagerDuty's dedup key, the command and file
// channels, and no socket at all when no channel is a network one.
#include "replay/alerts/alertconfig.h"
#include "replay/alerts/alertdispatcher.h"
#include "replay/alerts/alertrecord.h"
#include "replay/alerts/alertspool.h"
#include "replay/alerts/suppressor.h"
#include "tests/loopbackserver.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>
#include <unistd.h>

using namespace rw;
using namespace rw::alerts;

namespace {

AlertEnvironment testEnvironment(const QString& home)
{
    AlertEnvironment env;
    env.variable = [](const std::string& name) -> std::optional<std::string> {
        static const std::map<std::string, std::string> kVars = {
            {"SOC_TOKEN", "Bearer s3cr3t-token"}, {"PD_KEY", "R0UT1NGK3Y"}, {"EMPTY", ""}};
        const auto it = kVars.find(name);
        return it == kVars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    env.home = home.toStdString();
    return env;
}

std::optional<AlertConfig> parse(const std::string& yaml, const QString& folder, std::vector<BundleDiagnostic>& diags,
                                 const std::map<std::string, std::string>& extraEnv = {})
{
    AlertEnvironment env = testEnvironment(folder);
    const auto base = env.variable;
    env.variable = [base, extraEnv](const std::string& name) -> std::optional<std::string> {
        if (const auto it = extraEnv.find(name); it != extraEnv.end())
            return it->second;
        return base(name);
    };
    return parseAlertConfig(yaml, folder.toStdString() + "/alerts.yaml", env, diags);
}

std::string errors(const std::vector<BundleDiagnostic>& diags)
{
    std::string out;
    for (const BundleDiagnostic& d : diags)
        out += std::to_string(d.line) + ": " + d.message + "\n";
    return out;
}

AlertRecord record(const std::string& severity = "warn", const std::string& agent = "prod-triage-au-east",
                   const std::string& time = "2026-03-05T14:22:14.005Z", const std::string& fingerprint =
                       "5b1f0c2a9e7d4c3b8a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b")
{
    AlertRecord r;
    nlohmann::ordered_json a = nlohmann::ordered_json::object();
    a["anomaly_id"] = "a-" + fingerprint.substr(0, 12);
    a["fingerprint"] = fingerprint;
    a["detector"] = "data_exfiltration";
    a["rule_id"] = "exfil.large-read-external";
    a["detector_version"] = 1;
    a["category"] = "Data exfiltration";
    a["severity"] = severity;
    a["score"] = 80;
    a["run_id"] = "run-c891f";
    a["agent_id"] = agent;
    a["step_index"] = 4;
    a["time"] = time;
    a["message"] = "Step 4: db.export read 2.1 MB then http.post to https://paste.example/u/<x>";
    a["witness"] = nlohmann::ordered_json::array({{{"file", "runs/run-c891f.jsonl"}, {"sha256", ""}, {"line", 6},
                                                   {"offset", 1532}, {"length", 410}, {"pointer", "/parameters/url"},
                                                   {"value", "https://paste.example/u/<x>"}}});
    a["context"] = {{"destination", "https://paste.example/u/<x>"}, {"read_bytes", 2100000}};
    r.anomaly = a;
    r.redactedMessage = "Data exfiltration (exfil.large-read-external) at step 4 of run-c891f";
    r.source = {"runs/run-c891f.jsonl", 6, 1532};
    return r;
}

void compareGolden(const QString& name, const QByteArray& actual)
{
    const QString path = QStringLiteral(RW_SOURCE_DIR "/tests/golden/alerts/") + name;
    if (qEnvironmentVariableIsSet("RW_UPDATE_GOLDEN")) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(actual);
        return;
    }
    QFile f(path);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(QStringLiteral("missing golden ") + path));
    const QByteArray expected = f.readAll();
    if (expected != actual) {
        QFile out(path + QStringLiteral(".actual"));
        if (out.open(QIODevice::WriteOnly))
            out.write(actual);
    }
    QCOMPARE(actual, expected);
}

int socketsOpen()
{
    // readlink of /proc/self/fd/N gives "socket:[inode]" for a socket
    int n = 0;
    QDir dir(QStringLiteral("/proc/self/fd"));
    for (const QString& entry : dir.entryList(QDir::System | QDir::Files | QDir::NoDotAndDotDot)) {
        char target[256] = {};
        const std::string link = "/proc/self/fd/" + entry.toStdString();
        const ssize_t len = ::readlink(link.c_str(), target, sizeof target - 1);
        if (len > 0 && std::string_view(target, static_cast<std::size_t>(len)).rfind("socket:", 0) == 0)
            ++n;
    }
    return n;
}

// a dispatcher's events of a kind
int count(const std::vector<DeliveryEvent>& events, DeliveryEvent::Kind kind)
{
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const DeliveryEvent& e) { return e.kind == kind; }));
}

} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::optional<AlertConfig> config(const std::string& channels, const std::string& rest = {})
    {
        std::vector<BundleDiagnostic> diags;
        const std::string yaml = "channels:\n" + channels + rest + "delivery: {retries: 2, backoff: 20ms..40ms, timeout: 400ms, spool: spool}\n";
        std::optional<AlertConfig> c = parse(yaml, m_dir.path(), diags);
        if (!c)
            qWarning("%s", errors(diags).c_str());
        return c;
    }

    void clearSpool()
    {
        QDir(m_dir.filePath(QStringLiteral("spool"))).removeRecursively();
    }

    int spooled(const QString& sub = {}) const
    {
        return static_cast<int>(QDir(m_dir.filePath(QStringLiteral("spool/") + sub)).entryList({QStringLiteral("*.alert")}, QDir::Files).size());
    }

    // runs a dispatcher until `until` holds (or 10 s), then finishes it
    std::vector<DeliveryEvent> deliver(const AlertConfig& c, const std::vector<AlertRecord>& records,
                                       const std::function<bool(const std::vector<DeliveryEvent>&)>& until,
                                       std::int64_t graceMs = 0, DeliveryTotals* totals = nullptr)
    {
        AlertDispatcher d(c);
        std::string error;
        if (!d.start(error))
            qWarning("%s", error.c_str());
        for (const AlertRecord& r : records)
            d.submit(r);
        std::vector<DeliveryEvent> events;
        QElapsedTimer t;
        t.start();
        while (!until(events) && t.elapsed() < 10000) {
            QTest::qWait(10);
            for (DeliveryEvent& e : d.takeEvents())
                events.push_back(std::move(e));
        }
        d.finish(graceMs);
        for (DeliveryEvent& e : d.takeEvents())
            events.push_back(std::move(e));
        if (totals)
            *totals = d.totals();
        return events;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cleanup() { clearSpool(); }

    void configErrors_data();
    void configErrors();
    void configValues();
    void backoff();
    void suppression();
    void payloadGoldens();
    void spoolRoundTrip();
    void webhookDelivered();
    void retriedAfterServerError();
    void noAnswerTimesOut();
    void refusedThenNextStart();
    void refusedForGood();
    void redirectNotFollowed();
    void severityRouting();
    void suppressedNotSent();
    void suppressionPerChannel();
    void finishWithAttemptUnderWay();
    void fixableRefusalKept();
    void pagerDutyDedupStable();
    void commandChannel();
    void fileChannelOpensNoSocket();
    void fileChannelRefusesLinks();
};

void TestAlerts::configErrors_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected"); // a piece of the first error, with its line

    QTest::newRow("no channels") << "suppress: []\n" << "1: the alerts file names no channel";
    QTest::newRow("unknown type") << "channels:\n  - {id: a, type: webhok, url: http://127.0.0.1/}\n"
                                  << "2: 'channels[0].type' must be webhook, slack, pagerduty, file or command, got 'webhok'; did you mean 'webhook'?";
    QTest::newRow("literal routing key") << "channels:\n  - {id: pd, type: pagerduty, routing_key: abc}\n"
                                         << "2: 'channels[0].routing_key' is a secret: write it as env:NAME";
    QTest::newRow("literal slack url") << "channels:\n  - {id: s, type: slack, url: \"https://hooks.slack.com/services/T/B/x\"}\n"
                                       << "2: 'channels[0].url' is a secret";
    QTest::newRow("literal auth header") << "channels:\n  - id: w\n    type: webhook\n    url: http://127.0.0.1:9/h\n    headers: {Authorization: Bearer x}\n"
                                         << "5: 'channels[0].headers.Authorization' is a secret";
    QTest::newRow("unset variable") << "channels:\n  - {id: pd, type: pagerduty, routing_key: env:NOT_SET_ANYWHERE}\n"
                                    << "2: 'channels[0].routing_key': the environment variable NOT_SET_ANYWHERE is not set";
    QTest::newRow("empty variable") << "channels:\n  - {id: pd, type: pagerduty, routing_key: env:EMPTY}\n"
                                    << "the environment variable EMPTY is not set";
    QTest::newRow("bad url") << "channels:\n  - {id: w, type: webhook, url: \"ftp://x/\"}\n"
                             << "2: 'channels[0].url': 'ftp://x/' is not an http:// or https:// URL";
    QTest::newRow("user in url") << "channels:\n  - {id: w, type: webhook, url: \"https://u:p@x/\"}\n"
                                 << "no user:password@";
    QTest::newRow("missing url") << "channels:\n  - {id: w, type: webhook}\n" << "2: 'channels[0]' (webhook) needs 'url'";
    QTest::newRow("key of another type") << "channels:\n  - {id: f, type: file, path: a.jsonl, url: \"http://x/\"}\n"
                                         << "'channels[0]': a file channel does not take 'url'";
    QTest::newRow("bad severity") << "channels:\n  - {id: f, type: file, path: a.jsonl, min_severity: crit}\n"
                                  << "2: 'channels[0].min_severity' must be info, warn or critical, got 'crit'";
    QTest::newRow("same id") << "channels:\n  - {id: f, type: file, path: a.jsonl}\n  - {id: f, type: file, path: b.jsonl}\n"
                             << "3: channel id 'f' is used twice";
    QTest::newRow("unknown field") << "channels:\n  - {id: f, type: file, path: a}\nsuppress:\n  - {fields: [detectr], for: 5m}\n"
                                   << "4: 'suppress[0].fields': 'detectr' is not a field of an anomaly record; did you mean 'detector'?";
    QTest::newRow("no window") << "channels:\n  - {id: f, type: file, path: a}\nsuppress:\n  - {fields: [detector]}\n"
                               << "4: 'suppress[0]' needs fields and for";
    QTest::newRow("backoff order") << "channels:\n  - {id: f, type: file, path: a}\ndelivery: {backoff: 60s..1s}\n"
                                   << "3: 'delivery.backoff': the longest wait is shorter than the first";
    QTest::newRow("too many retries") << "channels:\n  - {id: f, type: file, path: a}\ndelivery: {retries: 50}\n"
                                      << "3: 'delivery.retries' is at most 20";
    QTest::newRow("misspelt key") << "channels:\n  - {id: f, type: file, path: a, min_severty: critical}\n"
                                  << "2: unknown key 'min_severty' in channels[0]; did you mean 'min_severity'?";
    QTest::newRow("backoff too long") << "channels:\n  - {id: f, type: file, path: a}\ndelivery: {backoff: 1s..2000h}\n"
                                      << "the longest wait is at most 1h";
    QTest::newRow("literal password header") << "channels:\n  - id: w\n    type: webhook\n    url: http://127.0.0.1:9/h\n    headers: {X-Password: pw}\n"
                                             << "5: 'channels[0].headers.X-Password' is a secret";
    QTest::newRow("empty argv") << "channels:\n  - {id: c, type: command, argv: []}\n" << "2: 'channels[0].argv' is empty";
}

void TestAlerts::configErrors()
{
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    std::vector<BundleDiagnostic> diags;
    const std::optional<AlertConfig> c = parse(yaml.toStdString(), m_dir.path(), diags);
    QVERIFY(!c);
    const std::string all = errors(diags);
    QVERIFY2(all.find(expected.toStdString()) != std::string::npos, all.c_str());
    // a secret's value never appears in a message
    QVERIFY(all.find("s3cr3t") == std::string::npos && all.find("R0UT1NG") == std::string::npos);
}

void TestAlerts::configValues()
{
    std::vector<BundleDiagnostic> diags;
    const std::string yaml =
        "channels:\n"
        "  - {id: soc, type: webhook, url: \"http://127.0.0.1:9/hook\", min_severity: warn,\n"
        "     headers: {Authorization: \"env:SOC_TOKEN\", X-Source: replay}}\n"
        "  - {id: pd, type: pagerduty, routing_key: \"env:PD_KEY\", min_severity: critical}\n"
        "  - {id: local, type: file, path: out/alerts.jsonl, redact: {parameters: false}}\n"
        "  - {id: script, type: command, argv: [/bin/true, x]}\n"
        "suppress:\n  - {fields: [detector, agent_id, rule_id], for: 30m}\n"
        "delivery: {retries: 3, backoff: 500ms..10s, timeout: 2s, spool: ~/spool}\n"
        "redact: {parameters: true}\n";
    const std::optional<AlertConfig> c = parse(yaml, m_dir.path(), diags);
    QVERIFY2(c, errors(diags).c_str());
    QCOMPARE(c->channels.size(), std::size_t(4));
    const AlertChannel& soc = c->channels[0];
    QCOMPARE(soc.minSeverity, analysis::Severity::Warn);
    QCOMPARE(soc.headers.size(), std::size_t(2));
    QCOMPARE(soc.headers[0].second.value, std::string("Bearer s3cr3t-token"));
    QCOMPARE(soc.headers[0].second.shown, std::string("env:SOC_TOKEN"));
    QCOMPARE(soc.headers[1].second.shown, std::string("replay"));
    QVERIFY(soc.redact);
    const AlertChannel& pd = c->channels[1];
    QCOMPARE(pd.url.value, std::string("https://events.pagerduty.com/v2/enqueue")); // the public default
    QCOMPARE(pd.routingKey.value, std::string("R0UT1NGK3Y"));
    QCOMPARE(pd.routingKey.shown, std::string("env:PD_KEY"));
    QCOMPARE(c->channels[2].path, m_dir.path().toStdString() + "/out/alerts.jsonl"); // beside alerts.yaml
    QVERIFY(!c->channels[2].redact);
    QCOMPARE(c->channels[3].argv, (std::vector<std::string>{"/bin/true", "x"}));
    QCOMPARE(c->suppress.size(), std::size_t(1));
    QCOMPARE(c->suppress[0].windowMs, std::int64_t(30 * 60 * 1000));
    QCOMPARE(c->delivery.retries, 3);
    QCOMPARE(c->delivery.backoffMinMs, std::int64_t(500));
    QCOMPARE(c->delivery.backoffMaxMs, std::int64_t(10000));
    QCOMPARE(c->delivery.timeoutMs, std::int64_t(2000));
    QCOMPARE(c->delivery.spool, m_dir.path().toStdString() + "/spool"); // ~ is the environment's home
    QVERIFY(c->network());

    // without a spool: the user's state folder
    diags.clear();
    const std::optional<AlertConfig> d = parse("channels:\n  - {id: f, type: file, path: a.jsonl}\n", m_dir.path(), diags);
    QVERIFY(d);
    QCOMPARE(d->delivery.spool, m_dir.path().toStdString() + "/.local/state/replay-workbench/alert-spool");
    QVERIFY(!d->network());
}

void TestAlerts::backoff()
{
    QCOMPARE(backoffMs(1, 1000, 60000), std::int64_t(1000));
    QCOMPARE(backoffMs(2, 1000, 60000), std::int64_t(2000));
    QCOMPARE(backoffMs(5, 1000, 60000), std::int64_t(16000));
    QCOMPARE(backoffMs(7, 1000, 60000), std::int64_t(60000)); // 64 s capped
    QCOMPARE(backoffMs(40, 1000, 60000), std::int64_t(60000)); // no overflow
    QCOMPARE(backoffMs(1, 1000, 60000, 30000), std::int64_t(30000)); // Retry-After raises it
    QCOMPARE(backoffMs(1, 1000, 60000, 600000), std::int64_t(60000)); // never past the longest wait
}

void TestAlerts::suppression()
{
    Suppressor s({{{"detector", "agent_id"}, 30 * 60 * 1000}});
    QVERIFY(s.admit(record("warn", "a", "2026-03-05T14:00:00Z"), 0));
    QVERIFY(!s.admit(record("warn", "a", "2026-03-05T14:29:59Z"), 0)); // same detector and agent, in the window
    QVERIFY(s.admit(record("warn", "b", "2026-03-05T14:10:00Z"), 0));  // another agent
    QVERIFY(s.admit(record("warn", "a", "2026-03-05T14:30:00Z"), 0));  // the window has passed (event time)
    QVERIFY(!s.admit(record("warn", "a", "2026-03-05T14:31:00Z"), 0)); // a new window from 14:30
    QCOMPARE(s.suppressed(), std::size_t(2));
    // no time in the record: the caller's clock
    Suppressor t({{{"run_id"}, 1000}});
    QVERIFY(t.admit(record("warn", "a", ""), 5000));
    QVERIFY(!t.admit(record("warn", "a", ""), 5999));
    QVERIFY(t.admit(record("warn", "a", ""), 6000));
}

void TestAlerts::payloadGoldens()
{
    std::vector<BundleDiagnostic> diags;
    const std::optional<AlertConfig> c = parse(
        "channels:\n"
        "  - {id: soc, type: webhook, url: \"http://127.0.0.1:9/hook\", headers: {Authorization: \"env:SOC_TOKEN\"}}\n"
        "  - {id: full, type: webhook, url: \"http://127.0.0.1:9/hook\", redact: false}\n"
        "  - {id: slack, type: slack, url: \"env:SLACK_URL\"}\n"
        "  - {id: pd, type: pagerduty, routing_key: \"env:PD_KEY\"}\n",
        m_dir.path(), diags, {{"SLACK_URL", "http://127.0.0.1:9/slack"}});
    QVERIFY2(c, errors(diags).c_str());
    const AlertRecord r = record("critical");
    const char* names[] = {"webhook.json", "webhook-full.json", "slack.json", "pagerduty.json"};
    for (std::size_t i = 0; i < 4; ++i) {
        const AlertRequest req = alertRequest(c->channels[i], r);
        QVERIFY(nlohmann::json::accept(req.body));
        compareGolden(QString::fromLatin1(names[i]), QByteArray::fromStdString(nlohmann::ordered_json::parse(req.body).dump(2) + "\n"));
    }
    // redacted: no parameter value anywhere
    for (std::size_t i : {0u, 2u, 3u})
        QVERIFY(alertRequest(c->channels[i], r).body.find("paste.example") == std::string::npos);
    QVERIFY(alertRequest(c->channels[1], r).body.find("paste.example") != std::string::npos);
    QCOMPARE(pagerDutySeverity(analysis::Severity::Warn), "warning");
}

void TestAlerts::spoolRoundTrip()
{
    AlertSpool spool(m_dir.path().toStdString() + "/spool");
    std::string error;
    QVERIFY(spool.open(error));
    QVERIFY(spool.owner());
    const auto a = spool.put("soc", record("warn"), error);
    const auto b = spool.put("pd", record("critical"), error);
    QVERIFY(a && b);
    QVERIFY(*a < *b); // in order when sorted
    QFile junk(m_dir.filePath(QStringLiteral("spool/zz-junk.alert")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not json");
    junk.close();
    // a second watch on the same spool does not replay it
    AlertSpool other(m_dir.path().toStdString() + "/spool");
    QVERIFY(other.open(error));
    QVERIFY(!other.owner());
    std::vector<std::string> unreadable;
    const std::vector<AlertSpool::Entry> entries = spool.pending(unreadable);
    QCOMPARE(entries.size(), std::size_t(2));
    QCOMPARE(entries[0].channel, std::string("soc"));
    QCOMPARE(entries[1].record.anomaly, record("critical").anomaly);
    QCOMPARE(entries[1].record.source.offset, std::uint64_t(1532));
    QCOMPARE(unreadable, std::vector<std::string>{"zz-junk.alert"});
    QVERIFY(spool.reject(*a));
    QVERIFY(spool.remove(*b));
    QCOMPARE(spooled(QStringLiteral("rejected")), 1);
    QCOMPARE(QFileInfo(m_dir.filePath(QStringLiteral("spool"))).permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());
}

void TestAlerts::webhookDelivered()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    const std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") +
                                                "\", headers: {Authorization: \"env:SOC_TOKEN\"}}\n");
    QVERIFY(c);
    DeliveryTotals totals;
    const auto events = deliver(*c, {record()}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Sent) == 1; }, 0, &totals);
    QCOMPARE(count(events, DeliveryEvent::Kind::Sent), 1);
    QCOMPARE(server.requests().size(), std::size_t(1));
    const LoopbackServer::Request& req = server.requests().front();
    QCOMPARE(req.method, QByteArray("POST"));
    QCOMPARE(req.path, QByteArray("/hook"));
    QCOMPARE(req.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(req.headers.value("authorization"), QByteArray("Bearer s3cr3t-token"));
    QCOMPARE(req.body, QByteArray::fromStdString(alertRequest(c->channels[0], record()).body));
    // the request as the receiver saw it (but the User-Agent, which carries our version)
    QByteArray seen = req.method + " " + req.path + "\n";
    for (const char* h : {"content-type", "authorization", "content-length"})
        seen += QByteArray(h) + ": " + req.headers.value(h) + "\n";
    QVERIFY(req.headers.value("user-agent").startsWith("replay-workbench-alerts/"));
    seen += "\n" + QByteArray::fromStdString(nlohmann::ordered_json::parse(req.body.toStdString()).dump(2) + "\n");
    compareGolden(QStringLiteral("webhook-request.txt"), seen);
    QCOMPARE(totals.sent, std::size_t(1));
    QCOMPARE(spooled(), 0); // delivered: nothing waits
}

void TestAlerts::retriedAfterServerError()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    server.answer({500, 200});
    const std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") + "\"}\n");
    QVERIFY(c);
    const auto events = deliver(*c, {record()}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Sent) == 1; });
    QCOMPARE(server.requests().size(), std::size_t(2));
    QCOMPARE(server.requests()[0].body, server.requests()[1].body); // the same alert again
    QCOMPARE(count(events, DeliveryEvent::Kind::Retrying), 1);
    const DeliveryEvent& retry = events.front();
    QCOMPARE(retry.outcome.failure, Failure::HttpStatus);
    QCOMPARE(retry.outcome.httpStatus, 500);
    QCOMPARE(retry.waitMs, std::int64_t(20));
    QCOMPARE(events.back().kind, DeliveryEvent::Kind::Sent);
    QCOMPARE(events.back().attempt, 2);
    QCOMPARE(spooled(), 0);
}

void TestAlerts::noAnswerTimesOut()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    server.answer({LoopbackServer::kHang, LoopbackServer::kHang, LoopbackServer::kHang});
    const std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") + "\"}\n");
    QVERIFY(c);
    const auto events = deliver(*c, {record()}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Kept) == 1; });
    QCOMPARE(count(events, DeliveryEvent::Kind::Retrying), 2); // retries: 2
    QCOMPARE(events.front().outcome.failure, Failure::Timeout);
    QCOMPARE(count(events, DeliveryEvent::Kind::Kept), 1);
    QCOMPARE(spooled(), 1); // waits for the next start
}

void TestAlerts::refusedThenNextStart()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    const quint16 port = server.port();
    std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") + "\"}\n");
    server.close(); // nothing listens there now: refused
    QVERIFY(c);
    c->delivery.retries = 0;
    auto events = deliver(*c, {record()}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Kept) == 1; });
    QCOMPARE(events.back().outcome.failure, Failure::Refused);
    QCOMPARE(spooled(), 1);

    // the next start, the receiver back: the spooled alert goes first, and nothing is left
    QVERIFY(server.listen(port));
    DeliveryTotals totals;
    events = deliver(*c, {}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Sent) == 1; }, 0, &totals);
    QCOMPARE(count(events, DeliveryEvent::Kind::Replaying), 1);
    QCOMPARE(events.front().count, std::size_t(1));
    QCOMPARE(server.requests().size(), std::size_t(1));
    QCOMPARE(server.requests().front().body, QByteArray::fromStdString(alertRequest(c->channels[0], record()).body));
    QCOMPARE(totals.replayed, std::size_t(1));
    QCOMPARE(spooled(), 0);
}

void TestAlerts::refusedForGood()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    server.answer({400});
    const std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") + "\"}\n");
    QVERIFY(c);
    const auto events = deliver(*c, {record()}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Rejected) == 1; });
    QCOMPARE(server.requests().size(), std::size_t(1)); // not retried
    QCOMPARE(count(events, DeliveryEvent::Kind::Rejected), 1);
    QCOMPARE(spooled(), 0);
    QCOMPARE(spooled(QStringLiteral("rejected")), 1); // kept for a person, not replayed
}

void TestAlerts::redirectNotFollowed()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    server.answer({302});
    const std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") + "\"}\n");
    QVERIFY(c);
    const auto events = deliver(*c, {record()}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Rejected) == 1; });
    QCOMPARE(server.requests().size(), std::size_t(1));
    QCOMPARE(events.back().outcome.failure, Failure::Redirect);
}

void TestAlerts::severityRouting()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    const std::optional<AlertConfig> c =
        config("  - {id: page, type: webhook, url: \"" + server.url("/critical") + "\", min_severity: critical}\n"
               "  - {id: soc, type: webhook, url: \"" + server.url("/warn") + "\", min_severity: warn}\n");
    QVERIFY(c);
    const auto events = deliver(*c, {record("info", "a", "", std::string(64, '1')), record("warn", "a", "", std::string(64, '2')),
                                     record("critical", "a", "", std::string(64, '3'))},
                                [](const auto& e) { return count(e, DeliveryEvent::Kind::Sent) == 3; });
    QCOMPARE(count(events, DeliveryEvent::Kind::Sent), 3);
    std::multiset<std::string> got;
    for (const LoopbackServer::Request& r : server.requests())
        got.insert(r.path.toStdString() + " " + nlohmann::json::parse(r.body.toStdString())["severity"].get<std::string>());
    QCOMPARE(got, (std::multiset<std::string>{"/critical critical", "/warn critical", "/warn warn"}));
}

void TestAlerts::suppressedNotSent()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    const std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") + "\"}\n",
                                                "suppress:\n  - {fields: [detector, agent_id, rule_id], for: 30m}\n");
    QVERIFY(c);
    DeliveryTotals totals;
    deliver(*c, {record("warn", "a", "", std::string(64, '1')), record("warn", "a", "", std::string(64, '2'))},
            [](const auto& e) { return count(e, DeliveryEvent::Kind::Sent) == 1; }, 0, &totals);
    QTest::qWait(50);
    QCOMPARE(server.requests().size(), std::size_t(1));
    QCOMPARE(totals.suppressed, std::size_t(1));
    QCOMPARE(totals.sent, std::size_t(1));
}

// an info alert that only the file channel takes opens no window on the pager's channel
void TestAlerts::suppressionPerChannel()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    const std::optional<AlertConfig> c =
        config("  - {id: local, type: file, path: per-channel.jsonl}\n"
               "  - {id: page, type: webhook, url: \"" + server.url("/page") + "\", min_severity: critical}\n",
               "suppress:\n  - {fields: [detector, agent_id], for: 30m}\n");
    QVERIFY(c);
    DeliveryTotals totals;
    deliver(*c, {record("info", "a", "2026-03-05T14:00:00Z", std::string(64, '1')), record("critical", "a", "2026-03-05T14:10:00Z", std::string(64, '2'))},
            [](const auto& e) { return count(e, DeliveryEvent::Kind::Sent) == 2; }, 0, &totals);
    QCOMPARE(server.requests().size(), std::size_t(1)); // the critical one was paged
    QCOMPARE(totals.suppressed, std::size_t(1));         // and kept off the file channel, whose window was open
}

// Ctrl+C while a receiver has not answered: the attempt is ended, the alert waits in the spool
void TestAlerts::finishWithAttemptUnderWay()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    server.answer({LoopbackServer::kHang});
    std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") + "\"}\n");
    QVERIFY(c);
    c->delivery.timeoutMs = 60000;
    AlertDispatcher d(*c);
    std::string error;
    QVERIFY(d.start(error));
    d.submit(record());
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), std::size_t(1), 10000);
    d.finish(50);
    const std::vector<DeliveryEvent> events = d.takeEvents();
    QCOMPARE(count(events, DeliveryEvent::Kind::Kept), 1);
    QCOMPARE(events.back().outcome.failure, Failure::Stopped);
    QCOMPARE(spooled(), 1);
}

// a wrong token or route is fixed by a person: kept for the next start, not retried, not rejected
void TestAlerts::fixableRefusalKept()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    server.answer({401});
    const std::optional<AlertConfig> c = config("  - {id: soc, type: webhook, url: \"" + server.url("/hook") + "\"}\n");
    QVERIFY(c);
    const auto events = deliver(*c, {record()}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Kept) == 1; });
    QCOMPARE(server.requests().size(), std::size_t(1));
    QCOMPARE(events.back().outcome.httpStatus, 401);
    QCOMPARE(spooled(), 1);
    QCOMPARE(spooled(QStringLiteral("rejected")), 0);
}

void TestAlerts::pagerDutyDedupStable()
{
    LoopbackServer server;
    QVERIFY(server.listen());
    std::vector<BundleDiagnostic> diags;
    const std::optional<AlertConfig> c = parse("channels:\n  - {id: pd, type: pagerduty, routing_key: \"env:PD_KEY\", endpoint: \"" +
                                                   server.url("/v2/enqueue") + "\"}\ndelivery: {spool: spool}\n",
                                               m_dir.path(), diags);
    QVERIFY2(c, errors(diags).c_str());
    // two watches of the same anomaly (a re-analysis): the same incident
    for (int run = 0; run < 2; ++run)
        deliver(*c, {record("critical")}, [](const auto& e) { return count(e, DeliveryEvent::Kind::Sent) == 1; });
    QCOMPARE(server.requests().size(), std::size_t(2));
    const auto first = nlohmann::json::parse(server.requests()[0].body.toStdString());
    const auto second = nlohmann::json::parse(server.requests()[1].body.toStdString());
    QCOMPARE(first["dedup_key"], second["dedup_key"]);
    QCOMPARE(first["dedup_key"].get<std::string>(), record().fingerprint());
    QCOMPARE(first["routing_key"].get<std::string>(), std::string("R0UT1NGK3Y"));
    QCOMPARE(server.requests()[0].path, QByteArray("/v2/enqueue"));
    compareGolden(QStringLiteral("pagerduty.json"),
                  QByteArray::fromStdString(nlohmann::ordered_json::parse(server.requests()[0].body.toStdString()).dump(2) + "\n"));
}

void TestAlerts::commandChannel()
{
    const QString out = m_dir.filePath(QStringLiteral("command-out.jsonl"));
    const std::optional<AlertConfig> c =
        config("  - {id: script, type: command, argv: [/bin/sh, -c, \"cat >> '" + out.toStdString() + "'\"]}\n"
               "  - {id: failing, type: command, argv: [/bin/sh, -c, \"cat > /dev/null; exit 3\"]}\n"
               "  - {id: missing, type: command, argv: [/nonexistent/notify]}\n");
    QVERIFY(c);
    const auto events = deliver(*c, {record()}, [](const auto& e) {
        return count(e, DeliveryEvent::Kind::Sent) == 1 && count(e, DeliveryEvent::Kind::Kept) == 2;
    });
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray::fromStdString(alertRequest(c->channels[0], record()).body + "\n")); // the record on stdin
    int exit3 = 0, notStarted = 0;
    for (const DeliveryEvent& e : events) {
        exit3 += e.channel == "failing" && e.outcome.failure == Failure::ProgramFailed && e.outcome.exitCode == 3;
        notStarted += e.channel == "missing" && e.outcome.failure == Failure::NotStarted;
    }
    QCOMPARE(exit3, 3); // the first attempt and two retries
    QCOMPARE(notStarted, 3);
    QCOMPARE(spooled(), 2);
}

void TestAlerts::fileChannelOpensNoSocket()
{
    const int before = socketsOpen();
    const QString path = m_dir.filePath(QStringLiteral("alerts.jsonl"));
    const std::optional<AlertConfig> c = config("  - {id: local, type: file, path: alerts.jsonl}\n");
    QVERIFY(c);
    int most = before;
    std::vector<AlertRecord> records;
    for (int i = 0; i < 50; ++i)
        records.push_back(record("warn", "a", "", std::string(63, 'a') + char('0' + i % 10)));
    deliver(*c, records, [&](const auto& e) {
        most = std::max(most, socketsOpen());
        return count(e, DeliveryEvent::Kind::Sent) == 50;
    });
    QCOMPARE(most, before); // no socket, not even for a moment
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 51); // 50 lines and the empty rest after the last newline
    QCOMPARE(nlohmann::json::parse(lines[0].toStdString())["source"]["offset"].get<int>(), 1532);
    QCOMPARE(spooled(), 0);
}

// a symlink or a second name put at the file channel's path never leads the alerts into another file (an audit log)
void TestAlerts::fileChannelRefusesLinks()
{
    const QString evidence = m_dir.filePath(QStringLiteral("evidence.jsonl"));
    QFile e(evidence);
    QVERIFY(e.open(QIODevice::WriteOnly));
    e.write("{\"event\":\"x\"}\n");
    e.close();
    for (const bool hard : {false, true}) {
        const QString at = m_dir.filePath(QStringLiteral("linked.jsonl"));
        QFile::remove(at);
        QVERIFY(hard ? ::link(QFile::encodeName(evidence).constData(), QFile::encodeName(at).constData()) == 0
                     : QFile::link(evidence, at));
        const std::optional<AlertConfig> c = config("  - {id: local, type: file, path: linked.jsonl}\n");
        QVERIFY(c);
        const auto events = deliver(*c, {record()}, [](const auto& ev) { return count(ev, DeliveryEvent::Kind::Rejected) == 1; });
        QCOMPARE(count(events, DeliveryEvent::Kind::Rejected), 1);
        QCOMPARE(QFileInfo(evidence).size(), qint64(14)); // untouched
        clearSpool();
    }
}

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
