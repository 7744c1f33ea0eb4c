#pragma once

// The run-trace analysis engine: seven detectors fed one step at a time, so
// that post-run analysis (analyzeModel) and the live watch share them.
#include "replay/analysis/anomaly.h"
#include "replay/policy/yamltree.h"

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rw {
class ReplayModel;
class StepClassifier;
}

namespace rw::analysis {

// Everything an analysis reads besides the trace.
struct AnalysisConfig
{
    AnalysisProfile profile;  // defaultAnalysisProfile() when no file is given
    bool profileGiven = false;
    std::vector<BehaviourPolicy> policies;
    ExfilRules exfil;         // defaultExfilRules() when no file is given
    // by the path an agent's sequence_profile names (as written in the profile)
    std::map<std::string, SequenceProfile> sequenceProfiles;
    std::string policyVersion; // of the policy bundle in use, for trace_integrity; empty: not compared
    // bit (1 << Detector) per detector that runs; all by default
    std::uint32_t detectors = (1u << kDetectorCount) - 1;
    // keep each run's tool sequence and destination classes (RunAnalysis::tools,
    // destinations): what --build-profile counts; off, the analysis keeps neither
    bool recordSequences = false;
};

class CompiledRules;

// The configuration with its expressions compiled. Expression errors are
// BundleDiagnostics at the expression's file, line and column.
class AnalysisRules
{
public:
    static std::shared_ptr<const AnalysisRules> compile(AnalysisConfig config,
                                                        std::vector<BundleDiagnostic>& diagnostics);
    ~AnalysisRules();
    const AnalysisConfig& config() const { return m_config; }
    const CompiledRules& compiled() const { return *m_compiled; }
    // the profile's action types, environments and destinations of a step
    // (what the timeline colours run steps by)
    const StepClassifier& classifier() const;

private:
    AnalysisRules() = default;
    AnalysisConfig m_config;
    std::unique_ptr<CompiledRules> m_compiled;
};

// The rules without a profile: the baseline inferred from each trace, the
// built-in exfiltration rules (what the workbench applies). One shared object.
std::shared_ptr<const AnalysisRules> defaultAnalysisRules();

// Every run of a loaded file: the runs of a run-trace file, or each trace
// of an interceptor audit log read as a run (one step per execution plan).
// `sha256` names the file's bytes in witnesses (empty: not computed).
// Returns what was analysed before `cancel` was set.
std::vector<RunAnalysis> analyzeModel(const ReplayModel& model, const AnalysisRules& rules,
                                      const std::string& sha256, const std::atomic<bool>* cancel = nullptr);

} // namespace rw::analysis
