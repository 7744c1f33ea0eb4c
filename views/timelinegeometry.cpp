#include "views/timelinegeometry.h"

#include <algorithm>
#include <cmath>

namespace rw {

namespace {
constexpr double kMaxPxPerUs = 50.0; // 50 px per microsecond is as close as it gets
}

void TimelineGeometry::setRange(std::int64_t t0, std::int64_t t1)
{
    m_t0 = t0;
    m_t1 = std::max(t1, t0 + 1);
    fit();
}

void TimelineGeometry::setWidth(double width)
{
    const double oldZoom = zoom();
    const double centre = m_start + (m_width / 2) / m_pxPerUs;
    m_width = std::max(1.0, width);
    m_pxPerUs = m_width / static_cast<double>(m_t1 - m_t0) * oldZoom;
    m_start = centre - (m_width / 2) / m_pxPerUs;
    clamp();
}

void TimelineGeometry::fit()
{
    m_pxPerUs = m_width / static_cast<double>(m_t1 - m_t0);
    m_start = 0;
}

double TimelineGeometry::xForTime(std::int64_t t) const
{
    return (static_cast<double>(t - m_t0) - m_start) * m_pxPerUs;
}

std::int64_t TimelineGeometry::timeForX(double x) const
{
    return m_t0 + static_cast<std::int64_t>(std::llround(m_start + x / m_pxPerUs));
}

void TimelineGeometry::zoomAt(double x, double factor)
{
    const double anchor = m_start + x / m_pxPerUs;
    const double fitScale = m_width / static_cast<double>(m_t1 - m_t0);
    m_pxPerUs = std::clamp(m_pxPerUs * factor, fitScale, std::max(fitScale, kMaxPxPerUs));
    m_start = anchor - x / m_pxPerUs;
    clamp();
}

void TimelineGeometry::pan(double dx)
{
    m_start += dx / m_pxPerUs;
    clamp();
}

void TimelineGeometry::ensureVisible(std::int64_t t, double margin)
{
    const double x = xForTime(t);
    if (x < margin)
        pan(x - margin);
    else if (x > m_width - margin)
        pan(x - (m_width - margin));
}

std::int64_t TimelineGeometry::visibleStart() const { return timeForX(0); }
std::int64_t TimelineGeometry::visibleEnd() const { return timeForX(m_width); }

double TimelineGeometry::zoom() const { return m_pxPerUs * static_cast<double>(m_t1 - m_t0) / m_width; }

std::int64_t TimelineGeometry::tickStep(double minPixels) const
{
    const double minUs = minPixels / m_pxPerUs;
    std::int64_t step = 1;
    while (true) {
        for (const std::int64_t m : {1, 2, 5})
            if (static_cast<double>(step * m) >= minUs)
                return step * m;
        if (step > INT64_MAX / 100)
            return step;
        step *= 10;
    }
}

void TimelineGeometry::clamp()
{
    const double span = static_cast<double>(m_t1 - m_t0);
    const double visible = m_width / m_pxPerUs;
    m_start = std::clamp(m_start, 0.0, std::max(0.0, span - visible));
}

} // namespace rw
