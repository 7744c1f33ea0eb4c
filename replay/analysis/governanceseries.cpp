#include "replay/analysis/governanceseries.h"

#include "model/timestamp.h"

#include <algorithm>
#include <map>

namespace rw::analysis {

namespace {

constexpr std::int64_t kDayUs = 24 * kHourMicros;
constexpr std::int64_t kWeekUs = 7 * kDayUs;

std::int64_t floorTo(std::int64_t t, std::int64_t step)
{
    return t >= 0 ? t / step * step : -((-t + step - 1) / step) * step;
}

// "2026-03-05T14" -> its start, or INT64_MIN
std::int64_t hourStart(const std::string& hour)
{
    if (hour.size() != 13)
        return INT64_MIN;
    const auto t = parseTimestamp(hour + ":00:00Z");
    return t ? *t : INT64_MIN;
}

const std::string& nameOf(const GovernanceKey& key, GovernanceBreakdown b)
{
    static const std::string kTotal = "Total";
    switch (b) {
    case GovernanceBreakdown::Agent: return key.agent;
    case GovernanceBreakdown::Tool: return key.tool;
    case GovernanceBreakdown::Tenant: return key.tenant;
    case GovernanceBreakdown::Total: break;
    }
    return kTotal;
}

std::string csvField(std::string s)
{
    // agent and tool names come from traces: a spreadsheet must not read one as a formula
    if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
        s.insert(s.begin(), '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + '"';
}

} // namespace

std::int64_t lastCountedHour(const GovernanceCounts& counts)
{
    std::int64_t last = INT64_MIN;
    for (const auto& [key, row] : counts.rows)
        last = std::max(last, hourStart(key.hour));
    return last;
}

GovernanceChartData governanceChart(const GovernanceCounts& counts, GovernanceCounter counter,
                                    GovernanceBreakdown breakdown, std::int64_t fromUs, std::int64_t toUs,
                                    std::size_t maxSeries)
{
    const auto c = static_cast<std::size_t>(counter);
    GovernanceChartData out;
    out.breakdown = breakdown;
    // the counts in the window, by series and hour; the time axis spans every
    // counted hour in the window (of any counter), so that it does not change
    // with the counter and a counter's quiet hours show as zeros
    std::map<std::string, std::map<std::int64_t, std::int64_t>> byName;
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    for (const auto& [key, row] : counts.rows) {
        const std::int64_t start = hourStart(key.hour);
        if (start == INT64_MIN) {
            out.undated += row[c];
            continue;
        }
        if (start < fromUs || start >= toUs)
            continue;
        first = std::min(first, start);
        last = std::max(last, start);
        if (row[c] != 0)
            byName[nameOf(key, breakdown)][start] += row[c];
    }
    if (first > last)
        return out;
    const std::int64_t span = last - first + kHourMicros;
    out.bucketUs = span <= 14 * kDayUs ? kHourMicros : span <= 366 * kDayUs ? kDayUs : kWeekUs;
    // days and weeks start at midnight UTC (weeks on the Monday: the epoch was a Thursday)
    const std::int64_t origin = out.bucketUs == kWeekUs ? 4 * kDayUs : 0;
    out.firstUs = floorTo(first - origin, out.bucketUs) + origin;
    out.buckets = static_cast<std::size_t>((last - out.firstUs) / out.bucketUs + 1);
    for (const auto& [name, hours] : byName) {
        GovernanceSeries s{name, false, std::vector<std::int64_t>(out.buckets, 0), 0};
        for (const auto& [start, n] : hours) {
            s.values[static_cast<std::size_t>((start - out.firstUs) / out.bucketUs)] += n;
            s.total += n;
        }
        out.series.push_back(std::move(s));
    }
    // the largest first (ties by name), the rest summed (even one: its colour is the rest's)
    std::stable_sort(out.series.begin(), out.series.end(),
                     [](const GovernanceSeries& a, const GovernanceSeries& b) { return a.total > b.total; });
    if (out.series.size() > maxSeries) {
        GovernanceSeries rest{{}, true, std::vector<std::int64_t>(out.buckets, 0), 0};
        for (std::size_t i = maxSeries; i < out.series.size(); ++i) {
            for (std::size_t b = 0; b < out.buckets; ++b)
                rest.values[b] += out.series[i].values[b];
            rest.total += out.series[i].total;
            rest.name = std::to_string(out.series.size() - maxSeries);
        }
        out.series.resize(maxSeries);
        out.series.push_back(std::move(rest));
    }
    return out;
}

std::string governanceCsv(const GovernanceCounts& counts)
{
    std::string out = "hour,agent,tool,tenant";
    for (std::size_t i = 0; i < kGovernanceCounters; ++i)
        out += std::string(",") + governanceCounterName(static_cast<GovernanceCounter>(i));
    out += "\r\n";
    for (const auto& [key, row] : counts.rows) {
        out += csvField(key.hour) + ',' + csvField(key.agent) + ',' + csvField(key.tool) + ',' + csvField(key.tenant);
        for (std::size_t i = 0; i < kGovernanceCounters; ++i)
            out += ',' + std::to_string(row[i]);
        out += "\r\n";
    }
    return out;
}

} // namespace rw::analysis
