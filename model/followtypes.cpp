#include "model/followtypes.h"

#include <chrono>

namespace rw {

const char* followFindingName(FollowFinding f)
{
    switch (f) {
    case FollowFinding::Opened: return "opened";
    case FollowFinding::Waiting: return "waiting";
    case FollowFinding::Rotated: return "rotated";
    case FollowFinding::Truncated: return "truncated";
    case FollowFinding::Removed: return "removed";
    case FollowFinding::IncompleteLine: return "incomplete_line";
    case FollowFinding::LineTooLong: return "line_too_long";
    case FollowFinding::ReadError: return "read_error";
    case FollowFinding::Switched: return "switched";
    case FollowFinding::Ended: return "ended";
    }
    return "opened";
}

std::int64_t followClockMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace rw
