#pragma once

// The seven detectors, each a RunDetector in its own file, made fresh for
// every run in the order they run: escalation first (it marks the steps'
// `escalated`, which behavioural rules read).
#include "replay/analysis/runanalyzer.h"

#include <memory>
#include <vector>

namespace rw::analysis {

std::unique_ptr<RunDetector> makeEscalationDetector();
std::unique_ptr<RunDetector> makeSequenceDetector();
std::unique_ptr<RunDetector> makeRetryDetector();
std::unique_ptr<RunDetector> makeExfilDetector();
std::unique_ptr<RunDetector> makePolicyDetector(); // behavioural_deviation and missing_step
std::unique_ptr<RunDetector> makeIntegrityDetector();

std::vector<std::unique_ptr<RunDetector>> makeDetectors(const CompiledRules& rules);

} // namespace rw::analysis
