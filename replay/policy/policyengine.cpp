#include "replay/policy/policyengine.h"

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

bool inLowerList(std::string_view value, const std::vector<std::string>& list)
{
    return std::any_of(list.begin(), list.end(), [&](const std::string& l) { return equalsLower(value, l); });
}

std::string toolText(std::string_view tool) { return "tool '" + std::string(tool) + "'"; }

// every argument value as upstream's str() sees it (keys are not checked);
// false when nesting went deeper than we look
bool collectValues(const nlohmann::json& j, std::vector<std::string>& out, int depth)
{
    if (depth > 64)
        return false;
    bool complete = true;
    if (j.is_object()) {
        for (const auto& [k, v] : j.items())
            complete = collectValues(v, out, depth + 1) && complete;
    } else if (j.is_array()) {
        for (const auto& v : j)
            complete = collectValues(v, out, depth + 1) && complete;
    } else if (j.is_string()) {
        out.push_back(j.get<std::string>());
    } else if (!j.is_null()) {
        out.push_back(j.dump());
    }
    return complete;
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

PolicyEngine::PolicyEngine(const PolicyBundle& policy, const CapabilityBundle* capabilities)
    : m_policy(policy), m_dangerous(policy.dangerousPatterns)
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
        for (const auto& [cap, def] : m_capabilities.capabilities) {
            const auto index = static_cast<std::int32_t>(m_capabilityNames.size());
            m_capabilityNames.push_back(cap);
            for (const std::string& tool : def.tools)
                m_capabilitiesOfTool[tool].push_back(index);
        }
    }
}

const PolicyEngine::Agent* PolicyEngine::agentOf(std::string_view name) const
{
    const auto it = m_agents.find(name);
    return it == m_agents.end() ? nullptr : &it->second;
}

int PolicyEngine::matchingPattern(std::string_view json) const
{
    if (m_dangerous.empty() || json.empty())
        return -1;
    // Fast path: a value is a substring of the raw JSON when it has no escapes,
    // so a pattern absent from the raw text cannot match. Parse only otherwise.
    const bool escapes = json.find('\\') != std::string_view::npos;
    if (!escapes && m_dangerous.lowestMatch(json) < 0)
        return -1;
    // Fail closed: when the arguments cannot be read exactly (a lone surrogate
    // Python wrote, an invalid atom the index did not check, nesting deeper
    // than we look), a pattern anywhere in the raw text counts as a match.
    const nlohmann::json args = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
    if (args.is_discarded())
        return m_dangerous.lowestMatch(json);
    std::vector<std::string> values;
    const bool complete = collectValues(args, values, 0);
    // the lowest pattern index found in any value: upstream tries the
    // patterns in order and each against every value
    int best = -1;
    for (const std::string& v : values) {
        const int p = m_dangerous.lowestMatch(v);
        if (p >= 0 && (best < 0 || p < best))
            best = p;
        if (best == 0)
            break;
    }
    return best >= 0 || complete ? best : m_dangerous.lowestMatch(json);
}

CompactOutcome PolicyEngine::decide(const PolicyRequest& r) const
{
    CompactOutcome o;
    auto done = [&](Decision d, PolicyStep step, Control control) {
        o.decision = d;
        o.step = step;
        o.control = control;
        return o;
    };
    const Agent* agent = agentOf(r.agent);

    // 0. capability gate: only when the request carries capabilities (or the
    //    agent's identity in this bundle injects them)
    bool gate = r.hasCapabilities;
    if (!gate && agent && agent->policy->allowedCapabilities) {
        gate = true;
        o.capabilitiesInjected = true;
    }
    if (gate && !m_hasCapabilities) {
        o.capabilityGateSkipped = true;
    } else if (gate) {
        o.capabilityGateEvaluated = true;
        const auto mapped = m_capabilitiesOfTool.find(r.tool);
        if (mapped != m_capabilitiesOfTool.end())
            for (const std::int32_t c : mapped->second) {
                const std::string& name = m_capabilityNames[static_cast<std::size_t>(c)];
                const bool granted =
                    o.capabilitiesInjected
                        ? std::find(agent->policy->allowedCapabilities->begin(), agent->policy->allowedCapabilities->end(), name) !=
                              agent->policy->allowedCapabilities->end()
                        : std::find(r.capabilities.begin(), r.capabilities.end(), name) != r.capabilities.end();
                if (granted) {
                    o.grantingCapability = c;
                    break;
                }
            }
        if (o.grantingCapability < 0)
            return done(Decision::Blocked, PolicyStep::CapabilityGate,
                        o.capabilitiesInjected ? Control::Identity : Control::Capability);
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
            o.violations = static_cast<std::uint8_t>(o.violations | (1u << i));
    if (o.violations)
        return done(Decision::Blocked, PolicyStep::Budget, Control::Budget);

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
        o.ruleIndex = static_cast<std::int32_t>(i);
        switch (rule.action) {
        case PolicyAction::Allow: return done(Decision::Allowed, PolicyStep::Rule, Control::PolicyRule);
        case PolicyAction::Block: return done(Decision::Blocked, PolicyStep::Rule, Control::PolicyRule);
        case PolicyAction::RequireApproval: return done(Decision::RequireApproval, PolicyStep::Rule, Control::Approval);
        }
    }

    // 3. data classification
    if (r.sensitivity && inLowerList(*r.sensitivity, m_policy.blockedSensitivityLevels))
        return done(Decision::Blocked, PolicyStep::DataClassification, Control::PolicyRule);
    // 4. blocked tools
    if (m_blocked.find(r.tool) != m_blocked.end())
        return done(Decision::Blocked, PolicyStep::BlockedTools, Control::PolicyRule);
    // 5. dangerous argument patterns
    if (const int p = matchingPattern(r.argumentsJson); p >= 0) {
        o.patternIndex = static_cast<std::int32_t>(p);
        return done(Decision::Blocked, PolicyStep::DangerousArguments, Control::PolicyRule);
    }
    if (agent) {
        // 6. per-agent allow list (only when present)
        if (agent->policy->allowedTools && agent->allowed.find(r.tool) == agent->allowed.end())
            return done(Decision::Blocked, PolicyStep::AgentAllowList, Control::PolicyRule);
        // 7. per-agent approval list
        if (agent->approval.find(r.tool) != agent->approval.end())
            return done(Decision::RequireApproval, PolicyStep::AgentApproval, Control::Approval);
    }
    // 8. high-risk preset
    if (m_highRisk.find(r.tool) != m_highRisk.end())
        return done(Decision::RequireApproval, PolicyStep::HighRisk, Control::Approval);
    // 9. monitored tools
    if (m_monitored.find(r.tool) != m_monitored.end())
        return done(Decision::Allowed, PolicyStep::Monitored, Control::PolicyRule);
    // 10. default allow
    return done(Decision::Allowed, PolicyStep::Default, Control::Default);
}

PolicyOutcome PolicyEngine::expand(const CompactOutcome& c, const PolicyRequest& r) const
{
    PolicyOutcome o;
    o.decision = decisionName(c.decision);
    o.control = c.control;
    o.ruleIndex = c.ruleIndex;
    o.capabilityGateSkipped = c.capabilityGateSkipped;
    for (std::size_t i = 0; i < 4; ++i)
        if (c.violations & (1u << i))
            o.violations.emplace_back(kViolationNames[i]);
    const std::string tool(r.tool);
    const std::string agent(r.agent);

    if (c.capabilityGateSkipped)
        o.reasonChain.push_back("Capability gate not evaluated: no capability bundle given");
    else if (!c.capabilityGateEvaluated)
        o.reasonChain.push_back("Capability gate skipped because no capabilities were provided");
    else if (c.grantingCapability >= 0) {
        const std::string& name = m_capabilityNames[static_cast<std::size_t>(c.grantingCapability)];
        const std::string& risk = m_capabilities.capabilities.at(name).risk;
        o.reasonChain.push_back("Capability " + name + " (risk: " + (risk.empty() ? "unknown" : risk) +
                                ") allowed access to " + tool);
    }
    auto set = [&](std::string reason, std::optional<std::string> rule, const char* risk) {
        o.reason = std::move(reason);
        o.matchedRule = std::move(rule);
        o.risk = risk;
        o.reasonChain.push_back(o.reason);
        return o;
    };
    switch (c.step) {
    case PolicyStep::CapabilityGate: {
        const auto mapped = m_capabilitiesOfTool.find(r.tool);
        if (mapped == m_capabilitiesOfTool.end())
            return set("Tool '" + tool + "' is not granted by the provided capabilities", "capability_gate", "medium");
        std::string reason = "Tool '" + tool + "' requires one of the granted capabilities: ";
        for (std::size_t i = 0; i < mapped->second.size(); ++i)
            reason += (i ? ", " : "") + m_capabilityNames[static_cast<std::size_t>(mapped->second[i])];
        return set(reason, "capability_gate", "medium");
    }
    case PolicyStep::Budget: return set(o.violations.front(), "agent_limits", "medium");
    case PolicyStep::Rule: {
        const PolicyRule& rule = m_policy.rules[static_cast<std::size_t>(c.ruleIndex)];
        const std::string what = rule.tool ? toolText(*rule.tool) : std::string("request");
        const std::string name = "rules[" + std::to_string(c.ruleIndex) + "]";
        if (rule.action == PolicyAction::Allow)
            return set("Rule allowed " + what, name, "low");
        if (rule.action == PolicyAction::Block)
            return set("Rule blocked " + what, name, "high");
        return set("Rule requires approval for " + what, name, "high");
    }
    case PolicyStep::DataClassification:
        return set("Sensitivity level '" + std::string(r.sensitivity.value_or("")) + "' is blocked by data classification",
                   "data_classification.blocked_sensitivity_levels", "high");
    case PolicyStep::BlockedTools: return set("Tool '" + tool + "' is globally blocked", "blocked_tools", "high");
    case PolicyStep::DangerousArguments:
        return set("Arguments matched blocked pattern '" + m_policy.dangerousPatterns[static_cast<std::size_t>(c.patternIndex)] + "'",
                   "dangerous_argument_patterns", "high");
    case PolicyStep::AgentAllowList:
        return set("Agent '" + agent + "' is not allowed to use tool '" + tool + "'", "agents." + agent + ".allowed_tools", "medium");
    case PolicyStep::AgentApproval:
        return set("Tool '" + tool + "' requires human approval", "agents." + agent + ".approval_required_tools", "high");
    case PolicyStep::HighRisk:
        return set("Tool '" + tool + "' is in the default high-risk preset and requires human approval", "high_risk_tools", "high");
    case PolicyStep::Monitored: return set("Tool '" + tool + "' allowed with audit monitoring", "monitored_tools", "medium");
    case PolicyStep::Default: break;
    }
    return set("Allowed by policy", std::nullopt, "low");
}

} // namespace rw
