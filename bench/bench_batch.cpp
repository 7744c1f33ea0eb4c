// Batch analysis benchmark (issue 13): the whole batch over a folder of trace
// files (bench/bench_batch.sh makes 10,000 files, about 1 GiB) as a ratio to
// loading the same files in the same process (one file per core, as the
// batch shares them out, with and without the SHA-256 the report needs),
// then the map of two halves to parts and their merge, and the peak memory.
//   bench_batch DIR
#include "app/cli/clioptions.h"
#include "app/cli/clirunner.h"
#include "model/auditloader.h"
#include "replay/analysis/batchfiles.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include <sys/resource.h>

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

long peakKiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

double loadAll(const std::vector<std::string>& files, bool hash)
{
    const auto t0 = std::chrono::steady_clock::now();
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < files.size(); i = next++) {
            rw::LoadResult r = rw::AuditLoader::loadFile(files[i]);
            if (r.model && hash)
                (void)r.model->sha256();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::max(1u, std::thread::hardware_concurrency()); ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
    return seconds(t0);
}

int cli(const std::vector<std::string>& words)
{
    const rw::CliParse p = rw::parseCli(words);
    if (!p.error.empty()) {
        std::fprintf(stderr, "%s\n", p.error.c_str());
        return 2;
    }
    std::ostringstream out, err;
    const int code = rw::runCli(p.options, out, err);
    if (code != 0 && code != 5)
        std::fprintf(stderr, "%s%s", out.str().c_str(), err.str().c_str());
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_batch DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    const rw::analysis::BatchFiles found = rw::analysis::collectBatchFiles({dir}, "*.json*");
    std::uint64_t bytes = 0;
    for (const std::uint64_t s : found.sizes)
        bytes += s;
    std::printf("files: %zu, %.1f MiB\n", found.files.size(), static_cast<double>(bytes) / (1 << 20));
    const std::string tmp = std::filesystem::temp_directory_path() / "rw-bench-batch";
    std::filesystem::create_directories(tmp);

    loadAll(found.files, false); // warm the page cache
    const double load = loadAll(found.files, false);
    const double loadHash = loadAll(found.files, true);
    const long rssBefore = peakKiB();
    auto t0 = std::chrono::steady_clock::now();
    if (int c = cli({"--analyze", "--quiet", "--batch", dir, "--output", tmp + "/report.json"}); c != 0 && c != 5)
        return 1;
    const double batch = seconds(t0);
    const long rssBatch = peakKiB();
    const auto reportBytes = std::filesystem::file_size(tmp + "/report.json");

    const std::size_t half = found.files.size() / 2;
    std::vector<std::string> first{"--analyze", "--quiet", "--batch"}, second = first;
    first.insert(first.end(), found.files.begin(), found.files.begin() + static_cast<std::ptrdiff_t>(half));
    second.insert(second.end(), found.files.begin() + static_cast<std::ptrdiff_t>(half), found.files.end());
    for (auto* words : {&first, &second})
        words->insert(words->end(), {"--part", "--output", tmp + (words == &first ? "/p1.json" : "/p2.json")});
    t0 = std::chrono::steady_clock::now();
    if (cli(first) != 0 || cli(second) != 0)
        return 1;
    const double map = seconds(t0);
    t0 = std::chrono::steady_clock::now();
    if (int c = cli({"--merge-reports", tmp + "/p1.json", tmp + "/p2.json", "--output", tmp + "/merged.json"}); c != 0 && c != 5)
        return 1;
    const double merge = seconds(t0);

    std::printf("load:            %.3f s (%.0f MB/s)\n", load, static_cast<double>(bytes) / 1e6 / load);
    std::printf("load + SHA-256:  %.3f s\n", loadHash);
    std::printf("batch:           %.3f s = %.2fx load, %.2fx load + SHA-256 (target <= 1.5x)\n", batch, batch / load,
                batch / loadHash);
    std::printf("map (2 parts):   %.3f s; merge: %.3f s = %.2fx the batch\n", map, merge, merge / batch);
    std::printf("report:          %.1f MiB; peak RSS before the batch %.0f MiB, after %.0f MiB\n",
                static_cast<double>(reportBytes) / (1 << 20), rssBefore / 1024.0, rssBatch / 1024.0);
    std::filesystem::remove_all(tmp);
    return 0;
}
