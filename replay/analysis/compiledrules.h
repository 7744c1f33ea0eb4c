#pragma once

// The analysis configuration made ready to run: expressions parsed into
// StepQuery, globs built once, the profile's classifier. Internal to
// replay/analysis (AnalysisRules owns it).
#include "model/globmatcher.h"
#include "model/stepquery.h"
#include "replay/analysis/analyzer.h"
#include "replay/analysis/destinations.h"

#include <map>
#include <string>
#include <vector>

namespace rw::analysis {

// case-insensitive globs, any of which may match
class GlobList
{
public:
    GlobList() = default;
    explicit GlobList(const std::vector<std::string>& patterns);
    bool matches(std::string_view text) const;
    bool empty() const { return m_globs.empty(); }

private:
    std::vector<GlobMatcher> m_globs;
};

struct CompiledCheck
{
    const PolicyCheck* check = nullptr;
    std::vector<StepQuery> prohibitWhen; // one per check->prohibit entry
    StepQuery when, require, precededBy, followedBy, review;
};

struct CompiledPolicy
{
    const BehaviourPolicy* policy = nullptr;
    StepQuery appliesTo;
    std::vector<CompiledCheck> checks;
};

// A sequence profile with what the detector derives from it once.
struct CompiledSequence
{
    const SequenceProfile* profile = nullptr;
    GlobMatcher agent;                              // the profile's own `agent` glob
    std::map<std::string, std::int64_t> outgoing; // transitions from a tool, summed
};

struct CompiledAgent
{
    const AgentProfile* profile = nullptr;
    GlobMatcher match;
    GlobList baseline, approvable;
    const CompiledSequence* sequence = nullptr; // the one its sequence_profile names
};

// Action types, environments and destinations of a step (the `action_type:`,
// `env:` and `dest:` fields) from the profile and the exfiltration rules.
class ProfileClassifier : public StepClassifier
{
public:
    ProfileClassifier(const AnalysisProfile& profile, const ExfilRules& exfil);
    void classify(const StepFacts& facts, Out out) const override;
    bool trusts(std::string_view destination) const { return m_trusted.trusts(destination); }

private:
    struct Type
    {
        std::string_view name;
        GlobList actions, permissions, tools;
        std::vector<std::pair<std::string, GlobList>> params;
    };
    struct Env
    {
        std::string_view name;
        GlobList hosts;
        std::vector<std::string> params;
        std::vector<std::string> values;
    };
    std::vector<Type> m_types;
    std::vector<Env> m_envs;
    GlobList m_writeTools;
    std::vector<std::string> m_destinationParams;
    TrustedNetworks m_trusted;
};

class CompiledRules
{
public:
    CompiledRules(const AnalysisConfig& config, std::vector<BundleDiagnostic>& diagnostics);

    const AnalysisConfig& config;
    ProfileClassifier classifier;
    std::vector<CompiledSequence> sequences; // every sequence profile, in path order
    std::vector<CompiledAgent> agents;
    std::vector<CompiledPolicy> policies;
    StepQuery encode;
    GlobList largeReadTools;
    std::vector<std::pair<GlobMatcher, Severity>> permissionRisk;
    std::size_t historyNeeded = 0; // steps kept for preceded_by (0: none needed)

    const CompiledAgent* agentFor(std::string_view agentId, std::string_view agentName) const;
    // the profile an agent's entry names; else the first (by path) whose own
    // `agent` glob matches the run's agent (--sequence-profile without an entry)
    const CompiledSequence* sequenceFor(const CompiledAgent* agent, std::string_view agentId) const;
    Severity severity(const std::string& ruleId, Severity fallback) const;
    Severity risk(std::string_view permission) const;

private:
    StepQuery compileExpression(const ConfigText& text, const std::string& file, const std::string& what,
                                std::vector<BundleDiagnostic>& diagnostics) const;
};

} // namespace rw::analysis
