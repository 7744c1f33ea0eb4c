#pragma once

// The filter language's tokens and lexer, and the value parsers the parser
// and the evaluator share. Internal to tracequery.cpp.
#include "model/tracequery.h"

#include "model/timestamp.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace rw::querylex {

enum class Tok : std::uint8_t { End, Word, Quoted, LParen, RParen, And, Or, Not, Op };
enum class Op : std::uint8_t { Match, Eq, Ne, Lt, Le, Gt, Ge, Regex };

struct Token
{
    Tok kind = Tok::End;
    std::string text;
    Op op = Op::Match;
    std::size_t pos = 0;
    std::size_t len = 0;
};

inline std::string lowered(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = asciiLower(c);
    return out;
}

// decision:deny finds the traces whose final decision is "blocked"; a glob or
// an unknown word is matched as typed
inline std::string canonicalDecision(std::string v)
{
    const Decision d = decisionFromTyped(v);
    return d == Decision::None ? v : std::string(decisionName(d));
}

// "2026-03-05", "2026-03-05T14", "2026-03-05T14:00", full ISO: missing parts are zero, UTC
inline std::optional<std::int64_t> parsePartialTime(std::string_view v)
{
    static constexpr std::string_view kFill = "0000-01-01T00:00:00";
    if (v.size() < 4)
        return std::nullopt;
    std::string text(v);
    if (text.size() < kFill.size())
        text += kFill.substr(text.size());
    return parseTimestamp(text);
}

inline std::optional<double> parseNumber(std::string_view v)
{
    double d = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(d))
        return std::nullopt;
    return d;
}

inline std::optional<double> parseDurationUs(std::string_view v)
{
    double scale = 1e6;
    std::string_view num = v;
    for (const auto& [suffix, factor] : {std::pair<std::string_view, double>{"us", 1.0}, {"ms", 1e3}, {"s", 1e6},
                                         {"m", 60e6}, {"h", 3600e6}}) {
        if (v.size() > suffix.size() && v.ends_with(suffix)) {
            num = v.substr(0, v.size() - suffix.size());
            scale = factor;
            break;
        }
    }
    const auto n = parseNumber(num);
    if (!n)
        return std::nullopt;
    return *n * scale;
}

class Lexer
{
public:
    explicit Lexer(std::string_view text) : m_text(text) {}

    // After an operator the value runs to the next space or parenthesis, so
    // times (14:00) and glob patterns keep their colons and signs.
    void expectValue() { m_valueMode = true; }

    bool next(Token& tok, QueryError* error)
    {
        const bool valueMode = m_valueMode;
        m_valueMode = false;
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t'))
            ++m_pos;
        tok = Token{};
        tok.pos = m_pos;
        if (m_pos >= m_text.size())
            return true;
        const char c = m_text[m_pos];
        auto single = [&](Tok k) {
            tok.kind = k;
            tok.len = 1;
            tok.text = std::string(1, c);
            ++m_pos;
            return true;
        };
        if (c == '(')
            return single(Tok::LParen);
        if (c == ')')
            return single(Tok::RParen);
        if (c == '!' && (m_pos + 1 >= m_text.size() || m_text[m_pos + 1] != '='))
            return single(Tok::Not);
        if (c == '-' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] != ' ' && atTermStart())
            return single(Tok::Not);
        if (c == ':' || c == '<' || c == '>' || c == '=' || c == '!' || c == '~') {
            tok.kind = Tok::Op;
            const bool two = c != '~' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '=';
            tok.op = c == '~'   ? Op::Regex
                     : c == ':' ? Op::Match
                     : c == '=' ? Op::Eq
                     : c == '!' ? Op::Ne
                     : c == '<' ? (two ? Op::Le : Op::Lt)
                                : (two ? Op::Ge : Op::Gt);
            if (c == '!' && !two)
                return single(Tok::Not);
            tok.len = (two || c == '!') ? 2 : 1;
            tok.text = std::string(m_text.substr(m_pos, tok.len));
            m_pos += tok.len;
            return true;
        }
        if (c == '&' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '&') {
            tok.kind = Tok::And;
            tok.len = 2;
            m_pos += 2;
            return true;
        }
        if (c == '|' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '|') {
            tok.kind = Tok::Or;
            tok.len = 2;
            m_pos += 2;
            return true;
        }
        if (c == '"') {
            std::string value;
            std::size_t i = m_pos + 1;
            while (i < m_text.size() && m_text[i] != '"') {
                // \" and \\ are escapes; any other backslash stays, so that
                // reasoning~"SOP-\d+" reaches RE2 as written
                if (m_text[i] == '\\' && i + 1 < m_text.size() && (m_text[i + 1] == '"' || m_text[i + 1] == '\\'))
                    ++i;
                value += m_text[i++];
            }
            if (i >= m_text.size()) {
                if (error)
                    *error = {QueryErrorCode::UnterminatedQuote, m_pos, m_text.size() - m_pos,
                              std::string(m_text.substr(m_pos)), {}};
                return false;
            }
            tok.kind = Tok::Quoted;
            tok.text = std::move(value);
            tok.len = i + 1 - m_pos;
            m_pos = i + 1;
            return true;
        }
        std::size_t i = m_pos;
        const std::string_view stops = valueMode ? std::string_view(" \t()") : std::string_view(" \t()\":<>=!~");
        while (i < m_text.size() && stops.find(m_text[i]) == std::string_view::npos)
            ++i;
        if (i == m_pos) {
            tok.kind = Tok::Op; // a stray operator character where a value belongs
            tok.text = std::string(1, c);
            tok.len = 1;
            m_pos = i + 1;
            return true;
        }
        tok.kind = Tok::Word;
        tok.text = std::string(m_text.substr(m_pos, i - m_pos));
        tok.len = i - m_pos;
        m_pos = i;
        if (tok.text == "AND")
            tok.kind = Tok::And;
        else if (tok.text == "OR")
            tok.kind = Tok::Or;
        else if (tok.text == "NOT")
            tok.kind = Tok::Not;
        return true;
    }

private:
    // '-' negates only at the start of a term, not inside `ops-agent` or after an operator
    bool atTermStart() const
    {
        std::size_t i = m_pos;
        while (i > 0 && (m_text[i - 1] == ' ' || m_text[i - 1] == '\t'))
            --i;
        return i == 0 || m_text[i - 1] == '(' || i < m_pos;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    bool m_valueMode = false;
};

} // namespace rw::querylex
