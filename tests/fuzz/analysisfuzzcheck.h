#pragma once

#include <string>
#include <string_view>

namespace rwfuzz {

// Reads `bytes` with each of the analysis configuration parsers (analysis
// profile, behavioural policy, exfiltration rules, sequence profile, controls
// mapping) and the live watch's alerts file. Each must give a result exactly when it added no error, every
// diagnostic must have a message and a sane position, and a result must hold
// only what the loaders promise (ids, steps, ranges, hashes). Returns "" when
// every invariant holds. Shared by fuzz_analysisconfig and tst_fuzzcorpus.
std::string checkAnalysisConfigInput(std::string_view bytes);

} // namespace rwfuzz
