#include "model/tracequery.h"

#include "model/casefoldsearcher.h"
#include "model/globmatcher.h"
#include "model/querylexer.h"
#include "model/timestamp.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace rw {

using namespace querylex;

namespace {

constexpr QueryFieldInfo kFields[] = {
    {QueryField::Decision, "decision", {}, QueryValue::Word, "decision:blocked"},
    {QueryField::Tool, "tool", {}, QueryValue::Word, "tool:send_email"},
    {QueryField::Trust, "trust", {}, QueryValue::Word, "trust:unverified"},
    {QueryField::Agent, "agent", {}, QueryValue::Word, "agent:ops_agent"},
    {QueryField::Tenant, "tenant", {}, QueryValue::Word, "tenant:acme"},
    {QueryField::Stage, "stage", {}, QueryValue::Word, "stage:evaluate"},
    {QueryField::Trace, "trace", {}, QueryValue::Word, "trace:fin-*"},
    {QueryField::Governance, "governance", "result", QueryValue::Word, "governance:violation"},
    {QueryField::Budget, "budget", {}, QueryValue::Word, "budget:violated"},
    {QueryField::Reason, "reason", {}, QueryValue::Word, "reason:*approval*"},
    {QueryField::File, "file", {}, QueryValue::Number, "file:2"},
    {QueryField::Events, "events", {}, QueryValue::Number, "events>10"},
    {QueryField::Duration, "duration", {}, QueryValue::Duration, "duration>=1.5s"},
    {QueryField::Diagnostics, "diagnostics", "diags", QueryValue::Number, "diagnostics>0"},
    {QueryField::Violations, "violations", {}, QueryValue::Number, "violations>0"},
    {QueryField::FirstSeen, "first_seen", "time", QueryValue::Time, "first_seen>=2026-03-05T14:00"},
};
static_assert(std::size(kFields) == kQueryFieldCount);
static_assert([] {
    for (std::size_t i = 0; i < std::size(kFields); ++i)
        if (static_cast<std::size_t>(kFields[i].field) != i)
            return false;
    return true;
}(), "kFields is indexed by QueryField");

const QueryFieldInfo* fieldNamed(std::string_view name)
{
    for (const QueryFieldInfo& f : kFields)
        if (f.name == name || (!f.alias.empty() && f.alias == name))
            return &f;
    return nullptr;
}

bool isNumeric(QueryField f) { return kFields[static_cast<std::size_t>(f)].value != QueryValue::Word; }

} // namespace

struct TraceQuery::Node
{
    enum class Kind : std::uint8_t { And, Or, Not, Compare, Text } kind = Kind::Text;
    // And and Or are flat (one node for `a b c d`), so evaluation recurses
    // only as deep as groups and NOT nest, which the parser bounds.
    std::vector<int> children;
    QueryField field = QueryField::Trace;
    Op op = Op::Match;
    std::string value; // lower-cased pattern or text
    CaseFoldSearcher text; // free text, built once per query
    GlobMatcher glob;      // string fields, built once per query
    double number = 0;
};

namespace {

class Parser
{
public:
    Parser(std::string_view text, std::vector<TraceQuery::Node>& nodes, QueryError* error)
        : m_lexer(text), m_nodes(nodes), m_error(error)
    {
    }

    int parse(std::string_view text)
    {
        if (text.size() > kMaxQueryBytes) {
            if (m_error)
                *m_error = {QueryErrorCode::TooLong, kMaxQueryBytes, text.size() - kMaxQueryBytes, {}};
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
    using Node = TraceQuery::Node;

    bool advance() { return m_lexer.next(m_tok, m_error); }

    int fail(QueryErrorCode code, const Token* at = nullptr)
    {
        const Token& t = at ? *at : m_tok;
        if (m_error && m_error->code == QueryErrorCode::None)
            *m_error = {code, t.pos, t.len, t.text};
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
        m_nodes.push_back(std::move(n));
        return static_cast<int>(m_nodes.size()) - 1;
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

    int parseTerm()
    {
        if (++m_terms > kMaxQueryTerms)
            return fail(QueryErrorCode::TooManyTerms);
        const Token word = m_tok;
        if (!advance())
            return -2;
        if (word.kind == Tok::Quoted || m_tok.kind != Tok::Op) {
            Node n;
            n.kind = Node::Kind::Text;
            n.value = lowered(word.text);
            n.text = CaseFoldSearcher(n.value);
            return add(std::move(n));
        }
        const Token op = m_tok;
        const std::string name = lowered(word.text);
        const QueryFieldInfo* field = fieldNamed(name);
        if (!field)
            return fail(QueryErrorCode::UnknownField, &word);
        m_lexer.expectValue();
        if (!advance())
            return -2;
        if (m_tok.kind != Tok::Word && m_tok.kind != Tok::Quoted)
            return fail(QueryErrorCode::MissingValue, &op);
        const Token value = m_tok;
        if (!advance())
            return -2;

        Node n;
        n.kind = Node::Kind::Compare;
        n.field = field->field;
        n.op = op.op;
        n.value = lowered(value.text);
        if (!isNumeric(n.field) && (n.op == Op::Lt || n.op == Op::Le || n.op == Op::Gt || n.op == Op::Ge))
            return fail(QueryErrorCode::OperatorNotAllowed, &op);
        switch (field->value) {
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
        case QueryValue::Word:
            if (n.field == QueryField::Decision)
                n.value = canonicalDecision(n.value);
            break;
        }
        if (!isNumeric(n.field))
            n.glob = GlobMatcher(n.value);
        return add(std::move(n));
    }

    Lexer m_lexer;
    std::vector<TraceQuery::Node>& m_nodes;
    QueryError* m_error;
    Token m_tok;
    std::size_t m_depth = 0;
    std::size_t m_terms = 0;
};

bool compareNumber(Op op, double a, double b)
{
    switch (op) {
    case Op::Match:
    case Op::Eq: return a == b;
    case Op::Ne: return a != b;
    case Op::Lt: return a < b;
    case Op::Le: return a <= b;
    case Op::Gt: return a > b;
    case Op::Ge: return a >= b;
    }
    return false;
}

} // namespace

TraceQuery::TraceQuery() = default;
TraceQuery::~TraceQuery() = default;
TraceQuery::TraceQuery(TraceQuery&&) noexcept = default;
TraceQuery& TraceQuery::operator=(TraceQuery&&) noexcept = default;

TraceQuery TraceQuery::parse(std::string_view text, QueryError* error)
{
    if (error)
        *error = {};
    TraceQuery q;
    QueryError local;
    Parser parser(text, q.m_nodes, error ? error : &local);
    const int root = parser.parse(text);
    if (root == -2) {
        q.m_nodes.clear();
        q.m_root = -1;
        return q;
    }
    q.m_root = root;
    return q;
}

bool TraceQuery::isEmpty() const { return m_root < 0; }

namespace {

bool evalNode(const std::vector<TraceQuery::Node>& nodes, int index, const Workspace& ws, const TraceRow& r)
{
    using Kind = TraceQuery::Node::Kind;
    const TraceQuery::Node& n = nodes[static_cast<std::size_t>(index)];
    switch (n.kind) {
    case Kind::And:
        return std::all_of(n.children.begin(), n.children.end(), [&](int c) { return evalNode(nodes, c, ws, r); });
    case Kind::Or:
        return std::any_of(n.children.begin(), n.children.end(), [&](int c) { return evalNode(nodes, c, ws, r); });
    case Kind::Not: return !evalNode(nodes, n.children.front(), ws, r);
    case Kind::Text:
        for (const StrId id : {r.traceId, r.agentName, r.agentId, r.tool, r.tenant, r.finalDecision, r.finalReason})
            if (id != kNoStr && n.text.foundIn(ws.str(r, id)))
                return true;
        return false;
    case Kind::Compare: break;
    }
    auto str = [&](StrId id) { return id == kNoStr ? std::string_view() : ws.str(r, id); };
    auto text = [&](std::initializer_list<std::string_view> candidates) {
        bool any = false;
        for (const std::string_view c : candidates)
            any = any || n.glob.matches(c);
        return n.op == Op::Ne ? !any : any;
    };
    switch (n.field) {
    case QueryField::Decision: return text({str(r.finalDecision)});
    case QueryField::Tool: return text({str(r.tool)});
    case QueryField::Agent: return text({str(r.agentName), str(r.agentId)});
    case QueryField::Tenant: return text({str(r.tenant)});
    case QueryField::Trace: return text({str(r.traceId)});
    case QueryField::Reason: return text({str(r.finalReason)});
    case QueryField::Governance: return text({governanceName(r.governance)});
    case QueryField::Budget:
        return text({r.violations > 0 ? std::string_view("violated") : str(r.budgetStatus)});
    case QueryField::Trust: {
        // any provenance item of that trust level in the trace
        bool any = false;
        for (const TrustCount& t : ws.summary(static_cast<std::size_t>(&r - ws.rows().data())).trustCounts)
            any = any || n.glob.matches(ws.str(r, t.trust));
        return n.op == Op::Ne ? !any : any;
    }
    case QueryField::Stage: {
        const bool any = (r.stageMask & stageBit(n.value)) != 0;
        return n.op == Op::Ne ? !any : any;
    }
    case QueryField::Events: return compareNumber(n.op, r.events, n.number);
    case QueryField::Diagnostics: return compareNumber(n.op, r.diagnostics, n.number);
    case QueryField::Violations: return compareNumber(n.op, r.violations, n.number);
    case QueryField::File: return compareNumber(n.op, r.file + 1, n.number);
    case QueryField::Duration: return compareNumber(n.op, static_cast<double>(r.durationUs), n.number);
    case QueryField::FirstSeen:
        return r.firstSeenUs != kNoTime && compareNumber(n.op, static_cast<double>(r.firstSeenUs), n.number);
    }
    return false;
}

} // namespace

bool TraceQuery::matches(const Workspace& ws, const TraceRow& row) const
{
    return m_root < 0 || evalNode(m_nodes, m_root, ws, row);
}

std::vector<std::uint32_t> TraceQuery::filter(const Workspace& ws) const
{
    std::vector<std::uint32_t> out;
    out.reserve(ws.rows().size());
    for (std::size_t i = 0; i < ws.rows().size(); ++i)
        if (matches(ws, ws.rows()[i]))
            out.push_back(static_cast<std::uint32_t>(i));
    return out;
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
