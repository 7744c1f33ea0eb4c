// Loader benchmark: load + index + all summaries of one audit file, the time
// until its SHA-256 is known, throughput, memory, and the same run's baseline
// (Python's json.loads over every line). Targets and figures: docs/performance.md.
//
//   bench_load FILE [--runs N] [--no-baseline]
#include "model/auditloader.h"
#include "model/tracesummary.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

long statusKb(const char* key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0)
            return std::stol(line.substr(std::strlen(key)));
    return -1;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double pythonBaseline(const std::string& script, const std::string& file)
{
    const std::string cmd = "python3 '" + script + "' '" + file + "'";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p)
        return -1;
    double seconds = -1;
    long lines = 0;
    if (std::fscanf(p, "%lf %ld", &seconds, &lines) != 2)
        seconds = -1;
    ::pclose(p);
    return seconds;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [--runs N] [--no-baseline]\n", argv[0]);
        return 2;
    }
    const std::string file = argv[1];
    int runs = 3;
    bool baseline = true;
    for (int i = 2; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--no-baseline"))
            baseline = false;
    }

    std::vector<double> ready, indexed, hashed;
    std::uint64_t bytes = 0, events = 0, traces = 0;
    long anonPeakKb = 0;
    for (int r = 0; r < runs; ++r) {
        const long anonBefore = statusKb("RssAnon:");
        const auto t0 = Clock::now();
        rw::LoadResult loaded = rw::AuditLoader::loadFile(file);
        if (!loaded.model) {
            std::fprintf(stderr, "cannot open %s\n", file.c_str());
            return 1;
        }
        const auto summaries = rw::summarizeAll(*loaded.model);
        const auto t1 = Clock::now();
        const std::string sha = loaded.model->sha256();
        const auto t2 = Clock::now();
        anonPeakKb = std::max(anonPeakKb, statusKb("RssAnon:") - anonBefore);
        ready.push_back(std::chrono::duration<double>(t1 - t0).count());
        indexed.push_back(loaded.model->stats().indexSeconds);
        hashed.push_back(std::chrono::duration<double>(t2 - t0).count());
        bytes = loaded.model->stats().bytes;
        events = loaded.model->stats().events;
        traces = summaries.size();
    }
    const double tReady = median(ready), tIndex = median(indexed), tHash = median(hashed);
    struct rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    const double mb = static_cast<double>(bytes) / 1e6;

    std::printf("file: %s\n", file.c_str());
    std::printf("bytes: %llu  events: %llu  traces: %llu  runs: %d (median)\n",
                static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(events),
                static_cast<unsigned long long>(traces), runs);
    std::printf("index:                      %.3f s\n", tIndex);
    std::printf("load+index+all summaries:   %.3f s  (%.0f MB/s, %.2f M events/s)\n", tReady, mb / tReady,
                static_cast<double>(events) / tReady / 1e6);
    std::printf("SHA-256 known at:           %.3f s\n", tHash);
    std::printf("memory beyond the mapping:  %.1f MB anonymous (%.1f%% of the file)\n", anonPeakKb / 1024.0,
                100.0 * anonPeakKb * 1024.0 / static_cast<double>(bytes));
    std::printf("peak RSS (incl. mapped file pages): %.1f MB\n", ru.ru_maxrss / 1024.0);
    if (baseline) {
        std::string script = argv[0];
        script = script.substr(0, script.find_last_of('/') + 1) + "python_baseline.py";
        const double py = pythonBaseline(script, file);
        if (py > 0)
            std::printf("baseline python json.loads: %.3f s  (%.0f MB/s) -> we are %.1fx faster\n", py, mb / py,
                        py / tReady);
    }
    return 0;
}
