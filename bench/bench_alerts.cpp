// Alert delivery benchmark (issue 14): the latency from an anomaly handed to
// delivery to its alert taken by the channel (p50, p99), for the file channel
// (spool write, append, fdatasync, spool removal) and a webhook on a loopback
// HTTP receiver, at 100 and 1,000 alerts a second; as a ratio to the same
// run's baseline, one fdatasync'd append of the same bytes to a file.
//   RW_ALERT_HTTP=build/release/app/rw-alert-http.so bench_alerts
#include "replay/alerts/alertconfig.h"
#include "replay/alerts/alertdispatcher.h"
#include "tests/loopbackserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <thread>
#include <unistd.h>

using Clock = std::chrono::steady_clock;
using namespace rw::alerts;

namespace {

AlertRecord record(int i)
{
    AlertRecord r;
    char fp[65];
    std::snprintf(fp, sizeof fp, "%064d", i);
    r.anomaly = {{"anomaly_id", std::string("a-") + std::string(fp).substr(52)}, {"fingerprint", fp}, {"detector", "permission_escalation"},
                 {"rule_id", "escalation.not-in-baseline"}, {"category", "Permission escalation"}, {"severity", "warn"},
                 {"run_id", "run-" + std::to_string(i)}, {"agent_id", "bench"}, {"step_index", 2}, {"time", ""},
                 {"message", "Step 2: Permission escalation"}, {"witness", nlohmann::ordered_json::array()}};
    r.redactedMessage = "Permission escalation (escalation.not-in-baseline) at step 2";
    r.source = {"bench.jsonl", static_cast<std::uint64_t>(i + 1), static_cast<std::uint64_t>(i) * 500};
    return r;
}

struct Figures
{
    double p50 = 0, p99 = 0;
};

Figures percentiles(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    if (ms.empty())
        return {};
    return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

// `count` alerts at `rate` a second through a dispatcher; each one's time from submit to Sent
Figures deliver(const AlertConfig& config, int rate, int count)
{
    AlertDispatcher d(config);
    std::string error;
    if (!d.start(error)) {
        std::fprintf(stderr, "spool: %s\n", error.c_str());
        return {};
    }
    std::map<std::string, Clock::time_point> submitted;
    std::vector<double> ms;
    const auto t0 = Clock::now();
    int next = 0;
    while (static_cast<int>(ms.size()) < count && Clock::now() - t0 < std::chrono::seconds(60)) {
        const auto due = [&] { return t0 + std::chrono::microseconds(1000000LL * next / rate); };
        while (next < count && Clock::now() >= due()) {
            const AlertRecord r = record(next++);
            submitted[r.fingerprint()] = Clock::now();
            d.submit(r);
        }
        QCoreApplication::processEvents(); // the loopback receiver answers from this thread (a benchmark, not the GUI)
        for (const DeliveryEvent& e : d.takeEvents())
            if (e.kind == DeliveryEvent::Kind::Sent)
                ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - submitted[e.fingerprint]).count());
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    d.finish(0);
    return percentiles(ms);
}

// the floor: one append of a payload's size, made durable
Figures baseline(const QString& dir, int count)
{
    const std::string path = dir.toStdString() + "/baseline.jsonl";
    const std::string line(420, 'x');
    std::vector<double> ms;
    for (int i = 0; i < count; ++i) {
        const auto t = Clock::now();
        const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || ::write(fd, line.data(), line.size()) < 0 || ::fdatasync(fd) != 0)
            return {};
        ::close(fd);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    }
    return percentiles(ms);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    LoopbackServer server;
    if (!dir.isValid() || !server.listen())
        return 1;
    const Figures floor = baseline(dir.path(), 500);
    std::printf("baseline: one fdatasync'd append  p50 %6.2f ms, p99 %6.2f ms\n", floor.p50, floor.p99);
    for (const char* channel : {"file", "webhook"}) {
        for (const auto& [rate, count] : {std::pair{100, 300}, std::pair{1000, 2000}}) {
            AlertEnvironment env = AlertEnvironment::process();
            const std::string spec = std::string(channel) == "file"
                                         ? "  - {id: c, type: file, path: alerts.jsonl}\n"
                                         : "  - {id: c, type: webhook, url: \"" + server.url("/hook") + "\"}\n";
            std::vector<rw::BundleDiagnostic> diags;
            QDir(dir.filePath(QStringLiteral("spool"))).removeRecursively();
            const auto config = parseAlertConfig("channels:\n" + spec + "delivery: {spool: spool}\n",
                                                 dir.filePath(QStringLiteral("alerts.yaml")).toStdString(), env, diags);
            if (!config)
                return 1;
            const Figures f = deliver(*config, rate, count);
            std::printf("%-7s %5d alerts/s: p50 %6.2f ms, p99 %6.2f ms = %.1fx / %.1fx the baseline (target: p99 within 200 ms of the line)\n",
                        channel, rate, f.p50, f.p99, f.p50 / floor.p50, f.p99 / floor.p99);
        }
    }
    return 0;
}
