#pragma once

// A step of a loaded model as the analyzer takes it (StepInput): its facts
// (tool, permissions, parameters, classification), the place of its bytes
// for witnesses, and the size of its result. Post-run analysis
// (analyzeModel) reads every step of a file through it; the live watch reads
// the steps of each batch of appended lines through it, into analyzers that
// outlive the batch (a StepInput is used before the next one is read: the
// analyzer keeps its own copies of what it looks back at).
#include "model/stepfacts.h"
#include "replay/analysis/runanalyzer.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace rw {
class ReplayModel;
}

namespace rw::analysis {

class StepReader
{
public:
    explicit StepReader(const AnalysisRules& rules);

    // `file` and `sha256` name the bytes in witnesses (kept; the model's
    // offsets are used as they are)
    void setSource(std::string file, std::string sha256);

    // a run-trace step (an event with a RunStep)
    StepInput& runStep(const ReplayModel& model, std::uint32_t event);
    // an interceptor execution plan as one step: its deciding event, its
    // position among the trace's plans, the approval id one of its events carries
    StepInput& planStep(const ReplayModel& model, std::uint32_t decisive, std::int64_t index, std::string_view approval);

private:
    StepInput& input(const ReplayModel& model, std::uint32_t event, const char* pointer);

    const AnalysisRules& m_rules;
    StepFactsBuilder m_builder;
    StepInput m_in; // refilled for each step (its strings keep their buffers)
};

// result.data.rows (a number, or a list's length), -1 when absent
std::int64_t resultRowsOf(std::string_view data);

} // namespace rw::analysis
