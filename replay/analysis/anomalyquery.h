#pragma once

// The anomaly feed's filter, written as words the way the trace list's filter
// is (Wireshark's expert-info filter, Timesketch's search): every term must
// hold.
//   anomaly:data_exfiltration   detector (also detector:); a prefix of its id
//   severity>=warn              severity: `:` or `=`, `>=`, `>`, `<=`, `<` (info, warn, critical)
//   agent:prod-triage           agent id (or an interceptor trace's agent name) starts with it (any case)
//   rule:retry                  rule id starts with it (retry.repeated, policy.SOP-114.…; any case)
//   run:run-c891                run (trace) id starts with it (any case)
//   time>=2026-03-05T14:00:00Z  step time (also time>, time<, time<=), ISO 8601
//   status:open                 triage status; every anomaly is open until case files keep triage
//   any other word              found (any case) in the rule id, key, run id or agent id
// A term that cannot be read is an error with its position; nothing is applied then.
// A word with `:` is a word (ssh:exec:write); a comparison of an unknown field is an error.
#include "replay/analysis/workspaceanalysis.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rw::analysis {

enum class AnomalyQueryError : std::uint8_t {
    None,
    UnknownDetector, // anomaly:/detector: names no detector
    UnknownSeverity,
    BadTime,         // time… is no ISO 8601 time
    BadOperator,     // an operator the field does not take (agent>=x)
    EmptyValue,      // agent: with nothing after it
    UnknownStatus,   // a status other than open (triage lives in case files)
    UnknownField,    // a comparison (x>=y) of a field the feed does not know (sevrity>=warn)
};
const char* anomalyQueryErrorName(AnomalyQueryError e);

struct AnomalyQueryProblem
{
    AnomalyQueryError error = AnomalyQueryError::None;
    std::size_t position = 0;  // byte of the term in the query
    std::size_t character = 0; // the same, counted in characters (UTF-8 code points)
    std::string term;
};

class AnomalyQuery
{
public:
    static std::optional<AnomalyQuery> parse(std::string_view text, AnomalyQueryProblem* problem = nullptr);

    bool matches(const WorkspaceAnalysis& analysis, const AnomalyRef& ref, const Workspace* ws) const;
    bool empty() const { return m_terms.empty(); }

    enum class Op : std::uint8_t { Eq, Ge, Gt, Le, Lt };
    enum class Field : std::uint8_t { Detector, Severity, Agent, Rule, Run, Time, Word };
    struct Term
    {
        Field field = Field::Word;
        Op op = Op::Eq;
        std::string text;       // lower case for Word
        std::int64_t value = 0; // severity, time (µs)
        std::uint32_t detectors = 0; // bit per Detector for Field::Detector
    };

private:
    std::vector<Term> m_terms;
};

// Anomalies of one severity and detector, as the feed groups them (Wireshark's
// expert info: severity, then group), most severe first, then by detector.
struct AnomalyGroup
{
    Severity severity = Severity::Info;
    Detector detector = Detector::PermissionEscalation;
    std::vector<std::uint32_t> members; // positions in WorkspaceAnalysis::anomalies, in their order
};

std::vector<AnomalyGroup> groupAnomalies(const WorkspaceAnalysis& analysis, const AnomalyQuery& query,
                                         const Workspace* ws);

} // namespace rw::analysis
