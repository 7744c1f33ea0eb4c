#include "replay/analysis/splitrun.h"

#include "model/auditloader.h"
#include "model/replaymodel.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

namespace rw::analysis {

namespace {

struct StreamHead
{
    std::string runId;
    RecordKind kind = RecordKind::Other;
};

// run_id and event of a run stream line as the importer reads them: keys
// unescaped, the last of a repeated key winning; no run_id when the line is
// no JSON object
StreamHead streamHead(simdjson::ondemand::parser& parser, std::string& padded, std::string_view line)
{
    StreamHead head;
    padded.assign(line);
    padded.append(simdjson::SIMDJSON_PADDING, ' ');
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (parser.iterate(padded.data(), line.size(), padded.size()).get(doc) || doc.get_object().get(object))
        return head;
    std::string runId, event;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key))
            return {};
        if (key != "run_id" && key != "event")
            continue;
        std::string_view value;
        if (field.value().get_string().get(value))
            value = {};
        (key == "run_id" ? runId : event) = std::string(value);
    }
    head.runId = std::move(runId);
    head.kind = event == "run_started" ? RecordKind::RunStarted
                : event == "run_completed" ? RecordKind::RunCompleted
                                           : RecordKind::Other;
    return head;
}

// The records of the pieces as one text, a line each, and where each record begins in it.
struct Joined
{
    std::string text;
    struct Place
    {
        std::uint64_t at = 0; // in `text`
        std::size_t piece = 0;
        RecordRange record;
    };
    std::vector<Place> places;

    void add(std::size_t p, const RunPiece& piece)
    {
        std::size_t from = 0;
        for (const RecordRange& r : piece.records) {
            places.push_back({text.size(), p, r});
            text.append(piece.data, from, r.length);
            text += '\n';
            from += r.length;
        }
    }
};

void subtract(GovernanceCounts& from, const GovernanceCounts& counts)
{
    for (const auto& [key, row] : counts.rows) {
        GovernanceRow negative{};
        for (std::size_t i = 0; i < kGovernanceCounters; ++i)
            negative[i] = row[i] == INT64_MIN ? INT64_MAX : -row[i];
        from.add(key, negative);
    }
}

struct Loaded
{
    std::unique_ptr<ReplayModel> model;
    std::vector<RunAnalysis> runs;
};

Loaded load(const std::string& text, const AnalysisRules& rules)
{
    Loaded out;
    out.model = AuditLoader::loadBytes(text, "<joined run>");
    if (out.model)
        out.runs = analyzeModel(*out.model, rules, std::string());
    return out;
}

// What orders a piece among the others.
struct PieceOrder
{
    std::int64_t first = kNoTime, last = kNoTime; // of its events and its run's start or end
    bool started = false, completed = false;      // a stream's run_started, run_completed
    std::int64_t firstStep = kNoNumber;           // the lowest step_index written in it
};

PieceOrder orderOf(const ReplayModel& model, const RunPiece& piece)
{
    PieceOrder o;
    const auto take = [&](std::int64_t t) {
        if (t == kNoTime)
            return;
        o.first = o.first == kNoTime ? t : std::min(o.first, t);
        o.last = o.last == kNoTime ? t : std::max(o.last, t);
    };
    for (std::size_t e = 0; e < model.eventCount(); ++e)
        take(model.event(e).timeUs);
    for (const RunInfo& info : model.runs()) {
        take(info.startedUs);
        take(info.completedUs);
    }
    for (const RunStep& step : model.runSteps())
        if (step.has(RunStepFlag::StepIndexGiven) && (o.firstStep == kNoNumber || step.stepIndex < o.firstStep))
            o.firstStep = step.stepIndex;
    for (const RecordRange& r : piece.records) {
        o.started = o.started || r.kind == RecordKind::RunStarted;
        o.completed = o.completed || r.kind == RecordKind::RunCompleted;
    }
    return o;
}

// The pieces in order, or nullopt when nothing tells it (or they overlap: `problem`).
std::optional<std::vector<std::size_t>> order(const std::vector<PieceOrder>& pieces, bool stream, JoinProblem& problem)
{
    std::vector<std::size_t> out(pieces.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = i;
    // a stream: its start first, its end last; two starts or two ends are two runs' worth
    const auto rank = [&](std::size_t i) { return !stream ? 1 : pieces[i].started ? 0 : pieces[i].completed ? 2 : 1; };
    if (stream && (std::count_if(pieces.begin(), pieces.end(), [](const PieceOrder& p) { return p.started; }) > 1 ||
                   std::count_if(pieces.begin(), pieces.end(), [](const PieceOrder& p) { return p.completed; }) > 1)) {
        problem = JoinProblem::Overlap;
        return std::nullopt;
    }
    // within a rank: by step index when every piece there has one, else by time when every one has it
    std::map<int, std::vector<std::size_t>> byRank;
    for (std::size_t i = 0; i < pieces.size(); ++i)
        byRank[rank(i)].push_back(i);
    std::map<int, bool> bySteps;
    for (const auto& [r, members] : byRank) {
        const bool steps = std::all_of(members.begin(), members.end(), [&](std::size_t i) { return pieces[i].firstStep != kNoNumber; });
        const bool times = std::all_of(members.begin(), members.end(), [&](std::size_t i) { return pieces[i].first != kNoTime; });
        if (members.size() > 1 && !(stream && steps) && !times) {
            problem = JoinProblem::OrderUnknown;
            return std::nullopt;
        }
        bySteps[r] = stream && steps;
    }
    const auto key = [&](std::size_t i) {
        const int r = rank(i);
        return std::make_tuple(r, bySteps[r] ? pieces[i].firstStep : pieces[i].first, pieces[i].last);
    };
    std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    for (std::size_t k = 1; k < out.size(); ++k) {
        const PieceOrder& before = pieces[out[k - 1]];
        const PieceOrder& after = pieces[out[k]];
        if (key(out[k - 1]) == key(out[k]) ||
            (before.last != kNoTime && after.first != kNoTime && after.first < before.last)) {
            // the same place in the order, or written at the same time: not one piece after the other
            problem = key(out[k - 1]) == key(out[k]) ? JoinProblem::OrderUnknown : JoinProblem::Overlap;
            return std::nullopt;
        }
    }
    return out;
}

} // namespace

std::string recordBytes(std::string_view fileBytes, const std::vector<RecordRange>& records)
{
    std::string out;
    std::size_t size = 0;
    for (const RecordRange& r : records)
        size += r.length;
    out.reserve(size);
    for (const RecordRange& r : records)
        out.append(fileBytes.substr(r.offset, r.length));
    return out;
}

std::map<std::string, std::vector<RecordRange>> runRecords(const ReplayModel& model, const std::set<std::string>& ids)
{
    std::map<std::string, std::vector<RecordRange>> out;
    if (model.runs().empty()) {
        for (const std::string& id : ids) {
            const std::optional<std::size_t> t = model.findTrace(id);
            if (!t)
                continue;
            std::vector<RecordRange>& records = out[id];
            for (const std::uint32_t e : model.traceEvents(*t)) {
                const EventRecord& rec = model.event(e);
                records.push_back({rec.offset, rec.length, rec.line, RecordKind::Other});
            }
            std::sort(records.begin(), records.end(), [](const RecordRange& a, const RecordRange& b) { return a.offset < b.offset; });
        }
        return out;
    }
    // a run stream: its lines from the first one of any named run on, by run_id
    std::uint64_t from = UINT64_MAX;
    std::uint32_t line = 0;
    for (const RunInfo& info : model.runs())
        if (info.source == RunSource::Stream && ids.count(std::string(model.str(info.runId))) && info.offset < from) {
            from = info.offset;
            line = info.line;
        }
    if (from == UINT64_MAX)
        return out;
    const std::string_view bytes = model.bytes();
    const std::size_t maxLine = LoadLimits{}.maxLineBytes; // longer lines the importer rejects unread
    simdjson::ondemand::parser parser;
    std::string padded;
    for (std::uint64_t at = from; at < bytes.size(); ++line) {
        const void* nl = std::memchr(bytes.data() + at, '\n', bytes.size() - at);
        const std::uint64_t end = nl ? static_cast<std::uint64_t>(static_cast<const char*>(nl) - bytes.data()) : bytes.size();
        std::uint64_t stop = end;
        if (stop > at && bytes[stop - 1] == '\r')
            --stop;
        const std::string_view text = bytes.substr(at, stop - at);
        if (text.size() <= maxLine) {
            StreamHead head = streamHead(parser, padded, text);
            if (!head.runId.empty() && ids.count(head.runId))
                out[head.runId].push_back({at, static_cast<std::uint32_t>(text.size()), line, head.kind});
        }
        at = end + 1;
    }
    return out;
}

JoinResult analyzeJoinedRun(std::vector<RunPiece> pieces, const std::string& runId, const AnalysisRules& rules)
{
    JoinResult result;
    if (pieces.size() < 2 ||
        std::any_of(pieces.begin(), pieces.end(), [](const RunPiece& p) { return p.records.empty(); })) {
        result.problem = JoinProblem::NotSplittable;
        return result;
    }
    // a record in two pieces: a copy, a backup of part of the log, lines a copytruncate repeated
    std::unordered_set<std::string_view> seen;
    for (const RunPiece& piece : pieces) {
        std::size_t from = 0;
        std::unordered_set<std::string_view> own;
        for (const RecordRange& r : piece.records) {
            const std::string_view bytes(piece.data.data() + from, r.length);
            from += r.length;
            if (seen.count(bytes)) {
                result.problem = JoinProblem::Overlap;
                return result;
            }
            own.insert(bytes);
        }
        seen.insert(own.begin(), own.end());
    }
    // each piece alone: what its file counted of it, and what orders it
    std::vector<PieceOrder> orders;
    GovernanceCounts correction;
    bool stream = false;
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        Joined alone;
        alone.add(p, pieces[p]);
        const Loaded piece = load(alone.text, rules);
        if (!piece.model || piece.runs.size() != 1 || piece.runs.front().runId != runId) {
            result.problem = JoinProblem::NotOneRun;
            return result;
        }
        stream = !piece.model->runs().empty();
        subtract(correction, countGovernance(*piece.model, piece.runs));
        orders.push_back(orderOf(*piece.model, pieces[p]));
    }
    const std::optional<std::vector<std::size_t>> ordered = order(orders, stream, result.problem);
    if (!ordered)
        return result;
    Joined whole;
    for (const std::size_t p : *ordered)
        whole.add(p, pieces[p]);
    Loaded joined = load(whole.text, rules);
    if (!joined.model || joined.runs.size() != 1 || joined.runs.front().runId != runId) {
        result.problem = JoinProblem::NotOneRun;
        return result;
    }
    correction.merge(countGovernance(*joined.model, joined.runs));
    correction.dropZeroRows();

    RunAnalysis run = std::move(joined.runs.front());
    // every witness back to its file: the record it lies in, the same distance into it
    const auto placeOf = [&](std::uint64_t at) -> const Joined::Place& {
        const auto it = std::upper_bound(whole.places.begin(), whole.places.end(), at,
                                         [](std::uint64_t v, const Joined::Place& p) { return v < p.at; });
        return it == whole.places.begin() ? *it : *std::prev(it);
    };
    for (Anomaly& a : run.anomalies)
        for (Witness& w : a.witness) {
            const Joined::Place& place = placeOf(w.offset);
            const RunPiece& piece = pieces[place.piece];
            w.file = piece.file;
            w.sha256 = piece.sha256;
            w.offset = place.record.offset + (w.offset - std::min(w.offset, place.at));
            w.line = place.record.line;
        }
    const RunPiece& first = pieces[ordered->front()];
    run.file = first.file;
    run.line = first.where.line;
    run.offset = first.where.offset;
    run.length = first.where.length;
    for (const std::size_t p : *ordered) {
        RunSegment segment = pieces[p].where;
        segment.file = pieces[p].file;
        segment.sha256 = pieces[p].sha256;
        run.segments.push_back(std::move(segment));
    }
    result.joined = JoinedRun{std::move(run), std::move(correction)};
    return result;
}

} // namespace rw::analysis
