#pragma once

#include "model/eventrecord.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace rw {

// What a run trace says beyond the fields every event has. Kept in side tables
// of the model (one RunInfo per run, one RunStep per step event) rather than
// in EventRecord, so interceptor records, the bulk of large files, do not grow.

inline constexpr std::int64_t kNoNumber = std::numeric_limits<std::int64_t>::min();

// A step's start, `timestamp - duration_ms` in microseconds, bounded: the
// file is untrusted, and a forged duration must neither overflow here nor
// make a later difference of two times overflow. The start stays within two
// days of the times a timestamp parses to (0001-01-01 to 9999-12-31), so
// that the difference of any two times of a run fits, and is never kNoTime.
inline constexpr std::int64_t kEarliestStepUs = (-62135596800LL - 2 * 86400LL) * 1000000LL;
inline constexpr std::int64_t kLatestStepUs = (253402300800LL + 2 * 86400LL) * 1000000LL;

inline std::int64_t stepStartUs(std::int64_t endUs, std::int64_t durationMs)
{
    constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 1000;
    const std::int64_t us = std::clamp(durationMs, -kLimit, kLimit) * 1000;
    std::int64_t start = 0;
    if (__builtin_sub_overflow(endUs, us, &start))
        return us > 0 ? kEarliestStepUs : kLatestStepUs;
    return std::clamp(start, kEarliestStepUs, kLatestStepUs);
}

struct RunPermission
{
    StrId permission = kNoStr;
    StrId approvedBy = kNoStr;
    StrId approvalId = kNoStr;
    StrId reason = kNoStr;
    StrId raw = kNoStr; // the object's own JSON (kNoStr for a plain string)
};

enum class RunSource : std::uint8_t {
    Document, // one run document (pretty-printed, in an array, or one JSONL line)
    Stream    // run_started / step / run_completed events
};

struct RunInfo
{
    StrId runId = kNoStr;
    StrId agentId = kNoStr;
    StrId trigger = kNoStr;
    StrId status = kNoStr; // a stream without run_completed says "running"
    StrId policyVersion = kNoStr;
    StrId startedAt = kNoStr;   // as written
    StrId completedAt = kNoStr; // as written
    std::int64_t startedUs = kNoTime;
    std::int64_t completedUs = kNoTime;
    Span32 granted; // into ReplayModel::runPermissions()
    Span32 denied;
    Span32 escalated;
    std::uint64_t offset = 0; // the document (or run_started event) in the file
    std::uint32_t line = 0;
    RunSource source = RunSource::Document;
    bool hasSummary = false; // permissions_summary was an object
};

namespace RunStepFlag {
enum : std::uint8_t {
    StepIndexGiven = 1 << 0, // step_index was written (else the position from 0)
    HasReasoning = 1 << 1,   // a non-empty reasoning string
};
}

struct RunStep
{
    std::uint32_t event = 0; // index of the step's EventRecord
    std::uint32_t run = 0;   // into ReplayModel::runs()
    std::int64_t stepIndex = 0;
    std::int64_t durationMs = kNoNumber;
    std::int64_t parentStepIndex = kNoNumber;
    // raw JSON by byte range in the file (like tool_call.parameters), kNoStr when absent
    StrId resultStatus = kNoStr; // the string value
    StrId resultData = kNoStr;
    StrId approval = kNoStr;
    StrId alternatives = kNoStr;
    StrId selection = kNoStr;
    std::uint8_t flags = 0;

    bool has(std::uint8_t flag) const { return (flags & flag) != 0; }
};

} // namespace rw
