#pragma once

// One run analysed step by step: begin, a step at a time as it is read or
// arrives, finish. Post-run analysis (analyzeModel) and the live watch feed
// it the same way, so every detector is incremental.
#include "model/stepfacts.h"
#include "replay/analysis/analyzer.h"

#include <memory>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace rw::analysis {

class CompiledRules;
struct CompiledAgent;
class RunDetector;

struct RunStart
{
    std::string runId, agentId, agentName, file, sha256, startedAt, policyVersion;
    bool hasSummary = false; // the run recorded permissions_summary
    std::vector<std::string> granted, denied, escalated;
    // escalations recorded with their approval (reference §3.4): permission -> approval id
    std::vector<std::pair<std::string, std::string>> approvedEscalations;
    bool hasGrantedCaps = false; // an interceptor trace carried allowed capabilities
    std::vector<std::string> grantedCaps;
};

struct StepInput
{
    StepFacts* facts = nullptr; // the analyzer sets escalated and the variables
    Witness where;              // file, sha256, line, offset, length of the step's bytes
    std::string permissionsPointer; // "/permissions_used" or "/requested_capabilities"
    std::string_view time;      // the step's timestamp as written
    std::int64_t timeUs = 0;
    std::int64_t resultBytes = -1; // size of the result data's JSON, -1 unknown
    std::int64_t resultRows = -1;
    std::string_view paramsJson;   // the tool call's parameters as written
};

// A step kept for the rules that look back (preceded_by) or forward
// (followed_by): its own copies, its facts pointing into them.
struct KeptStep
{
    explicit KeptStep(const StepInput& in);
    void assign(const StepInput& in);
    KeptStep(const KeptStep&) = delete;
    KeptStep& operator=(const KeptStep&) = delete;

    std::vector<std::string> text; // tool, action, agent, ... in StepFacts order
    std::vector<std::string> permissionText, destinationText;
    std::vector<std::string_view> permissions, actionTypes, environments, destinations;
    std::vector<std::string> paramText;
    std::vector<StepParam> params;
    StepFacts facts;
    Witness where;
    std::string time;
    std::int64_t timeUs = 0;
};

class RunAnalyzer : public StepVariables
{
public:
    explicit RunAnalyzer(const AnalysisRules& rules);
    ~RunAnalyzer() override;
    RunAnalyzer(const RunAnalyzer&) = delete;
    RunAnalyzer& operator=(const RunAnalyzer&) = delete;

    void begin(RunStart start);
    void addStep(StepInput& step);
    // `status` and duration as the source says at its end
    RunAnalysis finish(const std::string& status, std::int64_t durationMs);

    // what detectors use
    const CompiledRules& rules() const { return m_rules.compiled(); }
    const AnalysisConfig& config() const { return m_rules.config(); }
    const RunStart& start() const { return m_start; }
    const CompiledAgent* agent() const { return m_agent; }
    bool inBaseline(std::string_view permission) const;
    BaselineSource baselineSource() const { return m_result.baselineSource; }
    const std::vector<std::string>& baseline() const { return m_result.baseline; }
    // adds an anomaly (severity overrides, score, fingerprint applied)
    Anomaly& emit(Detector detector, std::string ruleId, Severity severity, const StepInput* step, std::string key);
    Anomaly& emitAt(Detector detector, std::string ruleId, Severity severity, const KeptStep& step, std::string key);
    // an anomaly the detector filled (step, time, witness, key, context)
    Anomaly& emitFilled(Anomaly a, Severity severity) { return add(std::move(a), severity); }
    void note(AnalysisNote n);
    std::vector<PolicyCheckResult>& checks() { return m_result.checks; }
    void setPolicy(std::string ids, std::string name)
    {
        m_result.policyId = std::move(ids);
        m_result.policyName = std::move(name);
    }
    // the steps before the current one, most recent first (back(0) is the previous step)
    std::size_t historySize() const { return m_historySize; }
    KeptStep& historyBack(std::size_t i) const
    {
        return *m_ring[(m_historyStart + m_historySize - 1 - i) % m_ring.size()];
    }
    // anomalies found since the last call (the live watch prints them as they come)
    std::vector<Anomaly> takeNew();

    std::span<const std::string> list(std::string_view name) const override;

private:
    Anomaly& add(Anomaly a, Severity severity);

    const AnalysisRules& m_rules;
    RunStart m_start;
    const CompiledAgent* m_agent = nullptr;
    std::set<std::string, std::less<>> m_baselineSet;
    RunAnalysis m_result;
    std::vector<std::string> m_firstUse; // permissions in first-use order
    std::map<std::string, std::int64_t, std::less<>> m_usedSet; // permission -> steps that used it
    std::vector<std::unique_ptr<RunDetector>> m_detectors;
    std::vector<std::unique_ptr<KeptStep>> m_ring;
    std::size_t m_historyStart = 0;
    std::size_t m_historySize = 0;
    Anomaly m_discard; // what a switched-off detector reports goes here
    std::uint64_t m_sequence = 0;
    std::size_t m_reported = 0;
    bool m_historyCut = false;
};

// One detector: begin() starts a run and must reset everything it keeps
// about the previous one (the same detector serves run after run).
class RunDetector
{
public:
    virtual ~RunDetector() = default;
    virtual void begin(RunAnalyzer&) {}
    virtual void step(RunAnalyzer& run, StepInput& step) = 0;
    virtual void finish(RunAnalyzer&) {}
};

} // namespace rw::analysis
