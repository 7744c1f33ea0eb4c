#pragma once

#include "model/vocabulary.h"
#include "replay/policy/patternset.h"
#include "replay/policy/policybundle.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rw {

// Which control decided, for "which control changed the outcome".
enum class Control : std::uint8_t { Identity, Capability, Budget, PolicyRule, Approval, Default };
const char* controlName(Control c);

// What one policy evaluation sees: the facts upstream's engine evaluates.
struct PolicyRequest
{
    struct Provenance
    {
        std::string_view sourceType;
        std::string_view trustLevel;
    };
    std::string_view agent;
    std::string_view tool;
    std::string_view argumentsJson; // raw JSON of the arguments object ("" when none)
    std::optional<std::string_view> sensitivity;
    bool hasCapabilities = false; // the request carried allowed_capabilities (possibly empty)
    std::vector<std::string_view> capabilities;
    std::vector<Provenance> provenance;
    bool hasUsage = false;
    std::array<double, 4> usage{}; // tool calls, depth, runtime seconds, cost USD
};

// Which step of the precedence decided.
enum class PolicyStep : std::uint8_t {
    CapabilityGate,
    Budget,
    Rule,
    DataClassification,
    BlockedTools,
    DangerousArguments,
    AgentAllowList,
    AgentApproval,
    HighRisk,
    Monitored,
    Default
};

// The engine decides Allowed, Blocked or RequireApproval (model/vocabulary.h).

// The result of one evaluation without any text: what the hot re-evaluation
// loop keeps per decision point. Texts are made on demand (expand()).
struct CompactOutcome
{
    Decision decision = Decision::Allowed;
    PolicyStep step = PolicyStep::Default;
    Control control = Control::Default;
    std::uint8_t violations = 0; // bit i: kViolationNames[i]
    std::int32_t ruleIndex = -1;
    std::int32_t patternIndex = -1;
    std::int32_t grantingCapability = -1; // index into the capability bundle's names, -1 none
    bool capabilityGateEvaluated = false;
    bool capabilityGateSkipped = false;
    bool capabilitiesInjected = false;
};

struct PolicyOutcome
{
    std::string decision; // allowed | blocked | require_approval
    std::string reason;
    std::optional<std::string> matchedRule;
    std::string risk; // low | medium | high
    Control control = Control::Default;
    std::vector<std::string> violations;
    std::vector<std::string> reasonChain;
    int ruleIndex = -1; // rules[N] when a rule decided
    bool capabilityGateSkipped = false; // the request had capabilities but no capability bundle was given
};

// A policy bundle compiled for evaluation: tool and agent lookups hashed,
// patterns pre-lowered. Follows upstream's precedence exactly (reference
// §5.4): capability gate, runtime budget, rules (first match), sensitivity,
// blocked tools, argument patterns, per-agent allow list, approval list,
// high-risk preset, monitored tools, default allow.
class PolicyEngine
{
public:
    PolicyEngine(const PolicyBundle& policy, const CapabilityBundle* capabilities);
    // agents point into the engine's own copy of the bundle: not copyable
    PolicyEngine(const PolicyEngine&) = delete;
    PolicyEngine& operator=(const PolicyEngine&) = delete;

    // The decision only, fast: no strings are built.
    CompactOutcome decide(const PolicyRequest& request) const;
    // Reason, rule, risk, violations and reason chain for a decision of this request.
    PolicyOutcome expand(const CompactOutcome& outcome, const PolicyRequest& request) const;
    PolicyOutcome evaluate(const PolicyRequest& request) const { return expand(decide(request), request); }
    const PolicyBundle& policy() const { return m_policy; }
    const CapabilityBundle* capabilities() const { return m_hasCapabilities ? &m_capabilities : nullptr; }

private:
    // heterogeneous lookup: string_view keys, no std::string per query
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;
    template <typename T> using Map = std::unordered_map<std::string, T, Hash, std::equal_to<>>;

    struct Agent
    {
        const AgentPolicy* policy = nullptr;
        Set allowed;
        Set approval;
    };

    int matchingPattern(std::string_view json) const;
    const Agent* agentOf(std::string_view name) const;

    PolicyBundle m_policy;
    CapabilityBundle m_capabilities;
    bool m_hasCapabilities = false;
    Set m_blocked;
    Set m_monitored;
    Set m_highRisk;
    Map<Agent> m_agents;
    std::vector<std::string> m_capabilityNames;              // sorted, as upstream iterates
    Map<std::vector<std::int32_t>> m_capabilitiesOfTool;     // indexes into m_capabilityNames
    PatternSet m_dangerous;                                  // dangerous_argument_patterns, searched in one pass
};

// upstream's per-call cost estimate when the caller reported none
double heuristicCost(std::string_view tool);

} // namespace rw
