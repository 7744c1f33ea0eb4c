#include "views/governance/chartgeometry.h"

#include "model/timestamp.h"

#include <algorithm>
#include <cmath>

namespace rw {

namespace {

using analysis::GovernanceChartData;

// 1, 2 or 5 times a power of ten, at least `raw`
std::int64_t niceStep(double raw)
{
    if (raw <= 1)
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= raw)
            return static_cast<std::int64_t>(m * power);
    return static_cast<std::int64_t>(10 * power);
}

} // namespace

QString seriesLabel(const GovernanceChartData& data, const analysis::GovernanceSeries& s)
{
    if (s.rest)
        return s.name == "1" ? QStringLiteral("1 other") : QStringLiteral("%1 others").arg(QString::fromStdString(s.name));
    if (!s.name.empty())
        return QString::fromStdString(s.name);
    switch (data.breakdown) {
    case analysis::GovernanceBreakdown::Agent: return QStringLiteral("(no agent)");
    case analysis::GovernanceBreakdown::Tool: return QStringLiteral("(no tool: whole runs and traces)");
    case analysis::GovernanceBreakdown::Tenant: return QStringLiteral("(no tenant)");
    case analysis::GovernanceBreakdown::Total: break;
    }
    return QStringLiteral("(none)");
}

QString bucketLabel(const GovernanceChartData& data, std::size_t bucket)
{
    const std::string t = formatTimestampUtc(data.bucketStart(bucket)); // 2026-03-05T14:00:00...
    const QString date = QString::fromStdString(t.substr(0, 10));
    if (data.bucketUs == analysis::kHourMicros)
        return date + QLatin1Char(' ') + QString::fromStdString(t.substr(11, 5));
    if (data.bucketUs == 24 * analysis::kHourMicros)
        return date;
    return QStringLiteral("week of ") + date;
}

namespace {

// an x tick's label: hours as "14:00" with the date where the day changes
QString tickLabel(const GovernanceChartData& data, std::size_t bucket, bool first, std::size_t every)
{
    if (data.bucketUs != analysis::kHourMicros)
        return bucketLabel(data, bucket);
    const QString full = bucketLabel(data, bucket); // 2026-03-05 14:00
    const bool dayChanged = (data.bucketStart(bucket) / analysis::kHourMicros) % 24 < static_cast<std::int64_t>(every);
    return first || dayChanged ? full : full.mid(11);
}

// the buckets between x ticks: a round number of hours (dividing a day) or days
std::size_t tickEvery(const GovernanceChartData& data, double slot, double labelSpan)
{
    const auto needed = static_cast<std::size_t>(std::ceil(labelSpan / slot));
    static constexpr std::size_t kHours[] = {1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 672};
    static constexpr std::size_t kDays[] = {1, 2, 7, 14, 28, 56, 91, 182, 364};
    static constexpr std::size_t kWeeks[] = {1, 2, 4, 8, 13, 26, 52, 104};
    const std::size_t* begin = data.bucketUs == analysis::kHourMicros ? std::begin(kHours)
                               : data.bucketUs == 24 * analysis::kHourMicros ? std::begin(kDays)
                                                                              : std::begin(kWeeks);
    const std::size_t* end = data.bucketUs == analysis::kHourMicros ? std::end(kHours)
                             : data.bucketUs == 24 * analysis::kHourMicros ? std::end(kDays)
                                                                            : std::end(kWeeks);
    for (const std::size_t* e = begin; e != end; ++e)
        if (*e >= needed)
            return *e;
    return needed;
}

} // namespace

ChartGeometry layoutChart(const GovernanceChartData& data, QSizeF size,
                          const std::function<double(const QString&)>& textWidth, double lineHeight,
                          const QString& title, const QString& footer)
{
    ChartGeometry g;
    g.size = size;
    g.title = title;
    g.footer = footer;
    const double titleSpace = title.isEmpty() ? 0 : lineHeight * 1.6;
    const double footerSpace = footer.isEmpty() ? 0 : lineHeight * 1.4;
    g.titleAt = QPointF(8, lineHeight * 1.1);
    g.footerAt = QPointF(8, size.height() - lineHeight * 0.4);
    std::int64_t top = 0;
    for (const analysis::GovernanceSeries& s : data.series)
        for (const std::int64_t v : s.values)
            top = std::max(top, v);
    // the y axis: about five ticks of a round step, the top a whole step
    const std::int64_t step = niceStep(static_cast<double>(top) / 5.0);
    g.yMax = std::max<std::int64_t>(step, (top + step - 1) / step * step);
    double labelWidth = 0;
    for (std::int64_t v = 0; v <= g.yMax; v += step)
        labelWidth = std::max(labelWidth, textWidth(QString::number(v)));
    // the legend on the right, one line per series (none for the total alone)
    double legendWidth = 0;
    for (const analysis::GovernanceSeries& s : data.series)
        legendWidth = std::max(legendWidth, textWidth(seriesLabel(data, s)));
    const bool legend = data.breakdown != analysis::GovernanceBreakdown::Total && !data.series.empty();
    legendWidth = legend ? std::min(legendWidth + 28, size.width() * 0.3) : 0;
    const double left = labelWidth + 14, right = 12 + legendWidth, topMargin = lineHeight * 0.8 + titleSpace;
    const double bottom = lineHeight * 2 + 8 + footerSpace;
    g.plot = QRectF(left, topMargin, std::max(10.0, size.width() - left - right),
                    std::max(10.0, size.height() - topMargin - bottom));
    if (data.empty()) {
        g.emptyText = QStringLiteral("Nothing counted in this window");
        return g;
    }
    if (data.series.empty())
        g.emptyText = QStringLiteral("None in this window");
    const auto yOf = [&](std::int64_t v) {
        return g.plot.bottom() - g.plot.height() * static_cast<double>(v) / static_cast<double>(g.yMax);
    };
    for (std::int64_t v = 0; v <= g.yMax; v += step)
        g.yTicks.push_back({yOf(v), QString::number(v)});
    // x: bucket centres, labels spaced so that they never overlap
    const double slot = g.plot.width() / static_cast<double>(data.buckets);
    const auto xOf = [&](std::size_t b) { return g.plot.left() + slot * (static_cast<double>(b) + 0.5); };
    const double labelSpan = textWidth(bucketLabel(data, 0)) + 16; // the longest form
    const std::size_t every = tickEvery(data, slot, labelSpan);
    // ticks on round times (midnight, 06:00, ...), the first one labelled in full
    const std::int64_t everyUs = static_cast<std::int64_t>(every) * data.bucketUs;
    std::size_t b0 = 0;
    if (data.bucketUs == analysis::kHourMicros && every <= 24)
        while (b0 < data.buckets && data.bucketStart(b0) % everyUs != 0)
            ++b0;
    if (b0 >= data.buckets)
        b0 = 0;
    for (std::size_t b = b0; b < data.buckets; b += every) {
        const QString label = tickLabel(data, b, b == b0, every);
        const double w = textWidth(label);
        g.xTicks.push_back({xOf(b), label, std::clamp(xOf(b) - w / 2, 0.0, std::max(0.0, size.width() - w))});
    }
    for (std::size_t i = 0; i < data.series.size(); ++i) {
        ChartGeometry::Line line;
        line.series = static_cast<int>(i);
        line.points.reserve(data.buckets);
        line.counted.reserve(data.buckets);
        for (std::size_t b = 0; b < data.buckets; ++b) {
            line.points.emplace_back(xOf(b), yOf(data.series[i].values[b]));
            line.counted.push_back(data.series[i].values[b] != 0);
        }
        g.lines.push_back(std::move(line));
    }
    if (legendWidth > 0) {
        const double x = g.plot.right() + 16;
        for (std::size_t i = 0; i < data.series.size(); ++i) {
            const double y = g.plot.top() + lineHeight * 1.4 * static_cast<double>(i);
            if (y + lineHeight > size.height())
                break;
            g.legend.push_back({QRectF(x, y + lineHeight * 0.25, 14, lineHeight * 0.5),
                                QPointF(x + 20, y + lineHeight * 0.8), seriesLabel(data, data.series[i]), static_cast<int>(i)});
        }
    }
    return g;
}

ChartGeometry::Hit ChartGeometry::hitTest(QPointF at, double radius) const
{
    Hit best;
    double bestDistance = radius * radius;
    for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
        if (line->points.empty())
            continue;
        // the bucket under the pointer (points are evenly spaced), then its neighbours
        const double slot = line->points.size() > 1 ? line->points[1].x() - line->points[0].x() : plot.width();
        const double first = line->points.front().x();
        const auto centre = static_cast<std::ptrdiff_t>(std::lround((at.x() - first) / slot));
        for (std::ptrdiff_t b = centre - 1; b <= centre + 1; ++b) {
            if (b < 0 || b >= static_cast<std::ptrdiff_t>(line->points.size()) || !line->counted[static_cast<std::size_t>(b)])
                continue;
            const QPointF d = line->points[static_cast<std::size_t>(b)] - at;
            const double distance = d.x() * d.x() + d.y() * d.y();
            if (distance < bestDistance) {
                bestDistance = distance;
                best = {static_cast<int>(b), line->series};
            }
        }
    }
    return best;
}

} // namespace rw
