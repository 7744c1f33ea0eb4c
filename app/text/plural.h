#pragma once

#include <QString>

#include <cstdint>

namespace rw {

// English singular/plural without a translation catalogue ("1 trace", "3 traces").
inline QString counted(std::uint64_t n, const char* one, const char* many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

} // namespace rw
