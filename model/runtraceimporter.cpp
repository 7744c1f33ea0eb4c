#include "model/runtraceimporter.h"

#include "model/jsonscan.h"
#include "model/lineparser.h"
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


bool mentionsDenial(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return lower.find("denied") != std::string::npos || lower.find("blocked") != std::string::npos ||
           lower.find("forbidden") != std::string::npos || lower.find("not permitted") != std::string::npos;
}

// Everything one run document says, before its steps become events.
struct RunDoc
{
    std::string runId;
    std::string agentId;
    std::string agentName;
    std::vector<std::string_view> steps; // raw JSON of each step (points into the file)
    std::vector<std::string> granted, denied, escalated;
    bool hasSteps = false;     // a `steps` list
    bool hasStepsKey = false;  // `steps`, list or not
    bool hasEventType = false; // an interceptor event, not a run
    std::size_t offset = 0;    // where the document starts in the file
};


class Importer
{
public:
    Importer(std::string_view file, const LoadLimits& limits, ChunkResult& out)
        : m_file(file), m_limits(limits), m_out(out), m_parser(limits.maxRunDocumentBytes + 64),
          m_stepParser(limits.maxRunDocumentBytes + 64)
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

    static simdjson::error_code readStrings(od::value v, std::vector<std::string>& out)
    {
        od::array arr;
        if (v.get_array().get(arr))
            return simdjson::SUCCESS; // not a list: ignored
        for (auto element : arr) {
            std::string_view s;
            if (!element.get_string().get(s))
                out.emplace_back(s);
        }
        return simdjson::SUCCESS;
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
            std::string_view s;
            if (k == "run_id" || k == "agent_id" || k == "agent_name") {
                if (!value.get_string().get(s))
                    (k == "run_id" ? run.runId : k == "agent_id" ? run.agentId : run.agentName) = std::string(s);
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
            } else if (k == "permissions_summary") {
                od::object ps;
                if (value.get_object().get(ps))
                    continue;
                for (auto pf : ps) {
                    std::string_view pk;
                    if (auto err = pf.unescaped_key().get(pk))
                        return err;
                    const std::string name(pk);
                    od::value pv;
                    if (auto err = pf.value().get(pv))
                        return err;
                    if (name == "granted")
                        readStrings(pv, run.granted);
                    else if (name == "denied")
                        readStrings(pv, run.denied);
                    else if (name == "escalated")
                        readStrings(pv, run.escalated);
                }
            }
        }
        if (run.runId.empty() && !run.steps.empty())
            report(static_cast<std::size_t>(run.steps.front().data() - m_file.data()),
                   DiagnosticCode::RunTraceInvalid, "run without run_id");
        runs.push_back(std::move(run));
        return simdjson::SUCCESS;
    }

    StrId copyStr(std::string_view s) { return m_out.pool.internCopy(s); }

    void emitRun(const RunDoc& run)
    {
        const StrId trace = run.runId.empty() ? kNoStr : copyStr(run.runId);
        const StrId agentId = run.agentId.empty() ? kNoStr : copyStr(run.agentId);
        const StrId agentName = !run.agentName.empty() ? copyStr(run.agentName) : agentId;
        std::size_t n = 0;
        for (std::string_view raw : run.steps) {
            ++n;
            const auto offset = static_cast<std::size_t>(raw.data() - m_file.data());
            const auto recordIndex = static_cast<std::int64_t>(m_out.events.size());
            EventRecord& rec = m_out.events.emplace_back();
            rec.format = Format::RunTrace;
            rec.flags = EventFlag::RunStep;
            rec.offset = offset;
            rec.length = static_cast<std::uint32_t>(raw.size());
            rec.line = static_cast<std::uint32_t>(lineOf(offset));
            rec.s(Field::TraceId) = trace;
            rec.s(Field::AgentId) = agentId;
            rec.s(Field::AgentName) = agentName;
            rec.s(Field::EventType) = m_out.pool.intern("run_step");
            rec.s(Field::DecisionStage) = m_out.pool.intern("execute");
            rec.s(Field::Framework) = m_out.pool.intern("run_trace");
            rec.s(Field::EventId) = m_out.pool.addUniqueCopy(run.runId + "#step-" + std::to_string(n));
            readStep(raw, run, rec, recordIndex);
        }
    }

    void readStep(std::string_view raw, const RunDoc& run, EventRecord& rec, std::int64_t recordIndex)
    {
        bool denied = false;
        bool escalated = false;
        bool sawTimestamp = false;
        od::document doc;
        // the step lies inside the padded file, so the bytes after it are readable
        auto err = m_stepParser.iterate(raw.data(), raw.size(), raw.size() + simdjson::SIMDJSON_PADDING).get(doc);
        od::object obj;
        if (!err)
            err = doc.get_object().get(obj);
        if (!err) {
            for (auto field : obj) {
                std::string_view key;
                if ((err = field.unescaped_key().get(key)))
                    break;
                const std::string k(key);
                od::value value;
                if ((err = field.value().get(value)))
                    break;
                std::string_view s;
                if (k == "action") {
                    if (!value.get_string().get(s))
                        rec.s(Field::PlanIntent) = copyStr(s);
                } else if (k == "reasoning") {
                    if (!value.get_string().get(s))
                        rec.s(Field::Reason) = copyStr(s);
                } else if (k == "timestamp") {
                    if (!value.get_string().get(s)) {
                        sawTimestamp = true;
                        rec.s(Field::Timestamp) = m_out.pool.addUniqueCopy(s);
                        if (auto t = parseTimestamp(s))
                            rec.timeUs = *t;
                        else
                            m_out.addDiagnostic(rec.line, rec.offset, DiagnosticCode::UnparseableTimestamp,
                                                std::string(s.substr(0, 64)), recordIndex);
                    }
                } else if (k == "tool_call") {
                    od::object call;
                    if (value.get_object().get(call))
                        continue;
                    for (auto cf : call) {
                        std::string_view ck;
                        if (cf.unescaped_key().get(ck))
                            continue;
                        if (ck == "tool") {
                            if (!cf.value().get_string().get(s))
                                rec.s(Field::ToolName) = copyStr(s);
                        } else if (ck == "parameters") {
                            od::object params;
                            std::string_view paramsJson;
                            if (!cf.value().get_object().get(params) && !params.raw_json().get(paramsJson))
                                rec.s(Field::Arguments) = m_out.pool.addUnique(paramsJson);
                        }
                    }
                } else if (k == "result") {
                    od::json_type t;
                    if (value.type().get(t))
                        continue;
                    if (t == od::json_type::string) {
                        if (!value.get_string().get(s))
                            denied = denied || mentionsDenial(s);
                    } else if (t == od::json_type::object) {
                        od::object resultObj;
                        std::string_view rawResult;
                        if (!value.get_object().get(resultObj) && !resultObj.raw_json().get(rawResult))
                            denied = denied || mentionsDenial(rawResult);
                    }
                } else if (k == "permissions_used") {
                    od::array arr;
                    if (value.get_array().get(arr))
                        continue;
                    rec.requestedCaps.first = static_cast<std::uint32_t>(m_out.lists.size());
                    for (auto element : arr) {
                        if (element.get_string().get(s))
                            continue;
                        m_out.lists.push_back(copyStr(s));
                        const auto in = [&](const std::vector<std::string>& v) {
                            return std::find(v.begin(), v.end(), s) != v.end();
                        };
                        denied = denied || in(run.denied);
                        escalated = escalated || in(run.escalated);
                    }
                    rec.requestedCaps.count =
                        static_cast<std::uint32_t>(m_out.lists.size() - rec.requestedCaps.first);
                    rec.flags |= EventFlag::HasRequestedCaps;
                }
            }
        }
        if (err) {
            m_out.addDiagnostic(rec.line, rec.offset, DiagnosticCode::RunTraceInvalid, simdjson::error_message(err),
                                recordIndex);
            rec.flags |= EventFlag::Rejected;
            return;
        }
        if (!sawTimestamp) {
            m_out.addDiagnostic(rec.line, rec.offset, DiagnosticCode::MissingTimestamp, "run step", recordIndex);
            rec.flags |= EventFlag::Rejected;
            return;
        }
        rec.s(Field::Decision) = m_out.pool.intern(decisionName(denied ? Decision::Blocked : Decision::Allowed));
        if (escalated)
            rec.flags |= EventFlag::Escalated;
        applyReadingRules(rec, m_out.pool);
    }

    std::string_view m_file;
    const LoadLimits& m_limits;
    ChunkResult& m_out;
    od::parser m_parser;
    od::parser m_stepParser;
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
