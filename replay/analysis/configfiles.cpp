#include "replay/analysis/configfiles.h"

#include "replay/analysis/configloader.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace rw::analysis {

namespace {

// An agent names its sequence profile relative to the profile's folder; the
// engine looks it up as written.
void loadNamedSequenceProfiles(const std::string& profilePath, AnalysisConfig& config,
                               std::vector<BundleDiagnostic>& diagnostics)
{
    const std::filesystem::path folder = std::filesystem::path(profilePath).parent_path();
    for (const AgentProfile& agent : config.profile.agents) {
        const std::string& named = agent.sequenceProfile;
        if (named.empty() || config.sequenceProfiles.count(named))
            continue;
        const std::filesystem::path path =
            std::filesystem::path(named).is_absolute() ? std::filesystem::path(named) : folder / named;
        if (std::optional<SequenceProfile> p = loadSequenceProfile(path.lexically_normal().string(), diagnostics))
            config.sequenceProfiles.emplace(named, std::move(*p));
    }
}

// An agent whose behavioural_policy is not among the loaded ones gets no
// checks at all, silently: say so where the agent is written.
void warnUnknownPolicies(const AnalysisConfig& config, std::vector<BundleDiagnostic>& diagnostics)
{
    for (const AgentProfile& agent : config.profile.agents) {
        const std::string& named = agent.behaviouralPolicy;
        if (named.empty() || std::any_of(config.policies.begin(), config.policies.end(),
                                         [&](const BehaviourPolicy& p) { return p.id == named; }))
            continue;
        diagnostics.push_back(
            {config.profile.source.path, agent.match.line, agent.match.column, BundleDiagnostic::Level::Warning,
             "agent '" + agent.match.text + "' names behavioural policy '" + named +
                 "', which is not loaded (the CLI's --behaviour, or a behaviour/ folder beside the profile in the workbench): its checks are not run"});
    }
}

} // namespace

AnalysisConfig loadConfigFiles(const ConfigFiles& files, std::vector<BundleDiagnostic>& diagnostics)
{
    AnalysisConfig config;
    config.profile = defaultAnalysisProfile();
    if (!files.profile.empty()) {
        if (std::optional<AnalysisProfile> p = loadAnalysisProfile(files.profile, diagnostics)) {
            config.profile = std::move(*p);
            config.profileGiven = true;
        }
    }
    std::map<std::string, std::string> ids; // a policy id given by two files is ambiguous
    for (const std::string& b : files.behaviour)
        for (BehaviourPolicy& p : loadBehaviourPolicies(b, diagnostics)) {
            const auto [first, fresh] = ids.emplace(p.id, p.source.path);
            if (!fresh) {
                diagnostics.push_back({p.source.path, 0, 0, BundleDiagnostic::Level::Error,
                                       "policy id '" + p.id + "' is already given in " + first->second});
                continue;
            }
            config.policies.push_back(std::move(p));
        }
    config.policyVersion = files.policyVersion;
    config.exfil = defaultExfilRules();
    if (!files.exfil.empty())
        if (std::optional<ExfilRules> rules = loadExfilRules(files.exfil, diagnostics))
            config.exfil = std::move(*rules);
    // given ones first: an agent naming the same path as written then uses it
    for (const std::string& f : files.sequenceProfiles)
        if (std::optional<SequenceProfile> p = loadSequenceProfile(f, diagnostics))
            config.sequenceProfiles.insert_or_assign(f, std::move(*p));
    if (config.profileGiven) {
        loadNamedSequenceProfiles(files.profile, config, diagnostics);
        warnUnknownPolicies(config, diagnostics);
    }
    return config;
}

ConfigFiles configFilesBeside(const std::string& profile)
{
    ConfigFiles files;
    files.profile = profile;
    const std::filesystem::path folder = std::filesystem::path(profile).parent_path();
    std::error_code ec;
    if (std::filesystem::is_directory(folder / "behaviour", ec))
        files.behaviour.push_back((folder / "behaviour").string());
    if (std::filesystem::is_regular_file(folder / "exfiltration.yaml", ec))
        files.exfil = (folder / "exfiltration.yaml").string();
    return files;
}

} // namespace rw::analysis
