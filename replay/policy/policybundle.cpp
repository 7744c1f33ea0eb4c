#include "replay/policy/policybundle.h"

#include "model/sourcefile.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace rw {

namespace {

std::string lower(std::string s)
{
    for (char& c : s)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// Validation context: collects diagnostics with positions.
class Checker
{
public:
    Checker(const std::string& file, std::vector<BundleDiagnostic>& out) : m_file(file), m_out(out) {}

    void error(const YamlNode& at, const std::string& message)
    {
        m_out.push_back({m_file, at.line, at.column, BundleDiagnostic::Level::Error, message});
    }
    void warning(const YamlNode& at, const std::string& message)
    {
        m_out.push_back({m_file, at.line, at.column, BundleDiagnostic::Level::Warning, message});
    }

    void unknownKey(const YamlNode& key, const std::vector<std::string_view>& known, const std::string& where)
    {
        warning(key, "unknown key '" + key.value + "' in " + where + " (ignored, as upstream does)" +
                         didYouMean(key.value, known));
    }

    // A list of strings (upstream reads these lists as given; scalars are not lists).
    std::optional<std::vector<std::string>> stringList(const YamlNode& n, const std::string& what, bool lowerCase)
    {
        if (n.kind == YamlNode::Kind::Null)
            return std::vector<std::string>{};
        if (n.kind != YamlNode::Kind::Sequence) {
            error(n, "'" + what + "' must be a list");
            return std::nullopt;
        }
        std::vector<std::string> out;
        for (const YamlNode& item : n.items) {
            if (item.kind != YamlNode::Kind::Scalar) {
                error(item, "'" + what + "' must contain strings");
                continue;
            }
            out.push_back(lowerCase ? lower(item.value) : item.value);
        }
        return out;
    }

    std::optional<std::string> string(const YamlNode& n, const std::string& what)
    {
        if (n.kind == YamlNode::Kind::Null)
            return std::nullopt;
        if (n.kind != YamlNode::Kind::Scalar) {
            error(n, "'" + what + "' must be a string");
            return std::nullopt;
        }
        return n.value;
    }

    // Numbers: decimal only (no YAML 1.1 octal or hex), finite, not negative.
    std::optional<double> number(const YamlNode& n, const std::string& what)
    {
        if (n.kind == YamlNode::Kind::Null)
            return std::nullopt;
        double v = 0;
        const std::string& s = n.value;
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        const bool leadingZero = s.size() > 1 && s[0] == '0' && s[1] != '.';
        if (n.kind != YamlNode::Kind::Scalar || n.quoted || ec != std::errc() || ptr != s.data() + s.size() ||
            !std::isfinite(v) || v < 0 || leadingZero) {
            error(n, "'" + what + "' must be a non-negative decimal number, got '" + s + "'");
            return std::nullopt;
        }
        return v;
    }

private:
    const std::string& m_file;
    std::vector<BundleDiagnostic>& m_out;
};

constexpr const char* kLimitKeys[4] = {"max_tool_calls", "max_depth", "max_runtime_seconds", "max_cost_usd"};

void readLimits(Checker& c, const YamlNode& key, const YamlNode& value, BudgetLimits& limits, bool& matched)
{
    matched = false;
    for (int i = 0; i < 4; ++i)
        if (key.value == kLimitKeys[i]) {
            limits[static_cast<std::size_t>(i)] = c.number(value, key.value);
            matched = true;
        }
}

std::optional<PolicyRule> readRule(Checker& c, const YamlNode& n)
{
    if (n.kind != YamlNode::Kind::Map) {
        c.error(n, "Each rule must be a mapping");
        return std::nullopt;
    }
    PolicyRule rule;
    rule.line = n.line;
    std::optional<std::string> action;
    const YamlNode* actionNode = &n;
    bool ok = true;
    std::set<std::string> spellings;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        spellings.insert(k);
        // both spellings of one field are as ambiguous as a duplicate key
        if ((k == "tool_name" || k == "tool") && spellings.count("tool_name") && spellings.count("tool")) {
            c.error(key, "rule gives both 'tool_name' and 'tool'; keep one");
            ok = false;
        }
        if ((k == "action" || k == "effect") && spellings.count("action") && spellings.count("effect")) {
            c.error(key, "rule gives both 'action' and 'effect'; keep one");
            ok = false;
        }
        if (k == "tool_name" || k == "tool") {
            rule.tool = c.string(value, k);
            if (rule.tool && rule.tool->empty()) {
                c.error(value, "Rule field 'tool_name' must be non-empty when provided");
                ok = false;
            }
            if (value.kind == YamlNode::Kind::Scalar && value.value.empty())
                ok = false;
        } else if (k == "agent_name") {
            rule.agent = c.string(value, k);
        } else if (k == "sensitivity_level") {
            if (auto s = c.string(value, k))
                rule.sensitivity = lower(*s);
        } else if (k == "provenance_trust" || k == "provenance_source_type") {
            if (value.kind != YamlNode::Kind::Sequence && value.kind != YamlNode::Kind::Null) {
                c.error(value, "Rule field '" + k + "' must be a list");
                ok = false;
                continue;
            }
            auto list = c.stringList(value, k, true);
            (k == "provenance_trust" ? rule.provenanceTrust : rule.provenanceSourceType) = list.value_or(std::vector<std::string>{});
        } else if (k == "action" || k == "effect") {
            action = c.string(value, k);
            actionNode = &value;
        } else {
            c.unknownKey(key, {"tool_name", "tool", "agent_name", "sensitivity_level", "provenance_trust",
                               "provenance_source_type", "action", "effect"},
                         "a rule");
        }
    }
    if (!action) {
        c.error(n, "Rule field 'action' is required");
        return std::nullopt;
    }
    const std::string a = lower(*action);
    if (a == "allow")
        rule.action = PolicyAction::Allow;
    else if (a == "block" || a == "deny")
        rule.action = PolicyAction::Block;
    else if (a == "require_approval")
        rule.action = PolicyAction::RequireApproval;
    else {
        c.error(*actionNode, "Rule field 'action' must be allow, block, or require_approval");
        return std::nullopt;
    }
    if (!rule.tool && !rule.agent && !rule.sensitivity && rule.provenanceTrust.empty() &&
        rule.provenanceSourceType.empty()) {
        c.error(n, "Rule must define at least one matching condition");
        return std::nullopt;
    }
    if (!ok)
        return std::nullopt;
    return rule;
}

} // namespace

bool hasErrors(const std::vector<BundleDiagnostic>& diagnostics)
{
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const BundleDiagnostic& d) { return d.level == BundleDiagnostic::Level::Error; });
}

std::optional<PolicyBundle> parsePolicyBundle(std::string_view text, const std::string& name,
                                              std::vector<BundleDiagnostic>& diagnostics, const YamlLimits& limits)
{
    const std::size_t mark = diagnostics.size();
    const YamlNode root = parseYamlSafely(text, name, limits, diagnostics);
    // A tree with only duplicate-key errors is still checked, so an author
    // sees every problem at once; anything worse stops here.
    const bool treeFailed = hasErrors(std::vector<BundleDiagnostic>(diagnostics.begin() + static_cast<std::ptrdiff_t>(mark), diagnostics.end()));
    if (treeFailed && root.kind != YamlNode::Kind::Map)
        return std::nullopt;
    Checker c(name, diagnostics);
    PolicyBundle b;
    b.path = name;
    b.sha256 = sha256Hex(text);
    if (root.kind == YamlNode::Kind::Null) {
        // upstream: an empty file is an empty bundle
        diagnostics.push_back({name, 0, 0, BundleDiagnostic::Level::Warning,
                               "empty policy bundle: every request is allowed by default"});
        return b;
    }
    if (root.kind != YamlNode::Kind::Map) {
        c.error(root, "Policy bundle must be a mapping");
        return std::nullopt;
    }
    for (const auto& [key, value] : root.entries) {
        const std::string& k = key.value;
        if (k == "rules") {
            if (value.kind != YamlNode::Kind::Sequence) {
                if (value.kind != YamlNode::Kind::Null)
                    c.error(value, "'rules' must be a list");
                continue;
            }
            for (const YamlNode& r : value.items)
                if (auto rule = readRule(c, r))
                    b.rules.push_back(std::move(*rule));
        } else if (k == "blocked_tools") {
            b.blockedTools = c.stringList(value, k, false).value_or(std::vector<std::string>{});
        } else if (k == "monitored_tools") {
            b.monitoredTools = c.stringList(value, k, false).value_or(std::vector<std::string>{});
        } else if (k == "dangerous_argument_patterns") {
            b.dangerousPatterns = c.stringList(value, k, true).value_or(std::vector<std::string>{});
        } else if (k == "high_risk_tools") {
            b.highRiskTools = c.stringList(value, k, false).value_or(std::vector<std::string>{});
        } else if (k == "high_risk_tools_mode") {
            const std::string mode = lower(c.string(value, k).value_or("extend"));
            if (mode != "extend" && mode != "override")
                c.error(value, "'high_risk_tools_mode' must be extend or override");
            b.highRiskOverride = mode == "override";
        } else if (k == "data_classification") {
            if (value.kind != YamlNode::Kind::Map) {
                if (value.kind != YamlNode::Kind::Null)
                    c.error(value, "'data_classification' must be a mapping");
                continue;
            }
            for (const auto& [dk, dv] : value.entries) {
                if (dk.value == "blocked_sensitivity_levels")
                    b.blockedSensitivityLevels = c.stringList(dv, dk.value, true).value_or(std::vector<std::string>{});
                else
                    c.unknownKey(dk, {"blocked_sensitivity_levels"}, "data_classification");
            }
        } else if (k == "agent_limits") {
            if (value.kind != YamlNode::Kind::Map) {
                if (value.kind != YamlNode::Kind::Null)
                    c.error(value, "'agent_limits' must be a mapping");
                continue;
            }
            for (const auto& [lk, lv] : value.entries) {
                bool matched = false;
                readLimits(c, lk, lv, b.agentLimits, matched);
                if (!matched)
                    c.unknownKey(lk, {"max_tool_calls", "max_depth", "max_runtime_seconds", "max_cost_usd"}, "agent_limits");
            }
        } else if (k == "agents") {
            if (value.kind != YamlNode::Kind::Map) {
                if (value.kind != YamlNode::Kind::Null)
                    c.error(value, "'agents' must be a mapping");
                continue;
            }
            for (const auto& [ak, av] : value.entries) {
                AgentPolicy agent;
                if (av.kind != YamlNode::Kind::Map) {
                    if (av.kind != YamlNode::Kind::Null)
                        c.error(av, "agent '" + ak.value + "' must be a mapping");
                    b.agents[ak.value] = agent;
                    continue;
                }
                for (const auto& [fk, fv] : av.entries) {
                    const std::string& f = fk.value;
                    bool matched = false;
                    readLimits(c, fk, fv, agent.limits, matched);
                    if (matched)
                        continue;
                    // null means "not configured" (Python's .get() gives None), not an empty list
                    if (f == "allowed_tools")
                        agent.allowedTools = fv.kind == YamlNode::Kind::Null ? std::nullopt : c.stringList(fv, f, false);
                    else if (f == "approval_required_tools")
                        agent.approvalRequiredTools = c.stringList(fv, f, false).value_or(std::vector<std::string>{});
                    else if (f == "agent_id")
                        agent.agentId = c.string(fv, f);
                    else if (f == "trust_level")
                        agent.trustLevel = c.string(fv, f);
                    else if (f == "environment")
                        agent.environment = c.string(fv, f);
                    else if (f == "allowed_capabilities")
                        agent.allowedCapabilities = fv.kind == YamlNode::Kind::Null ? std::nullopt : c.stringList(fv, f, false);
                    else
                        c.unknownKey(fk, {"allowed_tools", "approval_required_tools", "agent_id", "trust_level",
                                          "environment", "allowed_capabilities", "max_tool_calls", "max_depth",
                                          "max_runtime_seconds", "max_cost_usd"},
                                     "agents." + ak.value);
                }
                b.agents[ak.value] = std::move(agent);
            }
        } else {
            c.unknownKey(key, {"rules", "blocked_tools", "monitored_tools", "dangerous_argument_patterns",
                               "high_risk_tools", "high_risk_tools_mode", "data_classification", "agent_limits",
                               "agents"},
                         "the policy bundle");
        }
    }
    if (hasErrors(std::vector<BundleDiagnostic>(diagnostics.begin() + static_cast<std::ptrdiff_t>(mark), diagnostics.end())))
        return std::nullopt;
    return b;
}

std::optional<CapabilityBundle> parseCapabilityBundle(std::string_view text, const std::string& name,
                                                      std::vector<BundleDiagnostic>& diagnostics, const YamlLimits& limits)
{
    const std::size_t mark = diagnostics.size();
    const YamlNode root = parseYamlSafely(text, name, limits, diagnostics);
    auto failedSince = [&] {
        return hasErrors(std::vector<BundleDiagnostic>(diagnostics.begin() + static_cast<std::ptrdiff_t>(mark), diagnostics.end()));
    };
    if (failedSince())
        return std::nullopt;
    Checker c(name, diagnostics);
    CapabilityBundle b;
    b.path = name;
    b.sha256 = sha256Hex(text);
    if (root.kind == YamlNode::Kind::Null)
        return b;
    if (root.kind != YamlNode::Kind::Map) {
        c.error(root, "Capability bundle must be a mapping");
        return std::nullopt;
    }
    for (const auto& [key, value] : root.entries) {
        if (key.value != "capabilities") {
            c.unknownKey(key, {"capabilities"}, "the capability bundle");
            continue;
        }
        if (value.kind == YamlNode::Kind::Null)
            continue;
        if (value.kind != YamlNode::Kind::Map) {
            c.error(value, "'capabilities' must be a mapping");
            continue;
        }
        for (const auto& [ck, cv] : value.entries) {
            const std::string& cap = ck.value;
            if (cap.empty() || ck.kind != YamlNode::Kind::Scalar) {
                c.error(ck, "Capability names must be non-empty strings");
                continue;
            }
            if (cv.kind != YamlNode::Kind::Map) {
                c.error(cv, "Capability '" + cap + "' must be a mapping");
                continue;
            }
            Capability capability;
            bool sawTools = false;
            for (const auto& [fk, fv] : cv.entries) {
                if (fk.value == "tools") {
                    sawTools = true;
                    if (fv.kind != YamlNode::Kind::Sequence) {
                        c.error(fv, "Capability '" + cap + "' field 'tools' must be a list");
                        continue;
                    }
                    for (const YamlNode& t : fv.items) {
                        if (t.kind != YamlNode::Kind::Scalar || t.value.empty())
                            c.error(t, "Capability '" + cap + "' tools must contain non-empty strings");
                        else
                            capability.tools.push_back(t.value);
                    }
                } else if (fk.value == "description") {
                    if (fv.kind != YamlNode::Kind::Scalar && fv.kind != YamlNode::Kind::Null)
                        c.error(fv, "Capability '" + cap + "' field 'description' must be a string");
                    else
                        capability.description = fv.value;
                } else if (fk.value == "risk") {
                    if (fv.kind != YamlNode::Kind::Scalar && fv.kind != YamlNode::Kind::Null) {
                        c.error(fv, "Capability '" + cap + "' field 'risk' must be a string");
                        continue;
                    }
                    capability.risk = lower(fv.value);
                    if (fv.kind == YamlNode::Kind::Scalar && capability.risk != "low" && capability.risk != "medium" &&
                        capability.risk != "high")
                        c.error(fv, "Capability '" + cap + "' field 'risk' must be one of: low, medium, high");
                } else {
                    c.unknownKey(fk, {"tools", "description", "risk"}, "capability '" + cap + "'");
                }
            }
            if (!sawTools)
                c.error(cv, "Capability '" + cap + "' field 'tools' must be a list");
            b.order.push_back(cap);
            b.capabilities[cap] = std::move(capability);
        }
    }
    if (failedSince())
        return std::nullopt;
    return b;
}

std::optional<PolicyBundle> loadPolicyBundle(const std::string& path, std::vector<BundleDiagnostic>& diagnostics,
                                             const YamlLimits& limits)
{
    const auto text = readConfigFile(path, limits.maxBytes, diagnostics);
    if (!text)
        return std::nullopt;
    return parsePolicyBundle(*text, path, diagnostics, limits);
}

std::optional<CapabilityBundle> loadCapabilityBundle(const std::string& path, std::vector<BundleDiagnostic>& diagnostics,
                                                     const YamlLimits& limits)
{
    const auto text = readConfigFile(path, limits.maxBytes, diagnostics);
    if (!text)
        return std::nullopt;
    return parseCapabilityBundle(*text, path, diagnostics, limits);
}

} // namespace rw
