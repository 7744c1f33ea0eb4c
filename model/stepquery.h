#pragma once

#include "model/stepfacts.h"
#include "model/tracequery.h"

#include <memory>
#include <string_view>

namespace rw {

struct QueryTree;

// The step scope of the filter language (tracequery.h): one expression
// about one step, as behavioural policies, exfiltration rules and the
// anomaly feed write them:
//
//   action_type:destroy AND env:production
//   tool in $agent.approved_tools
//   escalated:true AND NOT approval.id:*
//   action_type:observe AND param.host:=$step.param.host
//   reasoning~"(?i)read[- ]only" AND NOT perm:*:write
//
// Trace-only fields (events>3) are refused. Rules may name `$agent.…` and
// `$step.…` variables (QueryVariables::Rule).
class StepQuery
{
public:
    StepQuery();
    ~StepQuery();
    StepQuery(const StepQuery&);
    StepQuery& operator=(const StepQuery&);

    // `rule`: variables are allowed
    static StepQuery parse(std::string_view text, QueryError* error, bool rule = true);

    bool isValid() const; // false after a parse error: then it matches nothing
    bool isEmpty() const;
    // an empty query matches every step
    bool matches(const StepFacts& step) const;

private:
    std::shared_ptr<const QueryTree> m_tree;
};

// Evaluates node `index` of a tree for one step (shared with TraceQuery,
// which asks a trace's steps its step-scope terms).
bool matchesStep(const QueryTree& tree, int index, const StepFacts& step);

} // namespace rw
