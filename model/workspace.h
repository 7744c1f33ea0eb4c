#pragma once

#include "model/intracediff.h"
#include "model/replaymodel.h"
#include "model/tracesummary.h"
#include "model/vocabulary.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rw {

// One row of the trace list: a plain value with everything the list, its
// filters and its sort need, computed once off the GUI thread.
struct TraceRow
{
    std::uint32_t file = 0;  // index into Workspace::files()
    std::uint32_t trace = 0; // trace index in that file's model
    StrId traceId = kNoStr;
    StrId agentName = kNoStr;
    StrId agentId = kNoStr;
    StrId agentTrust = kNoStr; // agent_trust_level (identity), not provenance
    StrId tenant = kNoStr;
    StrId tool = kNoStr;
    StrId finalDecision = kNoStr;
    StrId finalReason = kNoStr;
    StrId budgetStatus = kNoStr; // may be kNoStr with violated = true
    // the words above that belong to a vocabulary, as their values (in what
    // was padding before firstSeenUs: a row stays 80 bytes)
    Decision decision = Decision::None;     // finalDecision's
    Trust agentTrustLevel = Trust::None;    // agentTrust's
    std::int64_t firstSeenUs = kNoTime;
    std::int64_t durationUs = 0;
    std::uint32_t events = 0;
    std::uint32_t diagnostics = 0;
    std::uint32_t violations = 0;
    std::uint16_t stageMask = 0; // bit per decision stage present, see stageBit()
    Trust trust = Trust::None; // worst trust of the trace's provenance items
    Governance governance = Governance::Observed;
};
// a million traces hold a million rows: growing one is a decision, not an accident
static_assert(sizeof(TraceRow) == 80);

// Bit of a decision stage word in TraceRow::stageMask (0 for unknown words).
std::uint16_t stageBit(std::string_view stage);

// The files open in one window and the rows of their traces, merged.
class Workspace
{
public:
    Workspace() = default;
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    // Adds a loaded file and computes its rows (summaries and in-trace diffs
    // on all cores). Call from a worker thread for big files.
    void addFile(std::unique_ptr<ReplayModel> model);
    void addFile(std::shared_ptr<const ReplayModel> model);
    // Adds file `file` of `other` as it is there (the live view's reload of
    // files that did not change): the model shared, its rows and summaries copied.
    void addFileFrom(const Workspace& other, std::size_t file);
    // Adds `model`, the file `previousFile` of `previous` extended
    // (AuditLoader::extendFile, which kept its first `keptEvents` records):
    // the rows of traces the new lines did not touch are copied, only the
    // others computed again.
    void addExtendedFile(std::shared_ptr<const ReplayModel> model, const Workspace& previous,
                         std::size_t previousFile, std::size_t keptEvents);

    std::size_t fileCount() const { return m_files.size(); }
    const ReplayModel& file(std::size_t i) const { return *m_files[i]; }
    std::shared_ptr<const ReplayModel> sharedFile(std::size_t i) const { return m_files[i]; }
    const std::vector<TraceRow>& rows() const { return m_rows; }
    const TraceRow& row(std::size_t i) const { return m_rows[i]; }
    const TraceSummary& summary(std::size_t row) const { return m_summaries[row]; }
    const ReplayModel& fileOf(const TraceRow& r) const { return *m_files[r.file]; }
    std::string_view str(const TraceRow& r, StrId id) const { return m_files[r.file]->str(id); }
    std::uint64_t totalEvents() const;
    std::uint64_t totalDiagnostics() const;
    // Row of a trace id (first file that has it), or -1.
    std::int64_t findRow(std::string_view traceId) const;

private:
    struct Reuse
    {
        const Workspace* previous = nullptr;
        std::vector<std::int64_t> rows; // per trace: its row in `previous` to copy, or -1
    };
    void addRows(std::shared_ptr<const ReplayModel> model, Reuse reuse);

    std::vector<std::shared_ptr<const ReplayModel>> m_files;
    std::vector<TraceRow> m_rows;
    std::vector<TraceSummary> m_summaries;
};

} // namespace rw
