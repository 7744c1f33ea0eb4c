#pragma once

// The parsed filter language, shared by the trace filter (tracequery.h) and
// the step scope (stepquery.h): one grammar, one parser, two evaluators.
// Internal to model/.
#include "model/casefoldsearcher.h"
#include "model/globmatcher.h"
#include "model/querylexer.h"
#include "model/tracequery.h"

#include <memory>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace rw {

struct QueryNode
{
    enum class Kind : std::uint8_t { And, Or, Not, Compare, Text } kind = Kind::Text;
    // And and Or are flat (one node for `a b c d`), so evaluation recurses
    // only as deep as groups and NOT nest, which the parser bounds.
    std::vector<int> children;
    QueryField field = QueryField::Trace;
    querylex::Op op = querylex::Op::Match;
    std::string value;    // lower-cased pattern or text
    std::string key;      // param.<key>, as written
    std::string variable; // `$agent.approved_tools` without the $, lower-cased
    bool in = false;      // `tool in $agent.approved_tools`: the value is a list
    CaseFoldSearcher text; // free text, built once per query
    GlobMatcher glob;      // string fields, built once per query
    std::shared_ptr<const re2::RE2> regex; // `~`
    double number = 0;
};

// Which variables a step rule may name; the filter bar has none.
enum class QueryVariables : std::uint8_t { None, Rule };

struct QueryTree
{
    std::vector<QueryNode> nodes;
    int root = -1;
    bool stepTerms = false; // a term of the step scope (or Both, in a step query)
    bool anomalyTerms = false; // anomalies or worst: the analysis is asked about
};

// Parses `text`. With QueryScope::Step only Both and Step fields are
// accepted. Returns nullptr on error (filled in), an empty tree for blank text.
std::shared_ptr<const QueryTree> parseQueryTree(std::string_view text, QueryScope scope, QueryVariables variables,
                                                QueryError* error);

// The field table's row of a name (`param.host` is Param), nullptr when unknown.
const QueryFieldInfo* queryFieldNamed(std::string_view lowerName);

bool compareQueryNumber(querylex::Op op, double a, double b);

} // namespace rw
