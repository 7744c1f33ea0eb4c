#pragma once

#include "replay/policy/yamltree.h"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace rw {

enum class PolicyAction : std::uint8_t { Allow, Block, RequireApproval };

// One entry of `rules` (first match wins). Lists are lower-cased.
struct PolicyRule
{
    std::optional<std::string> tool;
    std::optional<std::string> agent;
    std::optional<std::string> sensitivity; // lower-cased
    std::vector<std::string> provenanceTrust;
    std::vector<std::string> provenanceSourceType;
    PolicyAction action = PolicyAction::Block;
    int line = 0;
};

// Budget limits in upstream's order: tool calls, depth, runtime seconds, cost USD.
using BudgetLimits = std::array<std::optional<double>, 4>;

struct AgentPolicy
{
    std::optional<std::vector<std::string>> allowedTools;
    std::vector<std::string> approvalRequiredTools;
    std::optional<std::string> agentId;
    std::optional<std::string> trustLevel;
    std::optional<std::string> environment;
    std::optional<std::vector<std::string>> allowedCapabilities;
    BudgetLimits limits;
};

// A policy bundle (upstream's policies.yaml schema, reference §5.2).
struct PolicyBundle
{
    std::string path;
    std::string sha256;
    std::vector<PolicyRule> rules;
    std::vector<std::string> blockedTools;
    std::vector<std::string> monitoredTools;
    std::vector<std::string> dangerousPatterns; // lower-cased
    std::vector<std::string> highRiskTools;
    bool highRiskOverride = false;
    std::vector<std::string> blockedSensitivityLevels; // lower-cased
    BudgetLimits agentLimits;
    std::map<std::string, AgentPolicy> agents;
};

struct Capability
{
    std::string description;
    std::string risk; // low | medium | high, or empty
    std::vector<std::string> tools;
};

// A capability bundle (capabilities.yaml, reference §5.7).
struct CapabilityBundle
{
    std::string path;
    std::string sha256;
    std::map<std::string, Capability> capabilities; // sorted by name, as upstream iterates
    std::vector<std::string> order;                 // file order, for messages
};

// Loaders: every upstream validation error (with our file:line:column), and
// warnings for unknown keys (upstream ignores them silently; an auditor must
// see a typo). A result is usable only when no diagnostic is an error.
std::optional<PolicyBundle> loadPolicyBundle(const std::string& path, std::vector<BundleDiagnostic>& diagnostics,
                                             const YamlLimits& limits = {});
std::optional<PolicyBundle> parsePolicyBundle(std::string_view text, const std::string& name,
                                              std::vector<BundleDiagnostic>& diagnostics, const YamlLimits& limits = {});
std::optional<CapabilityBundle> loadCapabilityBundle(const std::string& path, std::vector<BundleDiagnostic>& diagnostics,
                                                     const YamlLimits& limits = {});
std::optional<CapabilityBundle> parseCapabilityBundle(std::string_view text, const std::string& name,
                                                      std::vector<BundleDiagnostic>& diagnostics,
                                                      const YamlLimits& limits = {});

bool hasErrors(const std::vector<BundleDiagnostic>& diagnostics);

} // namespace rw
