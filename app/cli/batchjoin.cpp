#include "app/cli/batchjoin.h"

#include "app/cli/batchfacts.h"
#include "app/cli/cliload.h"
#include "app/cli/runrowwriter.h"
#include "model/replaymodel.h"
#include "replay/analysis/splitrun.h"

#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace rw {

namespace {

const char* joinProblemText(analysis::JoinProblem problem)
{
    switch (problem) {
    case analysis::JoinProblem::None: break;
    case analysis::JoinProblem::NotSplittable:
        return "a run document is whole in each file (copies), or a file no longer holds the run";
    case analysis::JoinProblem::Copies: return "two files hold the same records (a copy)";
    case analysis::JoinProblem::NotOneRun: return "its records do not read as one run together";
    }
    return "it could not be joined";
}

// One file read again for its split runs: the model (the bytes the records
// lie in) and each run's records, or why it cannot serve.
struct ReadAgain
{
    std::unique_ptr<ReplayModel> model;
    std::map<std::string, std::vector<analysis::RecordRange>> records;
    std::string problem;
};

} // namespace

std::vector<SplitOutcome> joinSplitRuns(const std::vector<SplitRun>& runs, const CliOptions& options,
                                        const analysis::AnalysisRules* rules, const std::string& unavailable,
                                        const std::atomic<bool>* cancel)
{
    std::vector<SplitOutcome> out(runs.size());
    if (!rules) {
        for (SplitOutcome& o : out)
            o.reason = unavailable;
        return out;
    }
    // every file once, for all of its split runs
    std::map<std::string, std::set<std::string>> idsOf;
    std::map<std::string, std::string> shaOf;
    for (const SplitRun& run : runs)
        for (const SplitRun::Piece& piece : run.pieces) {
            idsOf[piece.facts->file].insert(run.runId);
            shaOf[piece.facts->file] = piece.sha256;
        }
    CliOptions quiet = options;
    quiet.quiet = true;
    std::map<std::string, ReadAgain> files;
    for (const auto& [path, ids] : idsOf) {
        if (cancel && cancel->load())
            return out;
        ReadAgain& file = files[path];
        std::ostringstream findings; // the map step reported them
        file.model = loadAuditForCli(path, quiet, findings, cancel);
        if (!file.model) {
            file.problem = path + " cannot be read by the merge";
        } else if (file.model->sha256() != shaOf[path]) {
            file.problem = path + " changed since it was analysed";
            file.model.reset();
        } else {
            file.records = analysis::runRecords(*file.model, ids);
        }
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (cancel && cancel->load())
            return out;
        const SplitRun& run = runs[i];
        std::vector<analysis::RunPiece> pieces;
        for (const SplitRun::Piece& piece : run.pieces) {
            ReadAgain& file = files[piece.facts->file];
            if (!file.problem.empty()) {
                out[i].reason = file.problem;
                break;
            }
            analysis::RunPiece& p = pieces.emplace_back();
            p.file = piece.facts->file;
            p.sha256 = piece.sha256;
            p.bytes = file.model->bytes();
            p.records = file.records[run.runId];
            p.where.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(piece.facts->line, UINT32_MAX));
            p.where.offset = piece.facts->offset;
            p.where.length = piece.facts->length;
        }
        if (!out[i].reason.empty())
            continue;
        analysis::JoinResult joined = analysis::analyzeJoinedRun(std::move(pieces), run.runId, *rules);
        if (!joined.joined) {
            out[i].reason = joinProblemText(joined.problem);
            continue;
        }
        // the row and facts as the map step makes them
        std::string row;
        std::vector<std::string> messages;
        appendRunRow(row, joined.joined->run, &messages);
        out[i].whole = BatchRun{std::move(row), runFactsOf(joined.joined->run, std::move(messages))};
        out[i].correction = std::move(joined.joined->correction);
    }
    return out;
}

} // namespace rw
