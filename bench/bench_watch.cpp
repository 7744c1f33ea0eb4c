// Live watch benchmark (issue 14): how many events a second the watch keeps
// up with (the follower and the incremental analysis, batch after batch) as a
// ratio to the batch loader's rate on the same file in the same process, and
// the latency from an appended line to its analysis (p50, p99) with inotify
// and with polling only, at 100 and 10,000 events a second.
//   bench_watch AUDIT.jsonl   (bench/gen_audit.py --size 100M --out AUDIT.jsonl)
#include "model/auditloader.h"
#include "model/followsource.h"
#include "model/followwatcher.h"
#include "replay/analysis/liveanalyzer.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point since)
{
    return std::chrono::duration<double>(Clock::now() - since).count();
}

std::vector<std::string> readLines(const std::string& path, std::size_t max)
{
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; out.size() < max && std::getline(in, line);)
        out.push_back(line);
    return out;
}

// the follower and the analyzer over the whole file, a poll's worth at a time
double followRate(const std::string& path, const rw::analysis::AnalysisRules& rules, std::uint64_t& events)
{
    std::string error;
    const auto source = rw::FollowSource::open(path, "*", {}, error);
    rw::analysis::LiveAnalyzer live(rules, {});
    rw::analysis::LiveBatch batch;
    events = 0;
    const auto t0 = Clock::now();
    source->poll(
        [&](const rw::FollowedLine& l) {
            batch.add(l.text, l.offset, l.line);
            ++events;
            if (batch.places.size() == 4096) {
                live.addBatch(batch, path);
                batch.clear();
            }
        },
        {});
    live.addBatch(batch, path);
    live.finish();
    return static_cast<double>(events) / seconds(t0);
}

struct Latency
{
    double p50 = 0, p99 = 0, max = 0;
};

// a writer appends `lines` at `rate` a second; the watch's latency from each write to its analysis
Latency latency(const std::vector<std::string>& lines, int rate, bool notifications, int pollMs,
                const rw::analysis::AnalysisRules& rules)
{
    const std::string path = (std::filesystem::temp_directory_path() / "rw-bench-watch.jsonl").string();
    std::filesystem::remove(path);
    std::ofstream(path).close();
    std::string error;
    const auto source = rw::FollowSource::open(path, "*", {}, error);
    rw::FollowWatcher watcher(*source, pollMs, nullptr, notifications);
    rw::analysis::LiveAnalyzer live(rules, {});
    std::vector<Clock::time_point> written(lines.size());
    std::vector<double> waited;
    rw::analysis::LiveBatch batch;
    std::mutex lock;
    watcher.setSinks([&](const rw::FollowedLine& l) { batch.add(l.text, l.offset, l.line); }, {});
    QObject::connect(&watcher, &rw::FollowWatcher::polled, [&] {
        if (batch.empty())
            return;
        live.addBatch(batch, path);
        const auto now = Clock::now();
        const std::lock_guard<std::mutex> guard(lock);
        for (const auto& p : batch.places)
            waited.push_back(std::chrono::duration<double, std::milli>(now - written[p.line - 1]).count());
        batch.clear();
    });
    QEventLoop loop;
    std::atomic<bool> done{false};
    std::thread writer([&] {
        std::FILE* f = std::fopen(path.c_str(), "a");
        const auto start = Clock::now();
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::this_thread::sleep_until(start + std::chrono::microseconds(static_cast<long>(1e6 * static_cast<double>(i) / rate)));
            {
                const std::lock_guard<std::mutex> guard(lock);
                written[i] = Clock::now();
            }
            std::fputs(lines[i].c_str(), f);
            std::fputc('\n', f);
            std::fflush(f);
        }
        std::fclose(f);
        done = true;
    });
    QTimer stop;
    stop.setInterval(20);
    QObject::connect(&stop, &QTimer::timeout, [&] {
        const std::lock_guard<std::mutex> guard(lock);
        if (done && waited.size() >= lines.size())
            loop.quit();
    });
    stop.start();
    watcher.start();
    loop.exec();
    writer.join();
    std::filesystem::remove(path);
    std::sort(waited.begin(), waited.end());
    Latency out;
    if (!waited.empty()) {
        out.p50 = waited[waited.size() / 2];
        out.p99 = waited[std::min(waited.size() - 1, waited.size() * 99 / 100)];
        out.max = waited.back();
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const bool rateOnly = argc == 3 && std::string(argv[2]) == "--rate-only"; // for a profiler
    if (argc != 2 && !rateOnly) {
        std::fprintf(stderr, "usage: bench_watch AUDIT.jsonl [--rate-only]\n");
        return 2;
    }
    const std::string path = argv[1];
    const auto rules = rw::analysis::defaultAnalysisRules();

    // three rounds in turns, the median of each (a 100 MB load takes a tenth of a second: one is noise)
    std::vector<double> loadRates, watchRates;
    std::size_t loadedEvents = 0;
    std::uint64_t events = 0;
    for (int round = 0; round < 3; ++round) {
        const auto t0 = Clock::now();
        const rw::LoadResult loaded = rw::AuditLoader::loadFile(path);
        const double loadSeconds = seconds(t0);
        if (!loaded.model)
            return 1;
        loadedEvents = loaded.model->eventCount();
        loadRates.push_back(static_cast<double>(loadedEvents) / loadSeconds);
        watchRates.push_back(followRate(path, *rules, events));
    }
    std::sort(loadRates.begin(), loadRates.end());
    std::sort(watchRates.begin(), watchRates.end());
    const double loadRate = loadRates[1], watchRate = watchRates[1];
    std::printf("batch loader:  %.0f events/s (%zu events; median of 3: %.0f..%.0f)\n", loadRate, loadedEvents,
                loadRates.front(), loadRates.back());
    std::printf("watch:         %.0f events/s sustained = %.2fx the loader (median of 3: %.0f..%.0f; target >= 50,000 "
                "events/s)\n",
                watchRate, watchRate / loadRate, watchRates.front(), watchRates.back());
    if (rateOnly)
        return 0;

    const std::vector<std::string> lines = readLines(path, 20000);
    for (const auto& [rate, count] : {std::pair{100, 300}, std::pair{10000, 20000}})
        for (const auto& [notifications, pollMs, name] :
             {std::tuple{true, 1000, "inotify (+1 s poll)"}, std::tuple{false, 100, "polling only, 100 ms"}}) {
            const std::vector<std::string> some(lines.begin(), lines.begin() + std::min<std::size_t>(count, lines.size()));
            const Latency l = latency(some, rate, notifications, pollMs, *rules);
            std::printf("latency %5d events/s, %-22s p50 %6.1f ms, p99 %6.1f ms, max %6.1f ms (target p99 <= 200 ms with inotify)\n",
                        rate, name, l.p50, l.p99, l.max);
        }
    return 0;
}
