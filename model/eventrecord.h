#pragma once

#include "model/stringpool.h"
#include "model/vocabulary.h"

#include <array>
#include <cstdint>
#include <limits>

namespace rw {

// String fields of an event, indexes into EventRecord::str.
enum class Field : std::uint8_t {
    Timestamp,
    EventType,
    Decision,
    SchemaVersion,
    EventId,
    TraceId,
    ParentTraceId,
    ExecutionPlanId,
    PlanId,
    PlanIntent,
    PlanRiskLevel,
    DecisionStage,
    AgentName,
    AgentId,
    AgentTrustLevel,
    AgentEnvironment,
    ToolName,
    Reason,
    MatchedRule,
    RiskLevel,
    ApprovalId,
    Protocol,
    ClientId,
    ServerName,
    Capability,
    BudgetStatus,
    Framework,
    SensitivityLevel,
    TenantId,
    PolicyBundle,
    RuntimeMode,
    BudgetContext, // raw JSON text when it is an object
    Arguments,     // raw JSON text of the tool arguments (run steps: tool_call.parameters)
    Count
};
inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(Field::Count);

// A run of items in one of the model's side tables (provenance items, string lists).
struct Span32
{
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

struct ProvenanceItem
{
    StrId sourceType = kNoStr;
    StrId sourceName = kNoStr;
    StrId trustLevel = kNoStr;
    StrId sourceHash = kNoStr;
    StrId originUri = kNoStr;
};

enum class Format : std::uint8_t { Interceptor, RunTrace };

namespace EventFlag {
enum : std::uint16_t {
    Rejected = 1 << 0,        // unreadable: kept as raw bytes only, never replayed
    Legacy = 1 << 1,          // event_type inferred by the legacy rules
    AllowedTrue = 1 << 2,     // `allowed: true`
    AllowedFalse = 1 << 3,    // `allowed: false`
    HasRuntimeUsage = 1 << 4, // runtime_usage is an object
    HasRuntimeBudget = 1 << 5,
    HasPlanSteps = 1 << 6,
    RunStep = 1 << 7,          // a step of a run trace (second seed format)
    Escalated = 1 << 8,        // run-trace step used an escalated permission
    HasWarnings = 1 << 9,      // at least one warning-level diagnostic
    HasRequestedCaps = 1 << 10, // requested_capabilities is a list
    HasGrantedCaps = 1 << 11,   // context.allowed_capabilities is a list (possibly empty)
    HasContext = 1 << 12        // the record has a `context` object
};
}

inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

// The compact index entry of one record (one physical line of an audit file,
// or one step of a run trace). Everything the list, timeline, filters,
// summaries and policy engine need; the full JSON is parsed on demand from
// the mapped bytes [offset, offset + length).
struct EventRecord
{
    std::uint64_t offset = 0;  // byte offset of the record's first byte
    std::uint32_t length = 0;  // bytes of the record (without the line break)
    std::uint32_t line = 0;    // 1-based physical line of the first byte
    std::int64_t timeUs = kNoTime; // timestamp as microseconds since the epoch (UTC)
    std::array<StrId, kFieldCount> str{};
    Span32 provenance;         // into ReplayModel::provenanceItems()
    Span32 requestedCaps;      // into ReplayModel::strLists()
    Span32 grantedCaps;        // context.allowed_capabilities
    Span32 violations;         // runtime_violations
    // runtime_usage and runtime_budget, in the upstream key order:
    // tool calls, depth, runtime seconds, cost USD
    std::array<double, 4> usage{};
    std::array<double, 4> budget{};
    std::uint32_t planStepCount = 0;
    std::uint16_t flags = 0;
    Format format = Format::Interceptor;
    // str[Decision] and str[RiskLevel] as their vocabulary, set by the loader
    // (the words stay the truth: an unknown word is Other). Four bits each, in
    // what was the record's last byte of padding.
    Decision decision : 4 = Decision::None;
    Risk risk : 4 = Risk::None;

    StrId s(Field f) const { return str[static_cast<std::size_t>(f)]; }
    StrId& s(Field f) { return str[static_cast<std::size_t>(f)]; }
    bool has(std::uint16_t flag) const { return (flags & flag) != 0; }
};
// the loader keeps one record per line: its size is the model's memory
static_assert(sizeof(EventRecord) == 264);

} // namespace rw
