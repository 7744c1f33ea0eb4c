#pragma once

// Turns what a run trace says into the model's records: run fields into a
// RunInfo, one step object into its EventRecord and RunStep. Shared by the
// document importer and the streaming importer. Private to model/ (it pulls
// in simdjson through runtracejson.h): include it from .cpp files only.
#include "model/chunkresult.h"
#include "model/runtracejson.h"

namespace rw {

class RunStepWriter
{
public:
    RunStepWriter(ChunkResult& out, std::size_t maxDocumentBytes);

    // copies the run-level fields of `run` into `info` (a finding for an
    // unparseable started_at / completed_at, at info.line and info.offset)
    void fillRun(RunInfo& info, const runjson::RunFields& run);

    // Reads the step object `raw` (inside the padded file) into `rec` and
    // `step`. `denied` / `escalated` are the run's recorded lists, when known.
    void readStep(std::string_view raw, const std::vector<runjson::PermissionEntry>& denied,
                  const std::vector<runjson::PermissionEntry>& escalated, EventRecord& rec, RunStep& step,
                  std::int64_t recordIndex);

    // Where a step object lies: its bytes (inside the padded file), their
    // offset and line, its run, and its position in the run (its name until
    // its step_index is read).
    struct StepPlace
    {
        std::string_view raw;
        std::size_t offset = 0;
        std::uint32_t line = 0;
        std::uint32_t run = 0;
        std::int64_t position = 0;
    };
    // Adds the step's EventRecord and RunStep, reads it (readStep) and names it
    // `<runId>#step-<step_index>`: step_index is the step's name everywhere.
    // The agent may be kNoStr (a stream names it at its end).
    void addStep(const StepPlace& place, const std::string& runId, const std::vector<runjson::PermissionEntry>& denied,
                 const std::vector<runjson::PermissionEntry>& escalated, StrId agentId = kNoStr, StrId agentName = kNoStr);

    StrId copyStr(std::string_view s) { return m_out.pool.internCopy(s); }

    // Consistency findings of one run whose steps are `steps` (positions in
    // ChunkResult::runSteps, file order): step_index gaps and duplicates, a
    // step ending before the previous one, completed_at before the last
    // step's end, missing or empty reasoning.
    void checkRun(const RunInfo& info, const std::vector<std::size_t>& steps);

private:
    Span32 permissions(const std::vector<runjson::PermissionEntry>& entries);
    StrId rawOf(runjson::od::value value);
    void readResult(runjson::od::value value, RunStep& step, bool& denied);

    ChunkResult& m_out;
    runjson::od::parser m_stepParser;
};

} // namespace rw
