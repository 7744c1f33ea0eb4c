#pragma once

#include <cstdint>
#include <vector>

namespace rw {

// Time <-> x for the timeline: which span of the trace is visible in how many
// pixels. A plain value type so zoom and pan arithmetic is unit-tested apart
// from painting. Times are microseconds since the epoch.
class TimelineGeometry
{
public:
    // The data range [t0, t1] and the pixel width it is drawn into; resets to "fit".
    void setRange(std::int64_t t0, std::int64_t t1);
    void setWidth(double width);
    void fit();

    double xForTime(std::int64_t t) const;
    std::int64_t timeForX(double x) const;

    // Zooms by `factor` (> 1 zooms in) keeping the time under x where it is.
    void zoomAt(double x, double factor);
    // Moves the view by dx pixels (positive: later times come into view).
    void pan(double dx);
    // Scrolls so that t is visible, keeping the zoom.
    void ensureVisible(std::int64_t t, double margin);

    std::int64_t visibleStart() const;
    std::int64_t visibleEnd() const;
    double width() const { return m_width; }
    double zoom() const; // 1 = fit

    // Tick step in microseconds (1, 2 or 5 times a power of ten) that leaves
    // at least minPixels between ticks.
    std::int64_t tickStep(double minPixels) const;

private:
    void clamp();

    std::int64_t m_t0 = 0;
    std::int64_t m_t1 = 1;
    double m_width = 1;
    double m_start = 0;      // visible start, microseconds relative to m_t0
    double m_pxPerUs = 1;    // scale
};

} // namespace rw
