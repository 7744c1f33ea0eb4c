#pragma once

// Progress of a long batch on stderr: files done of the total, MB/s and the
// time left. On a terminal one line redrawn in place with a bar (at most four
// times a second); otherwise, for logs and CI, a plain line every few seconds.
// Workers report from their threads.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>

namespace rw {

enum class ProgressStyle { Off, Lines, Bar };

struct ProgressFigures
{
    std::size_t files = 0, totalFiles = 0;
    std::uint64_t bytes = 0, totalBytes = 0;
    double seconds = 0;
};

// "[#########...........]  120/342 files   35.2 MB/s  ETA 0:12" (`width`: the bar's)
std::string progressBar(const ProgressFigures& f, int width);
// "120 / 342 files, 41.0 MB of 117.5 MB, 35.2 MB/s, about 12 s left"
std::string progressLine(const ProgressFigures& f);

class BatchProgress
{
public:
    BatchProgress(std::ostream& err, ProgressStyle style, std::size_t totalFiles, std::uint64_t totalBytes);
    void fileDone(std::uint64_t bytes);
    void finish(); // clears the bar's line

private:
    std::mutex m_mutex;
    std::ostream& m_err;
    ProgressStyle m_style;
    ProgressFigures m_figures;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_lastDrawn;
    bool m_drawn = false;
};

} // namespace rw
