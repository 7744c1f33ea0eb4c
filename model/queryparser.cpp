#include "model/querytree.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>

namespace rw {

using namespace querylex;

namespace {

constexpr QueryScope T = QueryScope::Trace;
constexpr QueryScope B = QueryScope::Both;
constexpr QueryScope S = QueryScope::Step;

constexpr QueryFieldInfo kFields[] = {
    {QueryField::Decision, "decision", {}, QueryValue::Word, "decision:blocked", B},
    {QueryField::Tool, "tool", {}, QueryValue::Word, "tool:send_email", B},
    {QueryField::Trust, "trust", {}, QueryValue::Word, "trust:unverified", T},
    {QueryField::Agent, "agent", {}, QueryValue::Word, "agent:ops_agent", B},
    {QueryField::Tenant, "tenant", {}, QueryValue::Word, "tenant:acme", T},
    {QueryField::Stage, "stage", {}, QueryValue::Word, "stage:evaluate", T},
    {QueryField::Trace, "trace", {}, QueryValue::Word, "trace:fin-*", B},
    {QueryField::Governance, "governance", "result", QueryValue::Word, "governance:violation", T},
    {QueryField::Budget, "budget", {}, QueryValue::Word, "budget:violated", T},
    {QueryField::Reason, "reason", {}, QueryValue::Word, "reason:*approval*", B},
    {QueryField::File, "file", {}, QueryValue::Number, "file:2", T},
    {QueryField::Events, "events", {}, QueryValue::Number, "events>10", T},
    {QueryField::Duration, "duration", {}, QueryValue::Duration, "duration>=1.5s", T},
    {QueryField::Diagnostics, "diagnostics", "diags", QueryValue::Number, "diagnostics>0", T},
    {QueryField::Violations, "violations", {}, QueryValue::Number, "violations>0", T},
    {QueryField::FirstSeen, "first_seen", "time", QueryValue::Time, "first_seen>=2026-03-05T14:00", T},
    {QueryField::Action, "action", {}, QueryValue::Word, "action:restart_*", S},
    {QueryField::ActionType, "action_type", {}, QueryValue::Word, "action_type:modify", S},
    {QueryField::Permission, "perm", "permission", QueryValue::Word, "perm:ssh:exec:write", S},
    {QueryField::Param, "param", {}, QueryValue::Word, "param.host:web-03", S},
    {QueryField::ResultStatus, "result.status", {}, QueryValue::Word, "result.status:error", S},
    {QueryField::Reasoning, "reasoning", {}, QueryValue::Word, "reasoning~\"SOP-[0-9]+\"", S},
    {QueryField::Escalated, "escalated", {}, QueryValue::Bool, "escalated:true", S},
    {QueryField::Env, "env", {}, QueryValue::Word, "env:production", S},
    {QueryField::Dest, "dest", {}, QueryValue::Word, "dest:untrusted", S},
    {QueryField::Step, "step", {}, QueryValue::Number, "step>=3", S},
    {QueryField::Approval, "approval.id", {}, QueryValue::Word, "approval.id:*", S},
    {QueryField::Anomalies, "anomalies", {}, QueryValue::Number, "anomalies>0", T},
    {QueryField::Worst, "worst", {}, QueryValue::Word, "worst:critical", T},
};
static_assert(std::size(kFields) == kQueryFieldCount);
static_assert([] {
    for (std::size_t i = 0; i < std::size(kFields); ++i)
        if (static_cast<std::size_t>(kFields[i].field) != i)
            return false;
    return true;
}(), "kFields is indexed by QueryField");

bool isNumeric(QueryField f)
{
    const QueryValue v = kFields[static_cast<std::size_t>(f)].value;
    return v == QueryValue::Number || v == QueryValue::Duration || v == QueryValue::Time;
}

// the variables a behavioural rule may name: the agent's profile lists and
// the fields of the step the rule is about (`$step.param.host`)
bool knownVariable(std::string_view name)
{
    static constexpr std::array<std::string_view, 8> kNames = {
        "agent.approved_tools", "agent.baseline_grant", "agent.approvable", "step.tool",
        "step.action",          "step.agent",           "step.result.status", "step.approval.id"};
    if (std::find(kNames.begin(), kNames.end(), name) != kNames.end())
        return true;
    return name.starts_with("step.param.") && name.size() > 11;
}

class Parser
{
public:
    Parser(std::string_view text, QueryScope scope, QueryVariables variables, QueryTree& tree, QueryError* error)
        : m_lexer(text), m_scope(scope), m_variables(variables), m_tree(tree), m_error(error)
    {
    }

    int parse(std::string_view text)
    {
        if (text.size() > kMaxQueryBytes) {
            if (m_error)
                *m_error = {QueryErrorCode::TooLong, kMaxQueryBytes, text.size() - kMaxQueryBytes, {}, {}};
            return -2;
        }
        if (!advance())
            return -2;
        if (m_tok.kind == Tok::End)
            return -1;
        const int root = parseOr();
        if (root < 0)
            return -2;
        if (m_tok.kind != Tok::End)
            return fail(m_tok.kind == Tok::RParen ? QueryErrorCode::UnbalancedParenthesis
                                                  : QueryErrorCode::UnexpectedToken);
        return root;
    }

private:
    using Node = QueryNode;

    // `field:(a OR b)`: the words inside are values of that field
    struct Group
    {
        const QueryFieldInfo* field = nullptr;
        std::string key;
        Op op = Op::Match;
    };

    bool advance() { return m_lexer.next(m_tok, m_error); }

    int fail(QueryErrorCode code, const Token* at = nullptr)
    {
        const Token& t = at ? *at : m_tok;
        if (m_error && m_error->code == QueryErrorCode::None)
            *m_error = {code, t.pos, t.len, t.text, {}};
        return -2;
    }

    static Node link(Node::Kind kind, std::vector<int> children)
    {
        Node n;
        n.kind = kind;
        n.children = std::move(children);
        return n;
    }

    // one level of parentheses or NOT, refused past kMaxQueryDepth
    class Level
    {
    public:
        explicit Level(std::size_t& depth) : m_depth(depth) { ++m_depth; }
        ~Level() { --m_depth; }
        Level(const Level&) = delete;
        Level& operator=(const Level&) = delete;
        bool tooDeep() const { return m_depth > kMaxQueryDepth; }

    private:
        std::size_t& m_depth;
    };

    int add(Node n)
    {
        m_tree.nodes.push_back(std::move(n));
        return static_cast<int>(m_tree.nodes.size()) - 1;
    }

    int parseOr()
    {
        const int first = parseAnd();
        if (first < 0 || m_tok.kind != Tok::Or)
            return first;
        std::vector<int> children{first};
        while (m_tok.kind == Tok::Or) {
            if (!advance())
                return -2;
            const int right = parseAnd();
            if (right < 0)
                return right == -1 ? fail(QueryErrorCode::MissingValue) : -2;
            children.push_back(right);
        }
        return add(link(Node::Kind::Or, std::move(children)));
    }

    bool startsTerm() const
    {
        return m_tok.kind == Tok::Word || m_tok.kind == Tok::Quoted || m_tok.kind == Tok::LParen ||
               m_tok.kind == Tok::Not;
    }

    int parseAnd()
    {
        if (!startsTerm())
            return fail(m_tok.kind == Tok::RParen ? QueryErrorCode::EmptyGroup
                        : m_tok.kind == Tok::End  ? QueryErrorCode::MissingValue
                                                  : QueryErrorCode::UnexpectedToken);
        const int first = parseUnary();
        if (first < 0 || (m_tok.kind != Tok::And && !startsTerm()))
            return first;
        std::vector<int> children{first};
        while (m_tok.kind == Tok::And || startsTerm()) {
            if (m_tok.kind == Tok::And) {
                if (!advance())
                    return -2;
                if (!startsTerm())
                    return fail(m_tok.kind == Tok::End ? QueryErrorCode::MissingValue : QueryErrorCode::UnexpectedToken);
            }
            const int right = parseUnary();
            if (right < 0)
                return -2;
            children.push_back(right);
        }
        return add(link(Node::Kind::And, std::move(children)));
    }

    int parseUnary()
    {
        if (m_tok.kind != Tok::Not && m_tok.kind != Tok::LParen)
            return parseTerm();
        const Level level(m_depth);
        if (level.tooDeep())
            return fail(QueryErrorCode::TooDeep);
        if (m_tok.kind == Tok::Not) {
            if (!advance())
                return -2;
            if (!startsTerm())
                return fail(m_tok.kind == Tok::End ? QueryErrorCode::MissingValue : QueryErrorCode::UnexpectedToken);
            const int inner = parseUnary();
            return inner < 0 ? inner : add(link(Node::Kind::Not, {inner}));
        }
        const Token open = m_tok;
        if (!advance())
            return -2;
        if (m_tok.kind == Tok::RParen)
            return fail(QueryErrorCode::EmptyGroup);
        const int inner = parseOr();
        if (inner < 0)
            return -2;
        if (m_tok.kind != Tok::RParen)
            return fail(QueryErrorCode::UnbalancedParenthesis, &open);
        if (!advance())
            return -2;
        return inner;
    }

    // the field a word names, checked against the scope
    const QueryFieldInfo* fieldOf(const Token& word, std::string& key)
    {
        const std::string name = lowered(word.text);
        const QueryFieldInfo* field = queryFieldNamed(name);
        if (!field) {
            fail(QueryErrorCode::UnknownField, &word);
            return nullptr;
        }
        if (m_scope == QueryScope::Step && field->scope == QueryScope::Trace) {
            fail(QueryErrorCode::NotAStepField, &word);
            return nullptr;
        }
        if (field->field == QueryField::Param && name.size() > 6)
            key = word.text.substr(6); // JSON keys keep their case
        return field;
    }

    int parseTerm()
    {
        if (++m_terms > kMaxQueryTerms)
            return fail(QueryErrorCode::TooManyTerms);
        const Token word = m_tok;
        if (!advance())
            return -2;
        // `tool in $agent.approved_tools`
        if (word.kind == Tok::Word && m_tok.kind == Tok::Word && m_tok.text == "in" &&
            queryFieldNamed(lowered(word.text))) {
            const Token in = m_tok;
            std::string key;
            const QueryFieldInfo* field = fieldOf(word, key);
            if (!field || !advance())
                return -2;
            if (m_tok.kind != Tok::Word || !m_tok.text.starts_with('$'))
                return fail(QueryErrorCode::MissingValue, &in);
            const Token value = m_tok;
            if (!advance())
                return -2;
            return compare(*field, key, Op::Match, value, true, in);
        }
        if (word.kind == Tok::Quoted || m_tok.kind != Tok::Op) {
            if (m_group.field)
                return compare(*m_group.field, m_group.key, m_group.op, word, false, word);
            Node n;
            n.kind = Node::Kind::Text;
            n.value = lowered(word.text);
            n.text = CaseFoldSearcher(n.value);
            return add(std::move(n));
        }
        const Token op = m_tok;
        std::string key;
        const QueryFieldInfo* field = fieldOf(word, key);
        if (!field)
            return -2;
        m_lexer.expectValue();
        if (!advance())
            return -2;
        if (m_tok.kind == Tok::LParen) {
            // the group's words are values of this field; parseUnary reads the group
            const Group outer = m_group;
            m_group = {field, key, op.op};
            const int inner = parseUnary();
            m_group = outer;
            return inner;
        }
        if (m_tok.kind != Tok::Word && m_tok.kind != Tok::Quoted)
            return fail(QueryErrorCode::MissingValue, &op);
        const Token value = m_tok;
        if (!advance())
            return -2;
        return compare(*field, key, op.op, value, false, op);
    }

    int compare(const QueryFieldInfo& field, const std::string& key, Op op, const Token& value, bool in,
                const Token& opToken)
    {
        Node n;
        n.kind = Node::Kind::Compare;
        n.field = field.field;
        n.key = key;
        n.op = op;
        n.in = in;
        n.value = lowered(value.text);
        m_tree.anomalyTerms = m_tree.anomalyTerms || field.field == QueryField::Anomalies || field.field == QueryField::Worst;
        if (field.scope != QueryScope::Trace)
            m_tree.stepTerms = m_tree.stepTerms || field.scope == QueryScope::Step || m_scope == QueryScope::Step;
        const bool numeric = isNumeric(n.field);
        if ((!numeric && (op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge)) ||
            (op == Op::Regex && field.value != QueryValue::Word))
            return fail(QueryErrorCode::OperatorNotAllowed, &opToken);
        if (value.kind == Tok::Word && value.text.starts_with('$')) {
            n.variable = n.value.substr(1);
            if (m_variables != QueryVariables::Rule)
                return fail(QueryErrorCode::VariableNotHere, &value);
            if (numeric || op == Op::Regex || !knownVariable(n.variable))
                return fail(QueryErrorCode::UnknownVariable, &value);
            return add(std::move(n));
        }
        if (in)
            return fail(QueryErrorCode::MissingValue, &opToken);
        if (op == Op::Regex) {
            if (value.text.size() > kMaxRegexBytes)
                return fail(QueryErrorCode::BadRegex, &value);
            RE2::Options options;
            options.set_log_errors(false);
            options.set_max_mem(kMaxRegexMemory);
            auto re = std::make_shared<RE2>(value.text, options);
            if (!re->ok()) {
                fail(QueryErrorCode::BadRegex, &value);
                if (m_error && m_error->code == QueryErrorCode::BadRegex)
                    m_error->detail = re->error();
                return -2;
            }
            n.regex = std::move(re);
            return add(std::move(n));
        }
        switch (field.value) {
        case QueryValue::Number: {
            const auto v = parseNumber(value.text);
            if (!v)
                return fail(QueryErrorCode::BadNumber, &value);
            n.number = *v;
            break;
        }
        case QueryValue::Duration: {
            const auto v = parseDurationUs(value.text);
            if (!v)
                return fail(QueryErrorCode::BadDuration, &value);
            n.number = *v;
            break;
        }
        case QueryValue::Time: {
            const auto v = parsePartialTime(value.text);
            if (!v)
                return fail(QueryErrorCode::BadTime, &value);
            n.number = static_cast<double>(*v);
            break;
        }
        case QueryValue::Bool:
            if (n.value != "true" && n.value != "false")
                return fail(QueryErrorCode::BadBool, &value);
            n.number = n.value == "true" ? 1 : 0;
            break;
        case QueryValue::Word:
            if (n.field == QueryField::Decision)
                n.value = canonicalDecision(n.value);
            n.glob = GlobMatcher(n.value);
            break;
        }
        return add(std::move(n));
    }

    Lexer m_lexer;
    QueryScope m_scope;
    QueryVariables m_variables;
    QueryTree& m_tree;
    QueryError* m_error;
    Token m_tok;
    Group m_group;
    std::size_t m_depth = 0;
    std::size_t m_terms = 0;
};

} // namespace

const QueryFieldInfo* queryFieldNamed(std::string_view name)
{
    if (name.starts_with("param."))
        name = "param";
    for (const QueryFieldInfo& f : kFields)
        if (f.name == name || (!f.alias.empty() && f.alias == name))
            return &f;
    return nullptr;
}

std::shared_ptr<const QueryTree> parseQueryTree(std::string_view text, QueryScope scope, QueryVariables variables,
                                                QueryError* error)
{
    if (error)
        *error = {};
    auto tree = std::make_shared<QueryTree>();
    QueryError local;
    Parser parser(text, scope, variables, *tree, error ? error : &local);
    const int root = parser.parse(text);
    if (root == -2)
        return nullptr;
    tree->root = root;
    return tree;
}

bool compareQueryNumber(Op op, double a, double b)
{
    switch (op) {
    case Op::Match:
    case Op::Eq: return a == b;
    case Op::Ne: return a != b;
    case Op::Lt: return a < b;
    case Op::Le: return a <= b;
    case Op::Gt: return a > b;
    case Op::Ge: return a >= b;
    case Op::Regex: return false;
    }
    return false;
}

std::span<const QueryFieldInfo> queryFields() { return kFields; }

const QueryFieldInfo& queryField(QueryField field) { return kFields[static_cast<std::size_t>(field)]; }

std::vector<std::string_view> queryFieldNames()
{
    std::vector<std::string_view> out;
    for (const QueryFieldInfo& f : kFields) {
        out.push_back(f.name);
        if (!f.alias.empty())
            out.push_back(f.alias);
    }
    return out;
}

} // namespace rw
