#include "model/vocabulary.h"

#include <iterator>

namespace rw {

namespace {

// One table per vocabulary, in enum order: a name is an index, a look-up a
// short linear search (the words are few and short, and differ early).
constexpr const char* kDecisionNames[] = {"none",    "allowed",  "blocked", "require_approval",
                                          "pending", "observed", "other"};
constexpr const char* kTrustNames[] = {"none", "trusted", "internal", "external", "unverified", "other"};
constexpr const char* kGovernanceNames[] = {"observed", "matched", "enforced", "blocked", "review", "violation"};
constexpr const char* kRiskNames[] = {"none", "low", "medium", "high", "critical", "other"};

static_assert(std::size(kDecisionNames) == kDecisionCount);
static_assert(std::size(kTrustNames) == kTrustCount);
static_assert(std::size(kGovernanceNames) == kGovernanceCount);
static_assert(std::size(kRiskNames) == kRiskCount);

// The word's index among the real words (first..last-1 of the table), or
// `unknown`; the placeholders "none" and "other" are not words of the data.
template <class E, std::size_t N>
E lookUp(const char* const (&names)[N], std::string_view text, std::size_t first, std::size_t last,
         E empty, E unknown)
{
    if (text.empty())
        return empty;
    for (std::size_t i = first; i < last; ++i)
        if (text == names[i])
            return static_cast<E>(i);
    return unknown;
}

// What people type for a decision besides the wire words: the policy file's
// actions (allow, block, deny) and the obvious forms of "approval".
struct Typed
{
    std::string_view word;
    Decision decision;
};
constexpr Typed kTypedDecisions[] = {
    {"allow", Decision::Allowed},
    {"block", Decision::Blocked},
    {"deny", Decision::Blocked},
    {"denied", Decision::Blocked},
    {"approval", Decision::RequireApproval},
    {"approve", Decision::RequireApproval},
    {"require-approval", Decision::RequireApproval},
};

} // namespace

const char* decisionName(Decision d) { return kDecisionNames[vocabularyIndex(d)]; }
const char* trustName(Trust t) { return kTrustNames[vocabularyIndex(t)]; }
const char* governanceName(Governance g) { return kGovernanceNames[vocabularyIndex(g)]; }
const char* riskName(Risk r) { return kRiskNames[vocabularyIndex(r)]; }

Decision decisionFromText(std::string_view text)
{
    return lookUp(kDecisionNames, text, vocabularyIndex(Decision::Allowed), vocabularyIndex(Decision::Other),
                  Decision::None, Decision::Other);
}

Trust trustFromText(std::string_view text)
{
    return lookUp(kTrustNames, text, vocabularyIndex(Trust::Trusted), vocabularyIndex(Trust::Other), Trust::None,
                  Trust::Other);
}

Governance governanceFromText(std::string_view text)
{
    return lookUp(kGovernanceNames, text, 0, kGovernanceCount, Governance::Observed, Governance::Observed);
}

Risk riskFromText(std::string_view text)
{
    return lookUp(kRiskNames, text, vocabularyIndex(Risk::Low), vocabularyIndex(Risk::Other), Risk::None,
                  Risk::Other);
}

Decision decisionFromTyped(std::string_view lowered)
{
    const Decision d = decisionFromText(lowered);
    if (d != Decision::Other)
        return d;
    for (const Typed& t : kTypedDecisions)
        if (t.word == lowered)
            return t.decision;
    return Decision::None;
}

int trustRank(Trust t)
{
    switch (t) {
    case Trust::Unverified: return 5;
    case Trust::External: return 4;
    case Trust::Other: return 3;
    case Trust::Internal: return 2;
    case Trust::Trusted: return 1;
    case Trust::None: break;
    }
    return 0;
}

} // namespace rw
