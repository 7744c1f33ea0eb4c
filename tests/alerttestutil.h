#pragma once

// What the alert suites share (tst_alerts, tst_alertdelivery): a test
// environment for env: references, alerts.yaml parsed against it, a sample
// anomaly record, goldens under tests/golden/alerts/, and a fixture that runs
// a dispatcher until the events a test waits for have come.
#include "replay/alerts/alertconfig.h"
#include "replay/alerts/alertdispatcher.h"
#include "replay/alerts/alertrecord.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace alerttest {

using namespace rw;
using namespace rw::alerts;


inline AlertEnvironment testEnvironment(const QString& home)
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

inline std::optional<AlertConfig> parse(const std::string& yaml, const QString& folder, std::vector<BundleDiagnostic>& diags,
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

inline std::string errors(const std::vector<BundleDiagnostic>& diags)
{
    std::string out;
    for (const BundleDiagnostic& d : diags)
        out += std::to_string(d.line) + ": " + d.message + "\n";
    return out;
}

inline AlertRecord record(const std::string& severity = "warn", const std::string& agent = "prod-triage-au-east",
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

inline void compareGolden(const QString& name, const QByteArray& actual)
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

// a dispatcher's events of a kind
inline int count(const std::vector<DeliveryEvent>& events, DeliveryEvent::Kind kind)
{
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const DeliveryEvent& e) { return e.kind == kind; }));
}


class DeliveryFixture
{
protected:
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

};

} // namespace alerttest
