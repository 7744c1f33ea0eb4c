#pragma once

#include "model/replaymodel.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace rw {

// A decision the re-evaluated side shows instead of the recorded one.
struct DecisionOverride
{
    std::string decision;
    std::string reason;
    std::string risk;
    std::optional<std::string> matchedRule;
};

// One side of a comparison: a trace of a loaded file, optionally with some of
// its decision points re-decided (its re-evaluation under another bundle).
struct CompareSide
{
    const ReplayModel* model = nullptr;
    std::size_t trace = 0;
    std::unordered_map<std::uint32_t, DecisionOverride> overrides; // by event index
};

// The facts compared on each aligned row. Timestamps and event ids are left
// out on purpose: two runs of the same task never share them.
enum class CompareField : std::uint8_t {
    EventType,
    Stage,
    Decision,
    Tool,
    MatchedRule,
    Reason,
    Risk,
    Agent,
    AgentTrust,
    Provenance,
    Capabilities,
    Budget,
    Arguments,
    Count
};
inline constexpr std::size_t kCompareFieldCount = static_cast<std::size_t>(CompareField::Count);
const char* compareFieldName(CompareField field);

enum class RowChange : std::uint8_t { Same, Changed, Removed, Added }; // Removed: left only; Added: right only

struct CompareRow
{
    int leftPlan = 0;  // 1-based execution plan number on each side; 0: trace-level events
    int rightPlan = 0;
    std::string step;  // what aligned the row: event type and stage (run traces: the step's tool)
    std::int64_t left = -1; // event indexes, -1 when the side has no such event
    std::int64_t right = -1;
    RowChange change = RowChange::Same;
    std::uint32_t changedFields = 0; // bit (1 << CompareField) per field that differs
    std::array<std::string, kCompareFieldCount> leftValues;
    std::array<std::string, kCompareFieldCount> rightValues;

    bool fieldChanged(CompareField f) const { return (changedFields & (1u << static_cast<unsigned>(f))) != 0; }
};

struct TraceComparison
{
    std::vector<CompareRow> rows;
    std::size_t same = 0, changed = 0, removed = 0, added = 0;
    std::size_t leftPlans = 0, rightPlans = 0;
};

// The value of one compared field of an event, overrides applied.
std::string compareValue(const CompareSide& side, std::uint32_t event, CompareField field);

// Aligns two traces by execution plan, then by step inside each plan (not by
// timestamp): plans are matched by their tool in order (longest common
// subsequence), unmatched plans between two matches are paired in order, and
// the events of paired plans are matched by event type and stage the same way.
TraceComparison compareTraces(const CompareSide& left, const CompareSide& right);

// The event's JSON as this side shows it: the recorded object, with the
// override's decision, reason, matched_rule and risk_level written in.
std::optional<nlohmann::ordered_json> sideEventJson(const CompareSide& side, std::uint32_t event,
                                                    std::string* error = nullptr);

// Longest-common-subsequence pairs (i, j) with a[i] == b[j], in order. Beyond
// `maxCells` (a.size() * b.size()) only equal prefixes and suffixes are paired.
std::vector<std::pair<std::size_t, std::size_t>> alignSequences(const std::vector<std::string>& a,
                                                                const std::vector<std::string>& b,
                                                                std::size_t maxCells = 4000000);

} // namespace rw
