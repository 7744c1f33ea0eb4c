// Alert delivery (replay/alerts) to a loopback HTTP receiver this test runs
// (loopbackserver.h) and to the file and command channels: 200 (request
// against a golden), 500 then 200, no answer, connection refused then the next
// start, a refusal for good, a wrong token kept, a redirect not followed,
// severity routing, suppression (per channel), PagerDuty's dedup key, the
// watch ending with an attempt under way, links at a file channel's path, and
// no socket at all when no channel is a network one.
#include "tests/alerttestutil.h"
#include "tests/loopbackserver.h"

#include <set>

using namespace alerttest;

class TestAlertDelivery : public QObject, public DeliveryFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cleanup() { clearSpool(); }

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

void TestAlertDelivery::webhookDelivered()
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

void TestAlertDelivery::retriedAfterServerError()
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

void TestAlertDelivery::noAnswerTimesOut()
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

void TestAlertDelivery::refusedThenNextStart()
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

void TestAlertDelivery::refusedForGood()
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

void TestAlertDelivery::redirectNotFollowed()
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

void TestAlertDelivery::severityRouting()
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

void TestAlertDelivery::suppressedNotSent()
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
void TestAlertDelivery::suppressionPerChannel()
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
void TestAlertDelivery::finishWithAttemptUnderWay()
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
void TestAlertDelivery::fixableRefusalKept()
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

void TestAlertDelivery::pagerDutyDedupStable()
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

void TestAlertDelivery::commandChannel()
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

void TestAlertDelivery::fileChannelOpensNoSocket()
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
void TestAlertDelivery::fileChannelRefusesLinks()
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

QTEST_GUILESS_MAIN(TestAlertDelivery)
#include "tst_alertdelivery.moc"
