#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rw {

class ReplayModel;

// One top-level parameter of a step's tool call: strings unescaped, other
// values as their JSON text.
struct StepParam
{
    std::string_view key;
    std::string_view value;
};

// The lists a behavioural rule names as `$agent.approved_tools`: the
// analysis profile of the step's agent. Implemented by the analysis engine.
class StepVariables
{
public:
    virtual ~StepVariables() = default;
    // "agent.approved_tools", "agent.baseline_grant", "agent.approvable"
    virtual std::span<const std::string> list(std::string_view name) const = 0;
};

// What the step scope of the filter language asks of one step, as views
// into the model, the profile or a StepFactsBuilder. Both formats give
// these: a run step directly, an interceptor event (or the events of one
// execution plan) through the builder.
struct StepFacts
{
    // agent: agent_id when there is one, else the name (agentName)
    std::string_view tool, action, agent, agentName, run, decision, reason, reasoning, resultStatus, approvalId;
    std::int64_t step = -1;
    bool escalated = false;
    std::span<const std::string_view> permissions;
    std::span<const StepParam> params;
    // from the analysis profile (StepClassifier); empty without one
    std::span<const std::string_view> actionTypes;
    std::span<const std::string_view> environments;
    std::span<const std::string_view> destinations; // hosts, e-mail domains, IPs, bucket URIs
    bool untrustedDestination = false;
    bool trustedDestination = false;
    // `$step.…` names the step a rule is about (a `when` step, while its
    // `preceded_by` looks at earlier steps); `$agent.…` the profile's lists
    const StepFacts* anchor = nullptr;
    const StepVariables* variables = nullptr;

    std::string_view param(std::string_view key, bool* found = nullptr) const;
};

// What the analysis profile adds to a step: its action types, environments
// and destinations. The analysis library implements it.
class StepClassifier
{
public:
    virtual ~StepClassifier() = default;
    struct Out
    {
        std::vector<std::string_view>& actionTypes; // names that outlive the facts (the profile's)
        std::vector<std::string_view>& environments;
        std::vector<std::string>& destinations;
        bool& untrusted;
        bool& trusted;
    };
    virtual void classify(const StepFacts& facts, Out out) const = 0;
};

// Fills StepFacts for the events of a model, owning what is not a view into
// the model (parsed parameters, classifications). Reuse one builder for many
// steps: the facts it returns stay valid until its next build.
class StepFactsBuilder
{
public:
    explicit StepFactsBuilder(const StepClassifier* classifier = nullptr) : m_classifier(classifier) {}

    // the facts of event `event`: a run step, or one interceptor event
    const StepFacts& build(const ReplayModel& model, std::size_t event);
    // re-runs the classifier (after the caller changed tool, params, ...)
    void classify();
    StepFacts& facts() { return m_facts; }

    // parses a JSON object's top-level members into params (kept here)
    void setParams(std::string_view objectJson);
    void setPermissions(std::span<const std::string_view> permissions);

private:
    const StepClassifier* m_classifier;
    StepFacts m_facts;
    std::vector<std::string> m_paramText;
    std::vector<StepParam> m_params;
    std::vector<std::string_view> m_permissions;
    std::vector<std::string_view> m_actionTypes;
    std::vector<std::string_view> m_environments;
    std::vector<std::string> m_destinationText;
    std::vector<std::string_view> m_destinations;
    std::string m_approvalId;
};

} // namespace rw
