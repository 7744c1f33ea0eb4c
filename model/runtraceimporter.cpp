#include "model/runtraceimporter.h"

#include "model/jsonscan.h"
#include "model/lineparser.h"
#include "model/runstepwriter.h"
#include "model/sourcefile.h"
#include "model/timestamp.h"

#include "model/simdjsonutil.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace rw {

namespace od = simdjson::ondemand;

namespace {


// Everything one run document says, before its steps become events.
struct RunDoc : runjson::RunFields
{
    std::vector<std::string_view> steps; // raw JSON of each step (points into the file)
    bool hasSteps = false;     // a `steps` list
    bool hasStepsKey = false;  // `steps`, list or not
    bool hasEventType = false; // an interceptor event, not a run
};


class Importer
{
public:
    Importer(std::string_view file, const LoadLimits& limits, ChunkResult& out)
        : m_file(file), m_limits(limits), m_out(out), m_parser(limits.maxRunDocumentBytes + 64),
          m_writer(out, limits.maxRunDocumentBytes)
    {
    }

    // one line of a JSONL file: every record and finding gets this line
    void importLine(std::size_t begin, std::size_t end, std::uint64_t line)
    {
        m_fixedLine = line;
        importDocumentSpan(begin, end, false);
        m_fixedLine = 0;
    }

    void runDocuments()
    {
        std::size_t pos = skipJsonSpace(m_file, skipUtf8Bom(m_file));
        m_out.lines = static_cast<std::uint64_t>(std::count(m_file.begin(), m_file.end(), '\n')) +
                      (!m_file.empty() && m_file.back() != '\n' ? 1 : 0);
        while (pos < m_file.size()) {
            const char c = m_file[pos];
            if (c != '{' && c != '[') {
                // not a document: say where, then resume at the next line that opens one
                std::size_t next = pos;
                do {
                    const void* nl = std::memchr(m_file.data() + next, '\n', m_file.size() - next);
                    next = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - m_file.data()) + 1
                              : m_file.size();
                    next = skipJsonSpace(m_file, next);
                } while (next < m_file.size() && m_file[next] != '{' && m_file[next] != '[');
                report(pos, DiagnosticCode::InvalidJson,
                       std::to_string(next - pos) + " bytes that are not a JSON document");
                pos = next;
                continue;
            }
            const std::size_t end = jsonValueEnd(m_file, pos);
            if (end == std::string_view::npos) {
                report(pos, DiagnosticCode::IncompleteLastLine,
                       "the document is not closed before the end of the file");
                return;
            }
            importDocumentSpan(pos, end, c == '[');
            ++m_documents;
            pos = skipJsonSpace(m_file, end);
        }
    }

    std::size_t documents() const { return m_documents; }

private:
    std::uint64_t lineOf(std::size_t offset)
    {
        if (m_fixedLine)
            return m_fixedLine;
        // count lines incrementally: offsets arrive in increasing order
        if (offset < m_lineCursor) {
            m_lineCursor = 0;
            m_lineAtCursor = 1;
        }
        m_lineAtCursor += static_cast<std::uint64_t>(
            std::count(m_file.data() + m_lineCursor, m_file.data() + offset, '\n'));
        m_lineCursor = offset;
        return m_lineAtCursor;
    }

    void report(std::size_t offset, DiagnosticCode code, std::string detail, std::int64_t record = -1)
    {
        m_out.addDiagnostic(lineOf(offset), offset, code, std::move(detail), record);
    }

    void importDocumentSpan(std::size_t begin, std::size_t end, bool isArray)
    {
        const std::string_view text = m_file.substr(begin, end - begin);
        if (text.size() > m_limits.maxRunDocumentBytes) {
            report(begin, DiagnosticCode::LineTooLong, std::to_string(text.size()) + " bytes");
            return;
        }
        od::document doc;
        std::vector<RunDoc> runs;
        auto err = m_parser.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING).get(doc);
        if (!err) {
            if (isArray) {
                od::array arr;
                err = doc.get_array().get(arr);
                if (!err) {
                    for (auto element : arr) {
                        od::value v;
                        if ((err = element.get(v)))
                            break;
                        if ((err = readRun(v, runs)))
                            break;
                    }
                }
            } else {
                od::value v;
                err = doc.get_value().get(v);
                if (!err)
                    err = readRun(v, runs);
            }
            if (!err && !sj::atEnd(doc))
                err = simdjson::TRAILING_CONTENT;
        }
        if (err) {
            const bool lastLine = end == m_file.size() && (m_file.empty() || m_file.back() != '\n');
            report(begin, lastLine && !isArray ? DiagnosticCode::IncompleteLastLine : DiagnosticCode::InvalidJson,
                   simdjson::error_message(err) + (runs.empty() ? std::string()
                                                                : "; the " + std::to_string(runs.size()) +
                                                                      " run(s) read before it are kept"));
        }
        for (const RunDoc& run : runs) {
            if (run.hasSteps) {
                emitRun(run);
            } else if (run.hasEventType && !isArray && m_fixedLine == 0) {
                importEventDocument(begin, end);
            } else if (!run.hasStepsKey) { // a `steps` that is no list was reported already
                report(run.offset, DiagnosticCode::RunTraceInvalid,
                       run.hasEventType ? "an interceptor event inside a list of runs"
                                        : "not a run document: no list of steps");
            }
        }
    }

    // an interceptor event written as a (pretty-printed) document
    void importEventDocument(std::size_t begin, std::size_t end)
    {
        if (!m_eventParser)
            m_eventParser = std::make_unique<LineParser>(m_out, m_limits);
        const auto recordIndex = static_cast<std::int64_t>(m_out.events.size());
        EventRecord& rec = m_out.events.emplace_back();
        rec.offset = begin;
        rec.length = static_cast<std::uint32_t>(std::min<std::size_t>(end - begin, UINT32_MAX));
        rec.line = static_cast<std::uint32_t>(lineOf(begin));
        std::string detail;
        const LineParser::Status status =
            m_eventParser->parse(m_file.substr(begin, end - begin), rec.line, begin, rec, recordIndex, detail);
        if (status != LineParser::Status::Ok) {
            rec.flags = EventFlag::Rejected;
            report(begin, DiagnosticCode::InvalidJson, detail, recordIndex);
            return;
        }
        report(begin, DiagnosticCode::MixedFormat, "an interceptor event among run documents", recordIndex);
    }

    simdjson::error_code readRun(od::value v, std::vector<RunDoc>& runs)
    {
        std::size_t location = 0;
        if (const char* at = nullptr; !v.current_location().get(at))
            location = static_cast<std::size_t>(at - m_file.data());
        od::object obj;
        if (auto err = v.get_object().get(obj))
            return err;
        RunDoc run;
        run.offset = location;
        for (auto field : obj) {
            std::string_view key;
            if (auto err = field.unescaped_key().get(key))
                return err;
            const std::string k(key);
            od::value value;
            if (auto err = field.value().get(value))
                return err;
            simdjson::error_code fieldError = simdjson::SUCCESS;
            if (runjson::readRunField(k, value, run, fieldError)) {
                if (fieldError)
                    return fieldError;
            } else if (k == "event_type") {
                run.hasEventType = true;
            } else if (k == "steps") {
                run.hasStepsKey = true;
                od::array arr;
                if (value.get_array().get(arr)) {
                    // kept as a run without steps, with a finding: never lose the rest
                    report(run.offset, DiagnosticCode::RunTraceInvalid, "`steps` is not a list");
                    continue;
                }
                run.hasSteps = true;
                std::size_t n = 0;
                for (auto element : arr) {
                    ++n;
                    od::object step;
                    if (element.get_object().get(step)) {
                        // one bad step costs that step only
                        report(run.offset, DiagnosticCode::RunTraceInvalid,
                               "step " + std::to_string(n) + " is not an object; skipped");
                        continue;
                    }
                    std::string_view raw;
                    if (auto err = step.raw_json().get(raw))
                        return err;
                    run.steps.push_back(raw);
                }
            }
        }
        if (run.runId.empty() && !run.steps.empty())
            report(static_cast<std::size_t>(run.steps.front().data() - m_file.data()),
                   DiagnosticCode::RunTraceInvalid, "run without run_id");
        runs.push_back(std::move(run));
        return simdjson::SUCCESS;
    }

    StrId copyStr(std::string_view s) { return m_writer.copyStr(s); }

    void emitRun(const RunDoc& run)
    {
        const StrId trace = run.runId.empty() ? kNoStr : copyStr(run.runId);
        const StrId agentId = run.agentId.empty() ? kNoStr : copyStr(run.agentId);
        const StrId agentName = !run.agentName.empty() ? copyStr(run.agentName) : agentId;
        const auto runIndex = static_cast<std::uint32_t>(m_out.runs.size());
        RunInfo& info = m_out.runs.emplace_back();
        info.runId = trace;
        info.agentId = agentId;
        info.offset = run.offset;
        info.line = static_cast<std::uint32_t>(lineOf(run.offset));
        m_writer.fillRun(info, run);
        std::int64_t position = 0;
        std::vector<std::size_t> stepPositions;
        stepPositions.reserve(run.steps.size());
        for (std::string_view raw : run.steps) {
            stepPositions.push_back(m_out.runSteps.size());
            const auto offset = static_cast<std::size_t>(raw.data() - m_file.data());
            m_writer.addStep({raw, offset, static_cast<std::uint32_t>(lineOf(offset)), runIndex, position++}, run.runId,
                             run.denied, run.escalated, agentId, agentName);
        }
        m_writer.checkRun(m_out.runs[runIndex], stepPositions);
    }

    std::string_view m_file;
    const LoadLimits& m_limits;
    ChunkResult& m_out;
    od::parser m_parser;
    RunStepWriter m_writer;
    std::size_t m_lineCursor = 0;
    std::uint64_t m_lineAtCursor = 1;
    std::uint64_t m_fixedLine = 0; // JSONL: the line of the document
    std::size_t m_documents = 0;
    std::unique_ptr<LineParser> m_eventParser;
};

} // namespace

bool RunTraceImporter::isDocumentLayout(std::string_view file)
{
    const std::size_t start = skipJsonSpace(file, skipUtf8Bom(file));
    if (start >= file.size())
        return false;
    if (file[start] == '[')
        return true;
    if (file[start] != '{')
        return false;
    const void* nl = std::memchr(file.data() + start, '\n', file.size() - start);
    if (!nl)
        return false; // one line: JSONL
    const auto lineEnd = static_cast<std::size_t>(static_cast<const char*>(nl) - file.data());
    const std::size_t end = jsonValueEnd(file, start);
    // a value closed on its first line is a JSONL record; one that spans lines is a document
    if (end == std::string_view::npos || end <= lineEnd)
        return false;
    // ...if it is valid JSON: a damaged first line of a JSONL log, whose brackets
    // happen to close lines later, must not turn the log into one bad document
    simdjson::dom::parser validator;
    simdjson::dom::element root;
    return !validator.parse(file.data() + start, end - start, true).get(root);
}

struct RunTraceImporter::Impl
{
    Impl(std::string_view file, const LoadLimits& limits, ChunkResult& out) : importer(file, limits, out) {}
    Importer importer;
};

RunTraceImporter::RunTraceImporter(std::string_view file, const LoadLimits& limits, ChunkResult& out)
    : d(std::make_unique<Impl>(file, limits, out))
{
}

RunTraceImporter::~RunTraceImporter() = default;

void RunTraceImporter::importLine(std::size_t begin, std::size_t end, std::uint64_t line)
{
    d->importer.importLine(begin, end, line);
}

void RunTraceImporter::importDocuments(std::string_view file, const LoadLimits& limits, ChunkResult& out)
{
    out.bytes = file.size();
    Importer importer(file, limits, out);
    importer.runDocuments();
}

} // namespace rw
