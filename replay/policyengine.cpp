#include "policyengine.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace rw {

namespace {

constexpr std::array<double, 4> kDefaultLimits = {20, 5, 60, 2.0};
constexpr const char* kViolationNames[4] = {"tool_call_budget_exceeded", "depth_limit_exceeded",
                                            "runtime_limit_exceeded", "cost_limit_exceeded"};
constexpr const char* kDefaultHighRisk[] = {"restart_service", "shell_exec", "delete_user", "export_data"};

char lowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsLower(std::string_view text, std::string_view lowered)
{
    if (text.size() != lowered.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (lowerChar(text[i]) != lowered[i])
            return false;
    return true;
}

bool containsLower(std::string_view hay, std::string_view needleLower)
{
    if (needleLower.empty())
        return true;
    if (needleLower.size() > hay.size())
        return false;
    const char first = needleLower[0];
    for (std::size_t i = 0; i + needleLower.size() <= hay.size(); ++i) {
        if (lowerChar(hay[i]) != first)
            continue;
        std::size_t j = 1;
        while (j < needleLower.size() && lowerChar(hay[i + j]) == needleLower[j])
            ++j;
        if (j == needleLower.size())
            return true;
    }
    return false;
}

bool inLowerList(std::string_view value, const std::vector<std::string>& list)
{
    return std::any_of(list.begin(), list.end(), [&](const std::string& l) { return equalsLower(value, l); });
}

std::string toolText(std::string_view tool) { return "tool '" + std::string(tool) + "'"; }

// every argument value as upstream's str() sees it (keys are not checked)
void collectValues(const nlohmann::json& j, std::vector<std::string>& out, int depth)
{
    if (depth > 64)
        return;
    if (j.is_object()) {
        for (const auto& [k, v] : j.items())
            collectValues(v, out, depth + 1);
    } else if (j.is_array()) {
        for (const auto& v : j)
            collectValues(v, out, depth + 1);
    } else if (j.is_string()) {
        out.push_back(j.get<std::string>());
    } else if (!j.is_null()) {
        out.push_back(j.dump());
    }
}

} // namespace

const char* controlName(Control c)
{
    switch (c) {
    case Control::Identity: return "identity";
    case Control::Capability: return "capability";
    case Control::Budget: return "budget";
    case Control::PolicyRule: return "policy_rule";
    case Control::Approval: return "approval";
    case Control::Default: break;
    }
    return "default";
}

double heuristicCost(std::string_view tool)
{
    if (tool == "restart_service")
        return 0.15;
    if (tool.find("shell") != std::string_view::npos)
        return 0.10;
    for (std::string_view p : {"get_", "read_", "list_", "search_", "fetch_"})
        if (tool.starts_with(p))
            return 0.01;
    for (std::string_view p : {"create_", "update_", "write_", "send_", "delete_", "export_"})
        if (tool.starts_with(p))
            return 0.05;
    return 0.01;
}

PolicyEngine::PolicyEngine(const PolicyBundle& policy, const CapabilityBundle* capabilities) : m_policy(policy)
{
    m_blocked.insert(policy.blockedTools.begin(), policy.blockedTools.end());
    m_monitored.insert(policy.monitoredTools.begin(), policy.monitoredTools.end());
    if (!policy.highRiskOverride)
        m_highRisk.insert(std::begin(kDefaultHighRisk), std::end(kDefaultHighRisk));
    m_highRisk.insert(policy.highRiskTools.begin(), policy.highRiskTools.end());
    for (const auto& [name, agent] : m_policy.agents) {
        Agent a;
        a.policy = &agent;
        if (agent.allowedTools)
            a.allowed.insert(agent.allowedTools->begin(), agent.allowedTools->end());
        a.approval.insert(agent.approvalRequiredTools.begin(), agent.approvalRequiredTools.end());
        m_agents.emplace(name, std::move(a));
    }
    if (capabilities) {
        m_capabilities = *capabilities;
        m_hasCapabilities = true;
        for (const auto& [cap, def] : m_capabilities.capabilities)
            for (const std::string& tool : def.tools)
                m_capabilitiesOfTool[tool].push_back(cap);
    }
}

bool PolicyEngine::argumentsMatch(std::string_view json, std::string* pattern) const
{
    if (m_policy.dangerousPatterns.empty() || json.empty())
        return false;
    // Fast path: a value is a substring of the raw JSON when it has no escapes,
    // so a pattern absent from the raw text cannot match. Parse only otherwise.
    const bool escapes = json.find('\\') != std::string_view::npos;
    if (!escapes && std::none_of(m_policy.dangerousPatterns.begin(), m_policy.dangerousPatterns.end(),
                                 [&](const std::string& p) { return containsLower(json, p); }))
        return false;
    const nlohmann::json args = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
    if (args.is_discarded())
        return false;
    std::vector<std::string> values;
    collectValues(args, values, 0);
    for (const std::string& p : m_policy.dangerousPatterns)
        for (const std::string& v : values)
            if (containsLower(v, p)) {
                *pattern = p;
                return true;
            }
    return false;
}

PolicyOutcome PolicyEngine::evaluate(const PolicyRequest& r) const
{
    PolicyOutcome o;
    auto decide = [&](const char* decision, std::string reason, std::optional<std::string> rule, const char* risk,
                      Control control) {
        o.decision = decision;
        o.reason = std::move(reason);
        o.matchedRule = std::move(rule);
        o.risk = risk;
        o.control = control;
        o.reasonChain.push_back(o.reason);
        return o;
    };
    const std::string tool(r.tool);
    const auto agentIt = m_agents.find(std::string(r.agent));
    const Agent* agent = agentIt == m_agents.end() ? nullptr : &agentIt->second;

    // 0. capability gate: only when the request carries capabilities (or the
    //    agent's identity in this bundle injects them)
    bool injected = false;
    std::vector<std::string_view> caps = r.capabilities;
    bool gate = r.hasCapabilities;
    if (!gate && agent && agent->policy->allowedCapabilities) {
        gate = true;
        injected = true;
        caps.assign(agent->policy->allowedCapabilities->begin(), agent->policy->allowedCapabilities->end());
    }
    if (gate && !m_hasCapabilities) {
        o.capabilityGateSkipped = true;
        o.reasonChain.push_back("Capability gate not evaluated: no capability bundle given");
    } else if (gate) {
        const auto mapped = m_capabilitiesOfTool.find(tool);
        const std::string* granting = nullptr;
        if (mapped != m_capabilitiesOfTool.end())
            for (const std::string& c : mapped->second)
                if (std::find(caps.begin(), caps.end(), c) != caps.end()) {
                    granting = &c;
                    break;
                }
        if (!granting) {
            std::string reason;
            if (mapped != m_capabilitiesOfTool.end()) {
                reason = "Tool '" + tool + "' requires one of the granted capabilities: ";
                for (std::size_t i = 0; i < mapped->second.size(); ++i)
                    reason += (i ? ", " : "") + mapped->second[i];
            } else {
                reason = "Tool '" + tool + "' is not granted by the provided capabilities";
            }
            return decide("blocked", reason, "capability_gate", "medium", injected ? Control::Identity : Control::Capability);
        }
        const std::string& risk = m_capabilities.capabilities.at(*granting).risk;
        o.reasonChain.push_back("Capability " + *granting + " (risk: " + (risk.empty() ? "unknown" : risk) +
                                ") allowed access to " + tool);
    } else {
        o.reasonChain.push_back("Capability gate skipped because no capabilities were provided");
    }

    // 1. runtime budget: agent_limits < agents.<a>.max_* (the logged budget is the old bundle's and is not used)
    std::array<double, 4> limits = kDefaultLimits;
    for (std::size_t i = 0; i < 4; ++i) {
        if (m_policy.agentLimits[i])
            limits[i] = *m_policy.agentLimits[i];
        if (agent && agent->policy->limits[i])
            limits[i] = *agent->policy->limits[i];
    }
    std::array<double, 4> usage = r.hasUsage ? r.usage : std::array<double, 4>{};
    if (usage[3] <= 0)
        usage[3] = heuristicCost(r.tool);
    for (std::size_t i = 0; i < 4; ++i)
        if (usage[i] >= limits[i])
            o.violations.emplace_back(kViolationNames[i]);
    if (!o.violations.empty())
        return decide("blocked", o.violations.front(), "agent_limits", "medium", Control::Budget);

    // 2. rules, first match
    for (std::size_t i = 0; i < m_policy.rules.size(); ++i) {
        const PolicyRule& rule = m_policy.rules[i];
        if (rule.tool && *rule.tool != r.tool)
            continue;
        if (rule.agent && *rule.agent != r.agent)
            continue;
        if (rule.sensitivity && (!r.sensitivity || !equalsLower(*r.sensitivity, *rule.sensitivity)))
            continue;
        if (!rule.provenanceTrust.empty() || !rule.provenanceSourceType.empty()) {
            const bool any = std::any_of(r.provenance.begin(), r.provenance.end(), [&](const PolicyRequest::Provenance& p) {
                return (rule.provenanceTrust.empty() || inLowerList(p.trustLevel, rule.provenanceTrust)) &&
                       (rule.provenanceSourceType.empty() || inLowerList(p.sourceType, rule.provenanceSourceType));
            });
            if (!any)
                continue;
        }
        o.ruleIndex = static_cast<int>(i);
        const std::string what = rule.tool ? toolText(*rule.tool) : std::string("request");
        const std::string name = "rules[" + std::to_string(i) + "]";
        switch (rule.action) {
        case PolicyAction::Allow: return decide("allowed", "Rule allowed " + what, name, "low", Control::PolicyRule);
        case PolicyAction::Block: return decide("blocked", "Rule blocked " + what, name, "high", Control::PolicyRule);
        case PolicyAction::RequireApproval:
            return decide("require_approval", "Rule requires approval for " + what, name, "high", Control::Approval);
        }
    }

    // 3. data classification
    if (r.sensitivity && inLowerList(*r.sensitivity, m_policy.blockedSensitivityLevels))
        return decide("blocked", "Sensitivity level '" + std::string(*r.sensitivity) + "' is blocked by data classification",
                      "data_classification.blocked_sensitivity_levels", "high", Control::PolicyRule);
    // 4. blocked tools
    if (m_blocked.count(tool))
        return decide("blocked", "Tool '" + tool + "' is globally blocked", "blocked_tools", "high", Control::PolicyRule);
    // 5. dangerous argument patterns
    std::string pattern;
    if (argumentsMatch(r.argumentsJson, &pattern))
        return decide("blocked", "Arguments matched blocked pattern '" + pattern + "'", "dangerous_argument_patterns",
                      "high", Control::PolicyRule);
    if (agent) {
        // 6. per-agent allow list (only when present)
        if (agent->policy->allowedTools && !agent->allowed.count(tool))
            return decide("blocked", "Agent '" + std::string(r.agent) + "' is not allowed to use tool '" + tool + "'",
                          "agents." + std::string(r.agent) + ".allowed_tools", "medium", Control::PolicyRule);
        // 7. per-agent approval list
        if (agent->approval.count(tool))
            return decide("require_approval", "Tool '" + tool + "' requires human approval",
                          "agents." + std::string(r.agent) + ".approval_required_tools", "high", Control::Approval);
    }
    // 8. high-risk preset
    if (m_highRisk.count(tool))
        return decide("require_approval", "Tool '" + tool + "' is in the default high-risk preset and requires human approval",
                      "high_risk_tools", "high", Control::Approval);
    // 9. monitored tools
    if (m_monitored.count(tool))
        return decide("allowed", "Tool '" + tool + "' allowed with audit monitoring", "monitored_tools", "medium",
                      Control::PolicyRule);
    // 10. default allow
    return decide("allowed", "Allowed by policy", std::nullopt, "low", Control::Default);
}

} // namespace rw
