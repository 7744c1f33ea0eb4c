#include "app/cli/batchprogress.h"

#include <algorithm>
#include <cstdio>

namespace rw {

namespace {

std::string megabytes(std::uint64_t bytes)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return buf;
}

double rate(const ProgressFigures& f)
{
    return f.seconds > 0 ? static_cast<double>(f.bytes) / 1e6 / f.seconds : 0.0;
}

// seconds left at the rate so far, by bytes (files differ in size); -1 when unknown
double secondsLeft(const ProgressFigures& f)
{
    if (f.bytes == 0 || f.seconds <= 0 || f.totalBytes < f.bytes)
        return -1;
    return f.seconds * static_cast<double>(f.totalBytes - f.bytes) / static_cast<double>(f.bytes);
}

std::string clock(double seconds)
{
    if (seconds < 0)
        return "--:--";
    const auto s = static_cast<long long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

} // namespace

std::string progressBar(const ProgressFigures& f, int width)
{
    const double share = f.totalBytes ? static_cast<double>(f.bytes) / static_cast<double>(f.totalBytes)
                         : f.totalFiles ? static_cast<double>(f.files) / static_cast<double>(f.totalFiles)
                                        : 1.0;
    const int filled = std::clamp(static_cast<int>(share * width), 0, width);
    char figures[96];
    std::snprintf(figures, sizeof figures, "] %zu/%zu files  %.1f MB/s  ETA %s", f.files, f.totalFiles, rate(f),
                  clock(secondsLeft(f)).c_str());
    return "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(width - filled), '.') + figures;
}

std::string progressLine(const ProgressFigures& f)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, ", %.1f MB/s", rate(f));
    const double left = secondsLeft(f);
    return std::to_string(f.files) + " / " + std::to_string(f.totalFiles) + " files, " + megabytes(f.bytes) + " of " +
           megabytes(f.totalBytes) + buf +
           (left < 0 ? std::string() : ", about " + clock(left) + " left");
}

BatchProgress::BatchProgress(std::ostream& err, ProgressStyle style, std::size_t totalFiles, std::uint64_t totalBytes)
    : m_err(err), m_style(style), m_start(std::chrono::steady_clock::now()), m_lastDrawn(m_start)
{
    m_figures.totalFiles = totalFiles;
    m_figures.totalBytes = totalBytes;
}

void BatchProgress::fileDone(std::uint64_t bytes)
{
    const std::lock_guard lock(m_mutex);
    ++m_figures.files;
    m_figures.bytes += bytes;
    if (m_style == ProgressStyle::Off)
        return;
    const auto now = std::chrono::steady_clock::now();
    const auto every = m_style == ProgressStyle::Bar ? std::chrono::milliseconds(250) : std::chrono::milliseconds(5000);
    if (now - m_lastDrawn < every && m_figures.files != m_figures.totalFiles)
        return;
    m_lastDrawn = now;
    m_figures.seconds = std::chrono::duration<double>(now - m_start).count();
    if (m_style == ProgressStyle::Bar) {
        m_err << '\r' << progressBar(m_figures, 30) << "\x1b[K" << std::flush;
        m_drawn = true;
    } else if (m_figures.files != m_figures.totalFiles) {
        m_err << "  " << progressLine(m_figures) << '\n' << std::flush;
    }
}

void BatchProgress::finish()
{
    const std::lock_guard lock(m_mutex);
    if (m_drawn)
        m_err << "\r\x1b[K" << std::flush;
    m_drawn = false;
}

} // namespace rw
