#pragma once

// The closed vocabularies of the audit data: decisions, trust levels, risk
// levels and the governance result. Each has one table of wire words (the
// words the interceptor writes and upstream's replay engine compares), used
// by the loader, the filter, the policy engine, the item models and the CLI;
// nothing else spells these words. The tables are exact: "allow" is not
// "allowed" to upstream's engine, so it is not to us either (Other).
//
// Other means a word outside the table; the record keeps the word itself, so
// it is shown as written and only its colour says "unknown".

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rw {

// A policy decision: an event's `decision`, a trace's final decision, the
// policy engine's verdict (which is only ever Allowed, Blocked or RequireApproval).
enum class Decision : std::uint8_t { None, Allowed, Blocked, RequireApproval, Pending, Observed, Other };
// A trust level: of a provenance item, or of the agent's identity.
enum class Trust : std::uint8_t { None, Trusted, Internal, External, Unverified, Other };
// Upstream's governance result of a trace (always one of these words).
enum class Governance : std::uint8_t { Observed, Matched, Enforced, Blocked, Review, Violation };
// An event's risk_level (the loader writes "low" where it is missing).
enum class Risk : std::uint8_t { None, Low, Medium, High, Critical, Other };

// A value as an index into its vocabulary's tables.
template <class E>
constexpr std::size_t vocabularyIndex(E value)
{
    return static_cast<std::size_t>(value);
}

// Values per vocabulary: every table keyed by one of them has this many rows
// (each asserts it, so a new value does not build until it has its row everywhere).
inline constexpr std::size_t kDecisionCount = vocabularyIndex(Decision::Other) + 1;
inline constexpr std::size_t kTrustCount = vocabularyIndex(Trust::Other) + 1;
inline constexpr std::size_t kGovernanceCount = vocabularyIndex(Governance::Violation) + 1;
inline constexpr std::size_t kRiskCount = vocabularyIndex(Risk::Other) + 1;

// The wire word of a value; None and Other have the placeholders "none" and
// "other", which are never written back as data.
const char* decisionName(Decision d);
const char* trustName(Trust t);
const char* governanceName(Governance g);
const char* riskName(Risk r);

// The value of a wire word: exact and case-sensitive, as upstream compares.
// An empty word is None (as a missing one); any other unknown word is Other.
Decision decisionFromText(std::string_view text);
Trust trustFromText(std::string_view text);
Governance governanceFromText(std::string_view text); // unknown words: Observed
Risk riskFromText(std::string_view text);

// A decision as a person may type it in a filter (lower-cased): the wire
// words and their everyday forms, "allow", "deny", "approval". None when the
// text names no decision (then it is matched as it is, a glob perhaps).
Decision decisionFromTyped(std::string_view lowered);

// Order for "worst trust": unverified > external > other > internal > trusted > none.
int trustRank(Trust t);

} // namespace rw
