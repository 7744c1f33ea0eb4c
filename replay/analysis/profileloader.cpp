// analysis.yaml: agents, permission risk, action types, environments, trusted
// networks, retry and sequence settings, severity overrides.
#include "replay/analysis/configchecker.h"
#include "replay/analysis/configloader.h"
#include "replay/analysis/configvalues.h"

namespace rw::analysis {

namespace {

void readAgent(ConfigChecker& c, const YamlNode& n, AnalysisProfile& profile)
{
    if (!c.entryMapping(n, "agents"))
        return;
    AgentProfile agent;
    bool haveMatch = false;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "match") {
            haveMatch = true;
            c.assign(agent.match, c.text(value, k));
        } else if (k == "baseline_grant") {
            c.assign(agent.baselineGrant, c.strings(value, k));
        } else if (k == "approvable") {
            c.assign(agent.approvable, c.strings(value, k));
        } else if (k == "approved_tools") {
            c.assign(agent.approvedTools, c.strings(value, k));
        } else if (k == "behavioural_policy") {
            c.assign(agent.behaviouralPolicy, c.string(value, k));
        } else if (k == "sequence_profile") {
            c.assign(agent.sequenceProfile, c.string(value, k));
        } else {
            c.unknownKey(key,
                         {"match", "baseline_grant", "approvable", "approved_tools", "behavioural_policy",
                          "sequence_profile"},
                         "an agent");
        }
    }
    if (!haveMatch)
        c.error(n, "an agent needs 'match' (an agent_id glob)");
    profile.agents.push_back(std::move(agent));
}

void readPermissionRisk(ConfigChecker& c, const YamlNode& n, AnalysisProfile& profile)
{
    profile.permissionRisk.clear();
    if (!c.optionalMapping(n, "permission_risk"))
        return;
    for (const auto& [key, value] : n.entries) {
        PermissionRisk risk;
        c.assign(risk.pattern, c.string(key, "permission_risk pattern"));
        const std::optional<Severity> level = c.word(value, "permission_risk." + key.value, riskFromWord);
        if (!level)
            continue;
        risk.risk = *level;
        risk.word = value.value;
        profile.permissionRisk.push_back(std::move(risk));
    }
}

void readParams(ConfigChecker& c, const YamlNode& n, const std::string& where, std::vector<ParamPattern>& out)
{
    if (!c.optionalMapping(n, where + ".params"))
        return;
    for (const auto& [key, value] : n.entries) {
        ParamPattern p;
        p.key = key.value;
        c.assign(p.globs, c.string(value, where + ".params." + key.value));
        out.push_back(std::move(p));
    }
}

// A mapping of named entries (action_types, environments), each a mapping
// read key by key with `read`; `check` looks at each entry once read.
template <class T, class Read, class Check>
std::vector<T> readNamed(ConfigChecker& c, const YamlNode& n, const std::string& section, Read read,
                         Check check)
{
    std::vector<T> out;
    if (!c.optionalMapping(n, section))
        return out;
    for (const auto& [name, body] : n.entries) {
        const std::string where = section + "." + name.value;
        if (!c.mapping(body, where))
            continue;
        T entry;
        entry.name = name.value;
        for (const auto& [key, value] : body.entries)
            read(entry, key, value, where);
        check(entry, name);
        out.push_back(std::move(entry));
    }
    return out;
}

void readActionTypeKey(ConfigChecker& c, ActionType& type, const YamlNode& key, const YamlNode& value,
                       const std::string& where)
{
    const std::string& k = key.value;
    if (k == "actions")
        c.assign(type.actions, c.strings(value, k));
    else if (k == "permissions")
        c.assign(type.permissions, c.strings(value, k));
    else if (k == "tools")
        c.assign(type.tools, c.strings(value, k));
    else if (k == "params")
        readParams(c, value, where, type.params);
    else
        c.unknownKey(key, {"actions", "permissions", "tools", "params"}, where);
}

void readEnvironmentKey(ConfigChecker& c, Environment& env, const YamlNode& key, const YamlNode& value,
                        const std::string& where)
{
    const std::string& k = key.value;
    if (k == "hosts")
        c.assign(env.hosts, c.strings(value, k));
    else if (k == "params")
        c.assign(env.params, c.strings(value, k));
    else if (k == "values")
        c.assign(env.values, c.strings(value, k));
    else
        c.unknownKey(key, {"hosts", "params", "values"}, where);
}

void readActionTypes(ConfigChecker& c, const YamlNode& n, AnalysisProfile& profile)
{
    profile.actionTypes = readNamed<ActionType>(
        c, n, "action_types",
        [&c](ActionType& t, const YamlNode& k, const YamlNode& v, const std::string& w) {
            readActionTypeKey(c, t, k, v, w);
        },
        [&c](const ActionType& t, const YamlNode& name) {
            if (t.actions.empty() && t.permissions.empty() && t.tools.empty() && t.params.empty())
                c.warning(name, "action type '" + t.name +
                                    "' gives no actions, permissions, tools or params: no step has it");
        });
}

void readEnvironments(ConfigChecker& c, const YamlNode& n, AnalysisProfile& profile)
{
    profile.environments = readNamed<Environment>(
        c, n, "environments",
        [&c](Environment& e, const YamlNode& k, const YamlNode& v, const std::string& w) {
            readEnvironmentKey(c, e, k, v, w);
        },
        [&c](const Environment& e, const YamlNode& name) {
            if (e.hosts.empty() && e.values.empty())
                c.warning(name, "environment '" + e.name + "' gives no hosts or values: no step is in it");
        });
}

void readNetworks(ConfigChecker& c, const YamlNode& n, AnalysisProfile& profile)
{
    if (!c.optionalMapping(n, "networks"))
        return;
    for (const auto& [key, value] : n.entries) {
        if (key.value == "trusted")
            c.assign(profile.trustedNetworks, c.strings(value, "networks.trusted"));
        else
            c.unknownKey(key, {"trusted"}, "networks");
    }
}

void readRetries(ConfigChecker& c, const YamlNode& n, RetrySettings& retries)
{
    if (!c.optionalMapping(n, "retries"))
        return;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "threshold")
            c.assign(retries.threshold, c.integer(value, "retries.threshold", 1));
        else if (k == "window_steps")
            c.assign(retries.windowSteps, c.integer(value, "retries.window_steps", 1));
        else if (k == "window")
            c.assign(retries.windowUs, c.word(value, "retries.window", durationFromText));
        else
            c.unknownKey(key, {"threshold", "window_steps", "window"}, "retries");
    }
}

void readSequenceSettings(ConfigChecker& c, const YamlNode& n, SequenceSettings& sequences)
{
    if (!c.optionalMapping(n, "sequences"))
        return;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "p_rare")
            c.assign(sequences.rareProbability, c.fraction(value, "sequences.p_rare"));
        else if (k == "min_baseline_runs")
            c.assign(sequences.minBaselineRuns, c.integer(value, "sequences.min_baseline_runs", 0));
        else if (k == "context_steps")
            c.assign(sequences.contextSteps, c.integer(value, "sequences.context_steps", 0));
        else
            c.unknownKey(key, {"p_rare", "min_baseline_runs", "context_steps"}, "sequences");
    }
}

void readSeverityOverrides(ConfigChecker& c, const YamlNode& n, AnalysisProfile& profile)
{
    if (!c.optionalMapping(n, "severity_overrides"))
        return;
    for (const auto& [key, value] : n.entries)
        if (const auto s = c.word(value, "severity_overrides." + key.value, severityFromWord))
            profile.severityOverrides[key.value] = *s;
}

void readVersion(ConfigChecker& c, const YamlNode& n, AnalysisProfile& profile)
{
    const std::optional<std::int64_t> v =
        n.kind == YamlNode::Kind::Scalar && !n.quoted ? wholeNumber(n.value) : std::nullopt;
    if (v != 1)
        c.error(n, "'version' must be 1 (the only version of analysis.yaml), got " +
                       (n.kind == YamlNode::Kind::Scalar ? "'" + n.value + "'" : std::string("no number")));
    profile.version = 1;
}

} // namespace

std::optional<AnalysisProfile> parseAnalysisProfile(std::string_view bytes, const std::string& file,
                                                    std::vector<BundleDiagnostic>& diagnostics)
{
    ConfigChecker c(file, diagnostics);
    const std::optional<YamlNode> root = c.mappingRoot(bytes, "an analysis profile");
    if (!root)
        return std::nullopt;
    // a section the file leaves out keeps the built-in one; a section it
    // gives, even empty, replaces it
    AnalysisProfile profile = defaultAnalysisProfile();
    profile.source = c.source(bytes);
    bool sawVersion = false;
    for (const auto& [key, value] : root->entries) {
        const std::string& k = key.value;
        if (k == "version") {
            sawVersion = true;
            readVersion(c, value, profile);
        } else if (k == "agents") {
            if (c.optionalList(value, k))
                for (const YamlNode& agent : value.items)
                    readAgent(c, agent, profile);
        } else if (k == "permission_risk") {
            readPermissionRisk(c, value, profile);
        } else if (k == "action_types") {
            readActionTypes(c, value, profile);
        } else if (k == "environments") {
            readEnvironments(c, value, profile);
        } else if (k == "networks") {
            readNetworks(c, value, profile);
        } else if (k == "retries") {
            readRetries(c, value, profile.retries);
        } else if (k == "sequences") {
            readSequenceSettings(c, value, profile.sequences);
        } else if (k == "severity_overrides") {
            readSeverityOverrides(c, value, profile);
        } else {
            c.unknownKey(key,
                         {"version", "agents", "permission_risk", "action_types", "environments", "networks",
                          "retries", "sequences", "severity_overrides"},
                         "the analysis profile");
        }
    }
    if (!sawVersion)
        c.add(BundleDiagnostic::Level::Warning, 1, 1, "no 'version'; read as version 1 (write 'version: 1')");
    if (c.failed())
        return std::nullopt;
    return profile;
}

std::optional<AnalysisProfile> loadAnalysisProfile(const std::string& path,
                                                   std::vector<BundleDiagnostic>& diagnostics)
{
    return loadConfigFile(path, diagnostics, parseAnalysisProfile);
}

} // namespace rw::analysis
