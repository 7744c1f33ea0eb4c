// Alerts of the live watch (replay/alerts), without delivery: alerts.yaml and
// its errors (each with its line, no secret's value in any), the values it
// sets, backoff, suppression windows, the payload of each channel against
// goldens (tests/golden/alerts/, RW_UPDATE_GOLDEN=1 rewrites them, a mismatch
// writes <name>.actual) and the spool. Delivery: tst_alertdelivery.
#include "replay/alerts/alertspool.h"
#include "replay/alerts/suppressor.h"
#include "tests/alerttestutil.h"

using namespace alerttest;

class TestAlerts : public QObject, public DeliveryFixture
{
    Q_OBJECT

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

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
