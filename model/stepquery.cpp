#include "model/stepquery.h"

#include "model/querytree.h"

#include <re2/re2.h>

#include <algorithm>

namespace rw {

using querylex::Op;

namespace {

bool sameWord(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return asciiLower(x) == asciiLower(y); });
}

// The values a `$…` variable names: a profile list, or a field of the step
// a rule is about (the step itself when there is no other).
std::vector<std::string_view> variableValues(const std::string& name, const StepFacts& s)
{
    std::vector<std::string_view> out;
    if (name.starts_with("agent.")) {
        if (s.variables)
            for (const std::string& v : s.variables->list(name))
                out.push_back(v);
        return out;
    }
    const StepFacts& a = s.anchor ? *s.anchor : s;
    const std::string_view field = std::string_view(name).substr(5); // after "step."
    std::string_view v;
    if (field == "tool")
        v = a.tool;
    else if (field == "action")
        v = a.action;
    else if (field == "agent")
        v = a.agent;
    else if (field == "result.status")
        v = a.resultStatus;
    else if (field == "approval.id")
        v = a.approvalId;
    else if (field.starts_with("param."))
        v = a.param(field.substr(6));
    if (!v.empty())
        out.push_back(v);
    return out;
}

// The words a field has for a step; absent values are no words (so that
// `approval.id:*` needs an approval).
template <class F> bool anyWord(const QueryNode& n, const StepFacts& s, F&& test)
{
    const auto one = [&](std::string_view v) { return !v.empty() && test(v); };
    const auto list = [&](std::span<const std::string_view> values) {
        return std::any_of(values.begin(), values.end(), one);
    };
    switch (n.field) {
    case QueryField::Decision: return one(s.decision);
    case QueryField::Tool: return one(s.tool);
    case QueryField::Agent: return one(s.agent) || one(s.agentName);
    case QueryField::Trace: return one(s.run);
    case QueryField::Reason: return one(s.reason);
    case QueryField::Action: return one(s.action);
    case QueryField::ActionType: return list(s.actionTypes);
    case QueryField::Permission: return list(s.permissions);
    case QueryField::ResultStatus: return one(s.resultStatus);
    case QueryField::Reasoning: return one(s.reasoning);
    case QueryField::Env: return list(s.environments);
    case QueryField::Dest: return list(s.destinations);
    case QueryField::Approval: return one(s.approvalId);
    case QueryField::Param:
        if (!n.key.empty()) {
            bool found = false;
            const std::string_view v = s.param(n.key, &found);
            return found && test(v);
        }
        return std::any_of(s.params.begin(), s.params.end(), [&](const StepParam& p) { return test(p.value); });
    default: return false;
    }
}

bool compareStep(const QueryNode& n, const StepFacts& s)
{
    if (n.field == QueryField::Step)
        return s.step >= 0 && compareQueryNumber(n.op, static_cast<double>(s.step), n.number);
    if (n.field == QueryField::Escalated) {
        const bool is = s.escalated == (n.number != 0);
        return n.op == Op::Ne ? !is : is;
    }
    bool any = false;
    if (!n.variable.empty()) {
        // `tool in $agent.approved_tools`, `param.host:=$step.param.host`:
        // the list's entries may be globs (approved_tools: ["metrics.*"])
        const std::vector<std::string_view> values = variableValues(n.variable, s);
        any = anyWord(n, s, [&](std::string_view word) {
            return std::any_of(values.begin(), values.end(), [&](std::string_view v) {
                return v.find('*') == std::string_view::npos ? sameWord(word, v)
                                                             : GlobMatcher(querylex::lowered(v)).matches(word);
            });
        });
    } else if (n.op == Op::Regex) {
        any = anyWord(n, s, [&](std::string_view word) {
            return RE2::PartialMatch(re2::StringPiece(word.data(), word.size()), *n.regex);
        });
    } else if (n.field == QueryField::Dest && (n.value == "untrusted" || n.value == "trusted")) {
        any = n.value == "untrusted" ? s.untrustedDestination : s.trustedDestination;
    } else {
        any = anyWord(n, s, [&](std::string_view word) { return n.glob.matches(word); });
    }
    return n.op == Op::Ne ? !any : any;
}

} // namespace

std::string_view StepFacts::param(std::string_view key, bool* found) const
{
    for (const StepParam& p : params)
        if (sameWord(p.key, key)) {
            if (found)
                *found = true;
            return p.value;
        }
    if (found)
        *found = false;
    return {};
}

bool matchesStep(const QueryTree& tree, int index, const StepFacts& s)
{
    using Kind = QueryNode::Kind;
    const QueryNode& n = tree.nodes[static_cast<std::size_t>(index)];
    switch (n.kind) {
    case Kind::And:
        return std::all_of(n.children.begin(), n.children.end(), [&](int c) { return matchesStep(tree, c, s); });
    case Kind::Or:
        return std::any_of(n.children.begin(), n.children.end(), [&](int c) { return matchesStep(tree, c, s); });
    case Kind::Not: return !matchesStep(tree, n.children.front(), s);
    case Kind::Text:
        for (const std::string_view v : {s.tool, s.action, s.agent, s.agentName, s.run, s.decision, s.reason, s.reasoning})
            if (!v.empty() && n.text.foundIn(v))
                return true;
        return false;
    case Kind::Compare: return compareStep(n, s);
    }
    return false;
}

StepQuery::StepQuery() : m_tree(std::make_shared<QueryTree>()) {}
StepQuery::~StepQuery() = default;
StepQuery::StepQuery(const StepQuery&) = default;
StepQuery& StepQuery::operator=(const StepQuery&) = default;

StepQuery StepQuery::parse(std::string_view text, QueryError* error, bool rule)
{
    StepQuery q;
    q.m_tree = parseQueryTree(text, QueryScope::Step, rule ? QueryVariables::Rule : QueryVariables::None, error);
    return q;
}

bool StepQuery::isValid() const { return m_tree != nullptr; }

bool StepQuery::isEmpty() const { return m_tree && m_tree->root < 0; }

bool StepQuery::matches(const StepFacts& step) const
{
    if (!m_tree)
        return false; // a query that did not parse matches nothing
    return m_tree->root < 0 || matchesStep(*m_tree, m_tree->root, step);
}

} // namespace rw
