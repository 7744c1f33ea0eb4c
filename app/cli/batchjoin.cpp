#include "app/cli/batchjoin.h"

#include "app/cli/batchfacts.h"
#include "app/cli/cliload.h"
#include "app/cli/runrowwriter.h"
#include "model/auditloader.h"
#include "model/replaymodel.h"
#include "model/sourcefile.h"
#include "replay/analysis/splitrun.h"

#include <map>
#include <memory>
#include <new>
#include <set>
#include <sstream>

namespace rw {

namespace {

// the records of split runs held at once, past which the rest are kept apart
constexpr std::uint64_t kMaxHeldBytes = 2ull << 30;

const char* joinProblemText(analysis::JoinProblem problem)
{
    switch (problem) {
    case analysis::JoinProblem::None: break;
    case analysis::JoinProblem::NotSplittable: return "a file no longer holds the run's records";
    case analysis::JoinProblem::Overlap:
        return "the files overlap (a record in two of them, or records written at the same time): a copy or "
               "two writers, not one log rotated";
    case analysis::JoinProblem::OrderUnknown:
        return "nothing tells the order of its pieces (no run_started or run_completed, step_index or time)";
    case analysis::JoinProblem::NotOneRun: return "its records do not read as one run together";
    }
    return "it could not be joined";
}

// One file read again: the bytes the map step analysed (the file, or the
// first `size` bytes of a log appended to since), or why not.
std::unique_ptr<ReplayModel> readAgain(const std::string& path, const std::string& sha256, std::uint64_t size,
                                       const CliOptions& options, const std::atomic<bool>* cancel, std::string& problem)
{
    CliOptions quiet = options;
    quiet.quiet = true;
    std::ostringstream findings;
    std::unique_ptr<ReplayModel> model = loadAuditForCli(path, quiet, findings, cancel);
    if (!model) {
        std::string why = findings.str();
        why = why.substr(0, why.find('\n'));
        problem = path + " cannot be read by the merge" + (why.empty() ? std::string() : " (" + why + ")");
        return nullptr;
    }
    const std::string now = model->sha256();
    if (sha256.empty() || now.empty()) {
        problem = path + " has no SHA-256 to check it by";
        return nullptr;
    }
    if (now == sha256)
        return model;
    // a live log appended to since the map step: the same first bytes will do (not a compressed file,
    // whose bytes are not its records')
    const std::string_view stored = model->storedBytes();
    if (size > 0 && stored.size() > size && model->bytes().data() == stored.data() &&
        sha256Hex(stored.substr(0, size)) == sha256)
        return AuditLoader::loadBytes(stored.substr(0, size), path);
    problem = path + " changed since it was analysed";
    return nullptr;
}

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
    // only runs written as records can be split; a run document is whole in each file
    std::vector<bool> tried(runs.size(), false);
    std::map<std::string, std::set<std::string>> idsOf;
    std::map<std::string, const SplitRun::Piece*> pieceOf; // a file's sha256 and size, as a piece names them
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const SplitRun& run = runs[i];
        std::string form;
        for (const SplitRun::Piece& piece : run.pieces)
            if (piece.facts->form != "stream" && piece.facts->form != "trace")
                form = piece.facts->form.empty() ? "an older part does not say how it was written" : "a run document is whole in each file (copies)";
        if (run.runId.empty())
            form = "it has no run id";
        if (!form.empty()) {
            out[i].reason = form;
            continue;
        }
        tried[i] = true;
        for (const SplitRun::Piece& piece : run.pieces) {
            idsOf[piece.facts->file].insert(run.runId);
            pieceOf[piece.facts->file] = &piece;
        }
    }
    // one file at a time: read, checked, its records copied out, closed
    std::map<std::pair<std::string, std::string>, analysis::RunPiece> held; // (file, run id) -> its piece
    std::map<std::string, std::string> fileProblem;
    std::set<std::string> read;
    std::uint64_t heldBytes = 0;
    for (const auto& [path, ids] : idsOf) {
        if (cancel && cancel->load())
            return out;
        const SplitRun::Piece& named = *pieceOf[path];
        read.insert(path);
        std::string problem;
        try {
            const std::unique_ptr<ReplayModel> model = readAgain(path, named.sha256, named.size, options, cancel, problem);
            if (!model) {
                fileProblem[path] = problem;
                continue;
            }
            for (auto& [id, records] : analysis::runRecords(*model, ids)) {
                analysis::RunPiece& piece = held[{path, id}];
                piece.file = path;
                piece.sha256 = named.sha256;
                piece.data = analysis::recordBytes(model->bytes(), records);
                heldBytes += piece.data.size();
                piece.records = std::move(records);
            }
        } catch (const std::bad_alloc&) {
            fileProblem[path] = path + ": not enough memory to read it again";
        }
        if (heldBytes > kMaxHeldBytes) {
            fileProblem[path] = "the runs split across files hold more than 2 GiB of records together";
            break;
        }
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (!tried[i])
            continue;
        if (cancel && cancel->load())
            return out;
        const SplitRun& run = runs[i];
        std::vector<analysis::RunPiece> pieces;
        for (const SplitRun::Piece& p : run.pieces) {
            const std::string& path = p.facts->file;
            if (const auto bad = fileProblem.find(path); bad != fileProblem.end()) {
                out[i].reason = bad->second;
                break;
            }
            if (!read.count(path)) {
                out[i].reason = path + " was not read again (a limit was reached before it)";
                break;
            }
            analysis::RunPiece piece = std::move(held[{path, run.runId}]);
            piece.file = path;
            piece.sha256 = p.sha256;
            piece.where.line = static_cast<std::uint32_t>(std::min<std::uint64_t>(p.facts->line, UINT32_MAX));
            piece.where.offset = p.facts->offset;
            piece.where.length = p.facts->length;
            pieces.push_back(std::move(piece));
        }
        if (!out[i].reason.empty())
            continue;
        try {
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
        } catch (const std::exception& e) {
            // one run that cannot be joined never stops the merge
            out[i].whole.reset();
            out[i].reason = std::string("joining it failed (") + e.what() + ")";
        }
    }
    return out;
}

} // namespace rw
