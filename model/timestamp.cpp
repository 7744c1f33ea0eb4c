#include "model/timestamp.h"

#include <cstdio>
#include <string>

namespace rw {

namespace {

bool digits(std::string_view t, std::size_t pos, std::size_t n, int& out)
{
    if (pos + n > t.size())
        return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = t[pos + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

// days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm)
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leapYear(y) ? 29 : kDays[m - 1];
}

} // namespace

std::optional<std::int64_t> parseTimestamp(std::string_view t)
{
    int year, month, day, hour, minute, second;
    if (!digits(t, 0, 4, year) || t.size() < 19 || t[4] != '-' || !digits(t, 5, 2, month) || t[7] != '-' ||
        !digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(t, 11, 2, hour) ||
        t[13] != ':' || !digits(t, 14, 2, minute) || t[16] != ':' || !digits(t, 17, 2, second))
        return std::nullopt;
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
        minute > 59 || second > 59)
        return std::nullopt;

    std::size_t pos = 19;
    std::int64_t micros = 0;
    if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
        ++pos;
        std::size_t n = 0;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
            if (n < 6)
                micros = micros * 10 + (t[pos] - '0');
            ++n;
            ++pos;
        }
        if (n == 0 || n > 9)
            return std::nullopt;
        for (std::size_t i = n; i < 6; ++i)
            micros *= 10;
    }

    std::int64_t offsetMinutes = 0;
    if (pos < t.size()) {
        const char z = t[pos];
        if (z == 'Z' || z == 'z') {
            ++pos;
        } else if (z == '+' || z == '-') {
            int oh, om;
            if (!digits(t, pos + 1, 2, oh))
                return std::nullopt;
            std::size_t mpos = pos + 3;
            if (mpos < t.size() && t[mpos] == ':')
                ++mpos;
            if (!digits(t, mpos, 2, om) || oh > 23 || om > 59)
                return std::nullopt;
            offsetMinutes = (oh * 60 + om) * (z == '-' ? -1 : 1);
            pos = mpos + 2;
        } else {
            return std::nullopt;
        }
    }
    if (pos != t.size())
        return std::nullopt;

    const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    return secs * 1000000 + micros;
}

std::string formatTimestampUtc(std::int64_t micros)
{
    std::int64_t secs = micros / 1000000;
    std::int64_t frac = micros % 1000000;
    if (frac < 0) {
        frac += 1000000;
        --secs;
    }
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    // civil from days (Hinnant)
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<long long>(y), m,
                  d, static_cast<long long>(rem / 3600), static_cast<long long>(rem % 3600 / 60),
                  static_cast<long long>(rem % 60), static_cast<long long>(frac));
    return buf;
}

} // namespace rw
