#include "replay/analysis/splitrun.h"

#include "model/auditloader.h"
#include "model/replaymodel.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

namespace rw::analysis {

namespace {

// The run_id of a run stream line, "" when the line has none (or is no JSON object).
std::string streamRunId(simdjson::ondemand::parser& parser, std::string& padded, std::string_view line)
{
    padded.assign(line);
    padded.append(simdjson::SIMDJSON_PADDING, ' ');
    simdjson::ondemand::document doc;
    if (parser.iterate(padded.data(), line.size(), padded.size()).get(doc))
        return {};
    simdjson::ondemand::object object;
    if (doc.get_object().get(object))
        return {};
    std::string_view id;
    if (object.find_field_unordered("run_id").get_string().get(id))
        return {};
    return std::string(id);
}

// A piece's records as one text, a line each, and where each record begins in it.
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

    void add(std::size_t piece, std::string_view bytes, const RecordRange& r)
    {
        places.push_back({text.size(), piece, r});
        text.append(bytes.substr(r.offset, r.length));
        text += '\n';
    }
};

// the counts of a model's runs, as the map step made them for its file
GovernanceCounts countsOf(const ReplayModel& model, const std::vector<RunAnalysis>& runs)
{
    return countGovernance(model, runs);
}

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

// the earliest time a piece records: of its events, and of its run's start
// or end (a piece of a stream may hold only run_started or run_completed)
std::int64_t earliest(const ReplayModel& model)
{
    std::int64_t first = kNoTime;
    const auto take = [&](std::int64_t t) {
        if (t != kNoTime && (first == kNoTime || t < first))
            first = t;
    };
    for (std::size_t e = 0; e < model.eventCount(); ++e)
        take(model.event(e).timeUs);
    for (const RunInfo& info : model.runs()) {
        take(info.startedUs);
        take(info.completedUs);
    }
    return first;
}

} // namespace

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
                records.push_back({rec.offset, rec.length, rec.line});
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
    simdjson::ondemand::parser parser;
    std::string padded;
    for (std::uint64_t at = from; at < bytes.size(); ++line) {
        const void* nl = std::memchr(bytes.data() + at, '\n', bytes.size() - at);
        const std::uint64_t end = nl ? static_cast<std::uint64_t>(static_cast<const char*>(nl) - bytes.data()) : bytes.size();
        std::uint64_t stop = end;
        if (stop > at && bytes[stop - 1] == '\r')
            --stop;
        const std::string_view text = bytes.substr(at, stop - at);
        if (text.size() <= UINT32_MAX) {
            const std::string id = streamRunId(parser, padded, text);
            if (!id.empty() && ids.count(id))
                out[id].push_back({at, static_cast<std::uint32_t>(text.size()), line});
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
    // each piece alone: what its file counted of it, and when it begins
    std::vector<std::string> texts;
    std::vector<std::int64_t> starts;
    GovernanceCounts correction;
    for (std::size_t p = 0; p < pieces.size(); ++p) {
        Joined alone;
        for (const RecordRange& r : pieces[p].records)
            alone.add(p, pieces[p].bytes, r);
        if (std::find(texts.begin(), texts.end(), alone.text) != texts.end()) {
            result.problem = JoinProblem::Copies;
            return result;
        }
        const Loaded piece = load(alone.text, rules);
        if (!piece.model || piece.runs.size() != 1 || piece.runs.front().runId != runId) {
            result.problem = JoinProblem::NotOneRun;
            return result;
        }
        subtract(correction, countsOf(*piece.model, piece.runs));
        starts.push_back(earliest(*piece.model));
        texts.push_back(std::move(alone.text));
    }
    // in time order: the earliest record of each piece (unknown last), then as given
    std::vector<std::size_t> order(pieces.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto key = [&](std::size_t i) { return std::make_pair(starts[i] == kNoTime, starts[i]); };
        return key(a) < key(b);
    });
    Joined whole;
    for (const std::size_t p : order)
        for (const RecordRange& r : pieces[p].records)
            whole.add(p, pieces[p].bytes, r);
    Loaded joined = load(whole.text, rules);
    if (!joined.model || joined.runs.size() != 1 || joined.runs.front().runId != runId) {
        result.problem = JoinProblem::NotOneRun;
        return result;
    }
    correction.merge(countsOf(*joined.model, joined.runs));
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
    const RunPiece& first = pieces[order.front()];
    run.file = first.file;
    run.line = first.where.line;
    run.offset = first.where.offset;
    run.length = first.where.length;
    for (const std::size_t p : order) {
        RunSegment segment = pieces[p].where;
        segment.file = pieces[p].file;
        segment.sha256 = pieces[p].sha256;
        run.segments.push_back(std::move(segment));
    }
    result.joined = JoinedRun{std::move(run), std::move(correction)};
    return result;
}

} // namespace rw::analysis
