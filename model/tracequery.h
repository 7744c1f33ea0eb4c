#pragma once

#include "model/workspace.h"

#include <cstdint>
#include <memory>
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
};

// Limits that keep parsing and evaluation bounded whatever is typed or
// passed to --filter: the parser recurses once per group or NOT, and every
// term is evaluated for every row.
inline constexpr std::size_t kMaxQueryDepth = 64;
inline constexpr std::size_t kMaxQueryBytes = 256 * 1024;
inline constexpr std::size_t kMaxQueryTerms = 4096;

struct QueryError
{
    QueryErrorCode code = QueryErrorCode::None;
    std::size_t position = 0; // byte offset in the filter text
    std::size_t length = 0;
    std::string token;        // the offending text or field name
};

// The trace list's filter language, parsed into a small tree and evaluated
// against TraceRows:
//
//   decision:blocked tool:send_email trust:unverified agent:ops_agent tenant:acme
//   stage:evaluate governance:violation budget:violated trace:abc* file:2
//   events>10 duration>=1.5s diagnostics>0 violations>0 first_seen>=2026-03-05T14:00
//   free text, "quoted values", AND, OR, NOT / -, parentheses
//
// Juxtaposition means AND. String matches are case-insensitive; `*` is a
// wildcard. Free text matches a substring of the trace id, agent, tool,
// tenant, decision or final reason.
class TraceQuery
{
public:
    TraceQuery();
    ~TraceQuery();
    TraceQuery(TraceQuery&&) noexcept;
    TraceQuery& operator=(TraceQuery&&) noexcept;

    static TraceQuery parse(std::string_view text, QueryError* error);

    bool isEmpty() const;
    bool matches(const Workspace& ws, const TraceRow& row) const;
    // Indexes of matching rows, in row order.
    std::vector<std::uint32_t> filter(const Workspace& ws) const;

    struct Node;

private:
    std::vector<Node> m_nodes;
    int m_root = -1;
};

// Names the filter language knows, for completion and help.
std::vector<std::string_view> queryFieldNames();

} // namespace rw
