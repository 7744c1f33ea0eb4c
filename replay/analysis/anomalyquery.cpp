#include "replay/analysis/anomalyquery.h"

#include "model/timestamp.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace rw::analysis {

const char* anomalyQueryErrorName(AnomalyQueryError e)
{
    switch (e) {
    case AnomalyQueryError::None: return "none";
    case AnomalyQueryError::UnknownDetector: return "unknown_detector";
    case AnomalyQueryError::UnknownSeverity: return "unknown_severity";
    case AnomalyQueryError::BadTime: return "bad_time";
    case AnomalyQueryError::BadOperator: return "bad_operator";
    case AnomalyQueryError::EmptyValue: return "empty_value";
    case AnomalyQueryError::UnknownStatus: return "unknown_status";
    case AnomalyQueryError::UnknownField: return "unknown_field";
    }
    return "none";
}

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

// `prefixLower` already in lower case
bool startsWithNoCase(std::string_view s, std::string_view prefixLower)
{
    if (s.size() < prefixLower.size())
        return false;
    for (std::size_t i = 0; i < prefixLower.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != static_cast<unsigned char>(prefixLower[i]))
            return false;
    return true;
}

std::size_t characters(std::string_view text)
{
    // UTF-8: every byte but a continuation byte begins a character
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

bool containsNoCase(std::string_view hay, std::string_view needleLower)
{
    if (needleLower.empty())
        return true;
    const auto it = std::search(hay.begin(), hay.end(), needleLower.begin(), needleLower.end(),
                                [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    return it != hay.end();
}

std::optional<Severity> severityOf(std::string_view word)
{
    const std::string w = lower(word);
    if (w == "info")
        return Severity::Info;
    if (w == "warn" || w == "warning")
        return Severity::Warn;
    if (w == "critical")
        return Severity::Critical;
    return std::nullopt;
}

template <typename T>
bool compare(T a, AnomalyQuery::Op op, T b)
{
    switch (op) {
    case AnomalyQuery::Op::Eq: return a == b;
    case AnomalyQuery::Op::Ge: return a >= b;
    case AnomalyQuery::Op::Gt: return a > b;
    case AnomalyQuery::Op::Le: return a <= b;
    case AnomalyQuery::Op::Lt: return a < b;
    }
    return false;
}

// "field", the operator and the value of a term ("severity>=warn"); no field: a word
struct Split
{
    std::string_view field, value;
    AnomalyQuery::Op op = AnomalyQuery::Op::Eq;
    bool hasField = false;
};

Split split(std::string_view term)
{
    static constexpr std::array<std::pair<std::string_view, AnomalyQuery::Op>, 6> ops{{
        {">=", AnomalyQuery::Op::Ge}, {"<=", AnomalyQuery::Op::Le}, {">", AnomalyQuery::Op::Gt},
        {"<", AnomalyQuery::Op::Lt}, {":", AnomalyQuery::Op::Eq}, {"=", AnomalyQuery::Op::Eq}}};
    const std::size_t at = term.find_first_of(":=<>");
    if (at == std::string_view::npos || at == 0)
        return {{}, term, AnomalyQuery::Op::Eq, false};
    for (const auto& [word, op] : ops)
        if (term.substr(at, word.size()) == word)
            return {term.substr(0, at), term.substr(at + word.size()), op, true};
    return {{}, term, AnomalyQuery::Op::Eq, false};
}

} // namespace

std::optional<AnomalyQuery> AnomalyQuery::parse(std::string_view text, AnomalyQueryProblem* problem)
{
    AnomalyQuery q;
    std::size_t pos = 0;
    const auto fail = [&](AnomalyQueryError e, std::size_t at, std::string_view term) -> std::optional<AnomalyQuery> {
        if (problem)
            *problem = {e, at, characters(text.substr(0, at)), std::string(term)};
        return std::nullopt;
    };
    while (pos < text.size()) {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
            ++pos;
        if (pos >= text.size())
            break;
        const std::size_t start = pos;
        while (pos < text.size() && !std::isspace(static_cast<unsigned char>(text[pos])))
            ++pos;
        const std::string_view term = text.substr(start, pos - start);
        const Split s = split(term);
        const std::string field = lower(s.field);
        Term t;
        t.op = s.op;
        const bool known = field == "anomaly" || field == "detector" || field == "severity" || field == "agent" ||
                           field == "rule" || field == "run" || field == "time" || field == "status";
        if (s.hasField && !known && s.op != Op::Eq)
            return fail(AnomalyQueryError::UnknownField, start, term);
        if (!s.hasField || !known) {
            t.field = Field::Word;
            t.text = lower(term);
            q.m_terms.push_back(std::move(t));
            continue;
        }
        if (s.value.empty())
            return fail(AnomalyQueryError::EmptyValue, start, term);
        const bool ordered = field == "severity" || field == "time";
        if (!ordered && s.op != Op::Eq)
            return fail(AnomalyQueryError::BadOperator, start, term);
        if (field == "anomaly" || field == "detector") {
            t.field = Field::Detector;
            const std::string want = lower(s.value);
            for (std::size_t d = 0; d < kDetectorCount; ++d)
                if (startsWith(detectorName(static_cast<Detector>(d)), want))
                    t.detectors |= 1u << d;
            if (!t.detectors)
                return fail(AnomalyQueryError::UnknownDetector, start, term);
        } else if (field == "severity") {
            const std::optional<Severity> sev = severityOf(s.value);
            if (!sev)
                return fail(AnomalyQueryError::UnknownSeverity, start, term);
            t.field = Field::Severity;
            t.value = static_cast<std::int64_t>(*sev);
        } else if (field == "time") {
            const std::optional<std::int64_t> us = parseTimestamp(s.value);
            if (!us)
                return fail(AnomalyQueryError::BadTime, start, term);
            t.field = Field::Time;
            t.value = *us;
        } else if (field == "status") {
            if (lower(s.value) != "open")
                return fail(AnomalyQueryError::UnknownStatus, start, term);
            continue; // every anomaly is open: no term
        } else {
            t.field = field == "agent" ? Field::Agent : field == "rule" ? Field::Rule : Field::Run;
            t.text = lower(s.value);
        }
        q.m_terms.push_back(std::move(t));
    }
    if (problem)
        *problem = {};
    return q;
}

bool AnomalyQuery::matches(const WorkspaceAnalysis& analysis, const AnomalyRef& ref, const Workspace* ws) const
{
    const Anomaly& a = analysis.anomaly(ref);
    for (const Term& t : m_terms) {
        switch (t.field) {
        case Field::Detector:
            if (!(t.detectors & (1u << static_cast<unsigned>(a.detector))))
                return false;
            break;
        case Field::Severity:
            if (!compare(static_cast<std::int64_t>(a.severity), t.op, t.value))
                return false;
            break;
        case Field::Agent: {
            bool ok = startsWithNoCase(a.agentId, t.text);
            if (!ok && ws && ref.row >= 0) {
                const TraceRow& row = ws->row(static_cast<std::size_t>(ref.row));
                ok = startsWithNoCase(ws->str(row, row.agentName), t.text);
            }
            if (!ok)
                return false;
            break;
        }
        case Field::Rule:
            if (!startsWithNoCase(a.ruleId, t.text))
                return false;
            break;
        case Field::Run:
            if (!startsWithNoCase(a.runId, t.text))
                return false;
            break;
        case Field::Time:
            if (ref.timeUs == kNoTime || !compare(ref.timeUs, t.op, t.value))
                return false;
            break;
        case Field::Word:
            if (!containsNoCase(a.ruleId, t.text) && !containsNoCase(a.key, t.text) && !containsNoCase(a.runId, t.text) &&
                !containsNoCase(a.agentId, t.text))
                return false;
            break;
        }
    }
    return true;
}

std::vector<AnomalyGroup> groupAnomalies(const WorkspaceAnalysis& analysis, const AnomalyQuery& query, const Workspace* ws)
{
    // a slot per (severity, detector): 3 x 7, filled in one pass
    std::array<AnomalyGroup, 3 * kDetectorCount> slots;
    for (std::uint32_t i = 0; i < analysis.anomalies.size(); ++i) {
        const AnomalyRef& ref = analysis.anomalies[i];
        if (!query.empty() && !query.matches(analysis, ref, ws))
            continue;
        const Anomaly& a = analysis.anomaly(ref);
        slots[static_cast<std::size_t>(a.severity) * kDetectorCount + static_cast<std::size_t>(a.detector)].members.push_back(i);
    }
    std::vector<AnomalyGroup> out;
    for (std::size_t s = 3; s-- > 0;)
        for (std::size_t d = 0; d < kDetectorCount; ++d) {
            AnomalyGroup& g = slots[s * kDetectorCount + d];
            if (g.members.empty())
                continue;
            g.severity = static_cast<Severity>(s);
            g.detector = static_cast<Detector>(d);
            out.push_back(std::move(g));
        }
    return out;
}

} // namespace rw::analysis
