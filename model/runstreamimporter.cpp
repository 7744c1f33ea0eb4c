#include "model/runstreamimporter.h"

#include "model/jsonscan.h"
#include "model/runstepwriter.h"

#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace rw {

namespace od = simdjson::ondemand;

namespace {

enum class StreamEvent : std::uint8_t { None, RunStarted, Step, RunCompleted };

StreamEvent streamEventOf(std::string_view name)
{
    if (name == "run_started")
        return StreamEvent::RunStarted;
    if (name == "step")
        return StreamEvent::Step;
    if (name == "run_completed")
        return StreamEvent::RunCompleted;
    return StreamEvent::None;
}

// The top-level keys of one stream line that decide what it is.
struct LineHead
{
    std::string event; // as written, for the finding when it is unknown
    bool hasEvent = false;
    bool hasEventType = false;
    runjson::RunFields run;
};

simdjson::error_code readHead(od::parser& parser, std::string_view text, LineHead& head)
{
    od::document doc;
    // the line lies inside the padded file, so the bytes after it are readable
    if (auto err = parser.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING).get(doc))
        return err;
    od::object obj;
    if (auto err = doc.get_object().get(obj))
        return err;
    for (auto field : obj) {
        std::string_view key;
        od::value value;
        if (auto err = field.unescaped_key().get(key))
            return err;
        if (auto err = field.value().get(value))
            return err;
        simdjson::error_code err = simdjson::SUCCESS;
        if (key == "event") {
            head.hasEvent = runjson::readString(value, head.event);
        } else if (key == "event_type") {
            head.hasEventType = true;
        } else if (runjson::readRunField(key, value, head.run, err) && err) {
            return err;
        }
    }
    return sj::atEnd(doc) ? simdjson::SUCCESS : simdjson::TRAILING_CONTENT;
}

// A run being assembled from its events.
struct PendingRun
{
    runjson::RunFields fields;
    bool completed = false;
    std::int64_t steps = 0; // seen so far: names steps without step_index
};

class StreamImporter
{
public:
    StreamImporter(std::string_view file, const LoadLimits& limits, ChunkResult& out)
        : m_file(file), m_limits(limits), m_out(out), m_parser(limits.maxLineBytes + 64),
          m_writer(out, limits.maxLineBytes)
    {
    }

    void run()
    {
        m_out.bytes = m_file.size();
        std::size_t pos = skipUtf8Bom(m_file);
        std::uint64_t line = 0;
        while (pos < m_file.size()) {
            ++line;
            const void* nl = std::memchr(m_file.data() + pos, '\n', m_file.size() - pos);
            const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - m_file.data())
                                       : m_file.size();
            std::string_view text = m_file.substr(pos, end - pos);
            if (!text.empty() && text.back() == '\r') {
                text.remove_suffix(1);
                ++m_out.crlfLines;
            }
            if (skipJsonSpace(text, 0) == text.size())
                ++m_out.blankLines;
            else
                importLine(text, pos, line, nl == nullptr);
            pos = end + 1;
        }
        m_out.lines = line;
        finish();
    }

private:
    void reject(std::string_view text, std::size_t offset, std::uint64_t line, DiagnosticCode code,
                std::string detail)
    {
        const auto recordIndex = static_cast<std::int64_t>(m_out.events.size());
        EventRecord& rec = m_out.events.emplace_back();
        rec.offset = offset;
        rec.length = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), UINT32_MAX));
        rec.line = static_cast<std::uint32_t>(line);
        rec.format = Format::RunTrace;
        rec.flags = EventFlag::Rejected;
        m_out.addDiagnostic(line, offset, code, std::move(detail), recordIndex);
    }

    void importLine(std::string_view text, std::size_t offset, std::uint64_t line, bool last)
    {
        if (text.size() > m_limits.maxLineBytes) {
            reject(text, offset, line, DiagnosticCode::LineTooLong, std::to_string(text.size()) + " bytes");
            return;
        }
        LineHead head;
        if (auto err = readHead(m_parser, text, head)) {
            // a writer still appending leaves a cut-off last line. On demand
            // reports "####" and "[1]" alike as no object: valid JSON tells them
            // apart (bad lines only, so the second parse costs nothing in bulk)
            simdjson::dom::element root;
            const bool valid = err == simdjson::INCORRECT_TYPE && !m_validator.parse(text.data(), text.size()).get(root);
            reject(text, offset, line,
                   last    ? DiagnosticCode::IncompleteLastLine
                   : valid ? DiagnosticCode::NotAnObject
                           : DiagnosticCode::InvalidJson,
                   valid ? std::string("a JSON value that is no object") : simdjson::error_message(err));
            return;
        }
        const StreamEvent kind = streamEventOf(head.event);
        if (head.hasEventType || kind == StreamEvent::None) {
            reject(text, offset, line, DiagnosticCode::RunTraceInvalid,
                   head.hasEventType ? "an interceptor event in a run stream"
                   : head.hasEvent   ? "unknown run event \"" + head.event.substr(0, 64) + "\""
                                     : "no \"event\" in a run stream line");
            return;
        }
        if (head.run.runId.empty()) {
            reject(text, offset, line, DiagnosticCode::RunTraceInvalid, head.event + " without run_id");
            return;
        }
        const std::uint32_t runIndex = runOf(head.run.runId, offset, line);
        PendingRun& pending = m_pending[runIndex];
        merge(pending.fields, head.run, kind);
        if (kind == StreamEvent::RunCompleted)
            pending.completed = true;
        else if (kind == StreamEvent::Step)
            emitStep(text, offset, line, runIndex, pending);
    }

    // the run's first event places it; run_started moves it to itself
    std::uint32_t runOf(const std::string& runId, std::size_t offset, std::uint64_t line)
    {
        const auto [it, added] = m_runIndex.try_emplace(runId, static_cast<std::uint32_t>(m_out.runs.size()));
        if (added) {
            RunInfo& info = m_out.runs.emplace_back();
            info.source = RunSource::Stream;
            info.runId = m_writer.copyStr(runId);
            info.offset = offset;
            info.line = static_cast<std::uint32_t>(line);
            m_pending.emplace_back().fields.runId = runId;
        }
        return it->second;
    }

    static void merge(runjson::RunFields& into, runjson::RunFields& from, StreamEvent kind)
    {
        const auto take = [](std::string& a, std::string& b) {
            if (!b.empty())
                a = std::move(b);
        };
        take(into.agentId, from.agentId);
        take(into.agentName, from.agentName);
        if (kind == StreamEvent::Step)
            return; // a step's other keys are its own, not the run's
        take(into.trigger, from.trigger);
        take(into.status, from.status);
        take(into.policyVersion, from.policyVersion);
        take(into.startedAt, from.startedAt);
        take(into.completedAt, from.completedAt);
        if (from.hasSummary) {
            into.hasSummary = true;
            into.granted = std::move(from.granted);
            into.denied = std::move(from.denied);
            into.escalated = std::move(from.escalated);
        }
    }

    void emitStep(std::string_view text, std::size_t offset, std::uint64_t line, std::uint32_t runIndex,
                  PendingRun& pending)
    {
        // permissions_summary comes with run_completed: denied / escalated are applied in finish()
        static const std::vector<runjson::PermissionEntry> kNone;
        m_writer.addStep({text, offset, static_cast<std::uint32_t>(line), runIndex, pending.steps++}, pending.fields.runId, kNone,
                         kNone);
    }

    void finish()
    {
        for (std::size_t r = 0; r < m_out.runs.size(); ++r) {
            PendingRun& pending = m_pending[r];
            if (!pending.completed && pending.fields.status.empty())
                pending.fields.status = "running";
            RunInfo& info = m_out.runs[r];
            if (!pending.fields.agentId.empty())
                info.agentId = m_writer.copyStr(pending.fields.agentId);
            m_writer.fillRun(info, pending.fields);
        }
        std::vector<std::vector<std::size_t>> stepsOfRun(m_out.runs.size());
        for (std::size_t k = 0; k < m_out.runSteps.size(); ++k)
            stepsOfRun[m_out.runSteps[k].run].push_back(k);
        for (std::size_t r = 0; r < m_out.runs.size(); ++r)
            m_writer.checkRun(m_out.runs[r], stepsOfRun[r]);
        const StrId blocked = m_out.pool.intern(decisionName(Decision::Blocked));
        for (const RunStep& step : m_out.runSteps) {
            EventRecord& rec = m_out.events[step.event];
            const RunInfo& info = m_out.runs[step.run];
            const runjson::RunFields& run = m_pending[step.run].fields;
            if (rec.s(Field::AgentId) == kNoStr) {
                rec.s(Field::AgentId) = info.agentId;
                rec.s(Field::AgentName) = info.agentId;
            }
            if (rec.has(EventFlag::Rejected))
                continue;
            for (std::uint32_t k = 0; k < rec.requestedCaps.count; ++k) {
                const std::string_view used = m_out.pool.view(m_out.lists[rec.requestedCaps.first + k]);
                const auto in = [&](const std::vector<runjson::PermissionEntry>& list) {
                    for (const runjson::PermissionEntry& e : list)
                        if (e.permission == used)
                            return true;
                    return false;
                };
                if (in(run.denied))
                    rec.s(Field::Decision) = blocked;
                if (in(run.escalated))
                    rec.flags |= EventFlag::Escalated;
            }
        }
    }

    std::string_view m_file;
    const LoadLimits& m_limits;
    ChunkResult& m_out;
    od::parser m_parser;
    simdjson::dom::parser m_validator;
    RunStepWriter m_writer;
    std::unordered_map<std::string, std::uint32_t> m_runIndex;
    std::vector<PendingRun> m_pending; // parallel to m_out.runs
};

} // namespace

bool RunStreamImporter::isStreamLayout(std::string_view file)
{
    std::size_t pos = skipUtf8Bom(file);
    while (pos < file.size()) {
        const void* nl = std::memchr(file.data() + pos, '\n', file.size() - pos);
        const std::size_t end =
            nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - file.data()) : file.size();
        const std::string_view text = file.substr(pos, end - pos);
        if (skipJsonSpace(text, 0) < text.size()) {
            if (text.size() > (1u << 20))
                return false; // a stream event is small; a huge first line is something else
            // a copy with padding: the first line alone decides, whatever follows it
            od::parser parser;
            const simdjson::padded_string padded(text);
            LineHead head;
            return !readHead(parser, padded, head) && !head.hasEventType &&
                   streamEventOf(head.event) != StreamEvent::None && !head.run.runId.empty();
        }
        pos = end + 1;
    }
    return false;
}

void RunStreamImporter::importStream(std::string_view file, const LoadLimits& limits, ChunkResult& out)
{
    StreamImporter importer(file, limits, out);
    importer.run();
}

} // namespace rw
