#pragma once

#include "policybundle.h"

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

    PolicyOutcome evaluate(const PolicyRequest& request) const;
    const PolicyBundle& policy() const { return m_policy; }
    const CapabilityBundle* capabilities() const { return m_hasCapabilities ? &m_capabilities : nullptr; }

private:
    struct Agent
    {
        const AgentPolicy* policy = nullptr;
        std::unordered_set<std::string> allowed;
        std::unordered_set<std::string> approval;
    };

    bool argumentsMatch(std::string_view json, std::string* pattern) const;

    PolicyBundle m_policy;
    CapabilityBundle m_capabilities;
    bool m_hasCapabilities = false;
    std::unordered_set<std::string> m_blocked;
    std::unordered_set<std::string> m_monitored;
    std::unordered_set<std::string> m_highRisk;
    std::unordered_map<std::string, Agent> m_agents;
    std::unordered_map<std::string, std::vector<std::string>> m_capabilitiesOfTool; // capability names, sorted
};

// upstream's per-call cost estimate when the caller reported none
double heuristicCost(std::string_view tool);

} // namespace rw
