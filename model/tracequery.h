#pragma once

#include "model/rowanomalies.h"
#include "model/workspace.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rw {

// Why a filter text does not parse. Wording belongs to the views.
enum class QueryErrorCode : std::uint8_t {
    None,
    UnterminatedQuote,
    UnexpectedToken,
    MissingValue,
    UnknownField,
    OperatorNotAllowed,
    BadNumber,
    BadTime,
    BadDuration,
    UnbalancedParenthesis,
    EmptyGroup,
    TooDeep,      // parentheses and NOT nested past kMaxQueryDepth
    TooLong,      // the text is over kMaxQueryBytes
    TooManyTerms, // more than kMaxQueryTerms terms
    BadRegex,     // a `~` pattern RE2 refuses, or longer than kMaxRegexBytes
    NotAStepField, // a trace-only field (events>3) where a step is asked about
    UnknownVariable, // `$agent.x` / `$step.x` that does not exist, or outside a rule
    BadBool,       // escalated: takes true or false
    VariableNotHere, // `$agent.…` in the filter bar: variables belong to analysis rules
};

// Limits that keep parsing and evaluation bounded whatever is typed or
// passed to --filter: the parser recurses once per group or NOT, and every
// term is evaluated for every row.
inline constexpr std::size_t kMaxQueryDepth = 64;
inline constexpr std::size_t kMaxQueryBytes = 256 * 1024;
inline constexpr std::size_t kMaxQueryTerms = 4096;
// `reasoning~"re"` patterns: RE2 matches in time linear in the text, and
// these bound the pattern and the memory of its compiled program.
inline constexpr std::size_t kMaxRegexBytes = 4096;
inline constexpr std::int64_t kMaxRegexMemory = 1 << 20;

struct QueryError
{
    QueryErrorCode code = QueryErrorCode::None;
    std::size_t position = 0; // byte offset in the filter text
    std::size_t length = 0;
    std::string token;        // the offending text or field name
    std::string detail;       // why, when a library says (RE2's error for BadRegex)
};

// The trace list's filter language, parsed into a small tree and evaluated
// against TraceRows:
//
//   decision:blocked tool:send_email trust:unverified agent:ops_agent tenant:acme
//   stage:evaluate governance:violation budget:violated trace:abc* file:2
//   events>10 duration>=1.5s diagnostics>0 violations>0 first_seen>=2026-03-05T14:00
//   anomalies>0 worst:critical (what the run-trace analysis found, when it is given)
//   free text, "quoted values", AND, OR, NOT / -, parentheses
//
// and the step scope (stepquery.h), which a trace matches when one of its
// steps does, term by term:
//
//   action:restart_* action_type:modify perm:ssh:exec:write param.host:web-03
//   result.status:error reasoning~"SOP-[0-9]+" escalated:true env:production
//   dest:untrusted step>=3 approval.id:* action_type:(modify OR destroy)
//
// Juxtaposition means AND. String matches are case-insensitive; `*` is a
// wildcard; `~` is an RE2 regular expression (case-sensitive unless (?i)).
// Free text matches a substring of the trace id, agent, tool, tenant,
// decision or final reason.
class TraceQuery
{
public:
    TraceQuery();
    ~TraceQuery();
    TraceQuery(TraceQuery&&) noexcept;
    TraceQuery& operator=(TraceQuery&&) noexcept;

    static TraceQuery parse(std::string_view text, QueryError* error);

    bool isEmpty() const;
    // `anomalies`: the analysis of each workspace row (empty: none yet; then
    // `anomalies` and `worst` terms match no trace, and filter() keeps no row at all)
    bool matches(const Workspace& ws, const TraceRow& row, std::span<const RowAnomalies> anomalies = {}) const;
    // Whether a term asks about steps (evaluated over the trace's events).
    bool hasStepTerms() const;
    // Whether a term asks about the analysis (anomalies, worst): to filter again once it arrives.
    bool hasAnomalyTerms() const;
    // Indexes of matching rows, in row order. A set `cancel` (a superseded
    // filter task) stops it within a few hundred rows: the rows so far.
    std::vector<std::uint32_t> filter(const Workspace& ws, const std::atomic<bool>* cancel = nullptr,
                                      std::span<const RowAnomalies> anomalies = {}) const;

private:
    std::shared_ptr<const struct QueryTree> m_tree;
};

// What a filter term can ask of a trace: `decision:blocked`, `events>10`.
enum class QueryField : std::uint8_t {
    Decision, Tool, Trust, Agent, Tenant, Stage, Trace, Governance, Budget, Reason, File,
    Events, Duration, Diagnostics, Violations, FirstSeen,
    // the step scope
    Action, ActionType, Permission, Param, ResultStatus, Reasoning, Escalated, Env, Dest, Step, Approval,
    // what the run-trace analysis found in the trace
    Anomalies, Worst
};
inline constexpr std::size_t kQueryFieldCount = 29;

// How a field's value is read: a word (case-insensitive, `*` wildcard,
// `:` `=` `!=` `~`), a quantity, which also takes `<` `<=` `>` `>=`, or
// true / false.
enum class QueryValue : std::uint8_t { Word, Number, Duration, Time, Bool };

// Where a field can be asked: of a trace only (events>10), of a trace and
// of a step (tool:), or of a step (a trace matches when one of its steps does).
enum class QueryScope : std::uint8_t { Trace, Both, Step };

// One row of the filter language's field table. The parser, the "Known:"
// list of its error, the filter bar's tooltip and the help are all made from
// this table (their wording, a line per field, is app/text's queryFieldText).
struct QueryFieldInfo
{
    QueryField field;
    std::string_view name;
    std::string_view alias; // a second name the parser accepts, or empty
    QueryValue value;
    std::string_view example; // a whole term, as the help shows it
    QueryScope scope = QueryScope::Trace;
};

// The table, one row per QueryField in enum order.
std::span<const QueryFieldInfo> queryFields();
const QueryFieldInfo& queryField(QueryField field);
// Every name the parser accepts for a field, aliases included, in table order.
std::vector<std::string_view> queryFieldNames();

} // namespace rw
