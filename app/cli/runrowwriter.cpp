#include "app/cli/runrowwriter.h"

#include "app/text/analysistext.h"
#include "app/text/anomalytext.h"

#include <algorithm>
#include <cstdio>

namespace rw {

using namespace analysis;
using Json = nlohmann::ordered_json;

namespace {

// The code point of the valid UTF-8 sequence at s[i] (advancing i past it),
// or -1 for bytes that are not valid UTF-8 (overlong, surrogate, past U+10FFFF,
// cut short), which nlohmann replaces as its own rules say.
long utf8At(std::string_view s, std::size_t& i)
{
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    const std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (n == 0 || c > 0xf4 || i + n > s.size())
        return -1;
    long cp = c & (0x3f >> (n - 1));
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xc0) != 0x80)
            return -1;
        cp = cp << 6 | (b(i + k) & 0x3f);
    }
    static constexpr long kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    i += n - 1;
    return cp;
}

// A JSON string as nlohmann dumps it with ensure_ascii (\uXXXX in lower-case
// hex, surrogate pairs above U+FFFF): plain runs appended whole; invalid
// UTF-8 through nlohmann itself, whose replacement rules it keeps.
void str(std::string& out, std::string_view s)
{
    const std::size_t mark = out.size();
    out += '"';
    std::size_t plain = 0; // the start of the run of plain characters not yet appended
    const auto escape = [&out](long unit) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04lx", unit);
        out += buf;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            continue;
        out.append(s.data() + plain, i - plain);
        if (c >= 0x80) {
            const long cp = utf8At(s, i);
            if (cp < 0) {
                out.resize(mark);
                out += Json(std::string(s)).dump(-1, ' ', true, Json::error_handler_t::replace);
                return;
            }
            if (cp <= 0xffff) {
                escape(cp);
            } else {
                escape(0xd7c0 + (cp >> 10));
                escape(0xdc00 + (cp & 0x3ff));
            }
            plain = i + 1;
            continue;
        }
        plain = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: escape(c); // other control characters, and DEL (nlohmann escapes it too)
        }
    }
    out.append(s.data() + plain, s.size() - plain);
    out += '"';
}

void key(std::string& out, const char* k, bool first = false)
{
    if (!first)
        out += ',';
    out += '"';
    out += k;
    out += "\":";
}

void orNull(std::string& out, const std::string& s)
{
    if (s.empty())
        out += "null";
    else
        str(out, s);
}

void num(std::string& out, std::int64_t n)
{
    out += std::to_string(n);
}

void unum(std::string& out, std::uint64_t n)
{
    out += std::to_string(n);
}

void strings(std::string& out, const std::vector<std::string>& list)
{
    out += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i)
            out += ',';
        str(out, list[i]);
    }
    out += ']';
}

void numbers(std::string& out, const std::vector<std::int64_t>& list)
{
    out += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i)
            out += ',';
        num(out, list[i]);
    }
    out += ']';
}

// where a run lies in its file (and, joined from several files, each file's piece)
void location(std::string& out, std::uint64_t line, std::uint64_t offset, std::uint64_t length,
              const std::vector<RunSegment>& segments)
{
    out += "{\"line\":";
    unum(out, line);
    out += ",\"offset\":";
    unum(out, offset);
    out += ",\"length\":";
    unum(out, length);
    if (!segments.empty()) {
        out += ",\"segments\":[";
        for (std::size_t i = 0; i < segments.size(); ++i) {
            const RunSegment& s = segments[i];
            out += i ? ",{" : "{";
            key(out, "file", true);
            str(out, s.file);
            key(out, "sha256");
            str(out, s.sha256);
            out += ",\"line\":";
            unum(out, s.line);
            out += ",\"offset\":";
            unum(out, s.offset);
            out += ",\"length\":";
            unum(out, s.length);
            out += '}';
        }
        out += ']';
    }
    out += '}';
}

// the context: small, any shape, in the order the detector wrote it; the
// same bytes as nlohmann's dump (numbers other than whole ones through it)
void dumped(std::string& out, const Json& j)
{
    switch (j.type()) {
    case Json::value_t::object: {
        out += '{';
        bool first = true;
        for (const auto& [k, v] : j.items()) {
            if (!first)
                out += ',';
            first = false;
            str(out, k);
            out += ':';
            dumped(out, v);
        }
        out += '}';
        return;
    }
    case Json::value_t::array:
        out += '[';
        for (std::size_t i = 0; i < j.size(); ++i) {
            if (i)
                out += ',';
            dumped(out, j[i]);
        }
        out += ']';
        return;
    case Json::value_t::string: str(out, j.get_ref<const std::string&>()); return;
    case Json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; return;
    case Json::value_t::null: out += "null"; return;
    case Json::value_t::number_integer: out += std::to_string(j.get<std::int64_t>()); return;
    case Json::value_t::number_unsigned: out += std::to_string(j.get<std::uint64_t>()); return;
    default: out += j.dump(-1, ' ', true, Json::error_handler_t::replace);
    }
}

// steps per permission in `used` order (a permission twice in `used` is one
// key, at its first place, with its last count, as in the tree)
std::vector<std::pair<std::string, std::int64_t>> usesOf(const RunAnalysis& r)
{
    std::vector<std::pair<std::string, std::int64_t>> uses;
    for (std::size_t i = 0; i < r.used.size(); ++i) {
        const std::int64_t n = i < r.uses.size() ? r.uses[i] : 1;
        const auto it = std::find_if(uses.begin(), uses.end(), [&](const auto& u) { return u.first == r.used[i]; });
        if (it == uses.end())
            uses.emplace_back(r.used[i], n);
        else
            it->second = n;
    }
    return uses;
}

void usesObject(std::string& out, const std::vector<std::pair<std::string, std::int64_t>>& uses)
{
    out += '{';
    for (std::size_t i = 0; i < uses.size(); ++i) {
        if (i)
            out += ',';
        str(out, uses[i].first);
        out += ':';
        num(out, uses[i].second);
    }
    out += '}';
}

// the category words of each detector, made once (not a QString per anomaly)
const std::string& categoryOf(Detector d)
{
    static const std::vector<std::string> kWords = [] {
        std::vector<std::string> words;
        for (std::size_t i = 0; i < kDetectorCount; ++i)
            words.push_back(anomalyCategory(static_cast<Detector>(i)).toStdString());
        return words;
    }();
    return kWords[static_cast<std::size_t>(d)];
}

void anomaly(std::string& out, const Anomaly& a, const std::string& message)
{
    key(out, "anomaly_id", true);
    str(out, "a-" + a.fingerprint.substr(0, 12));
    key(out, "fingerprint");
    str(out, a.fingerprint);
    key(out, "detector");
    str(out, detectorName(a.detector));
    key(out, "rule_id");
    str(out, a.ruleId);
    key(out, "detector_version");
    out += '1';
    key(out, "category");
    str(out, categoryOf(a.detector));
    key(out, "severity");
    str(out, severityName(a.severity));
    key(out, "score");
    num(out, a.score);
    key(out, "run_id");
    str(out, a.runId);
    key(out, "agent_id");
    str(out, a.agentId);
    key(out, "step_index");
    if (a.stepIndex < 0)
        out += "null";
    else
        num(out, a.stepIndex);
    key(out, "time");
    orNull(out, a.time);
    key(out, "message");
    str(out, message);
    key(out, "witness");
    out += '[';
    for (std::size_t i = 0; i < a.witness.size(); ++i) {
        const Witness& w = a.witness[i];
        out += i ? ",{" : "{";
        key(out, "file", true);
        str(out, w.file);
        key(out, "sha256");
        orNull(out, w.sha256);
        key(out, "line");
        unum(out, w.line);
        key(out, "offset");
        unum(out, w.offset);
        key(out, "length");
        unum(out, w.length);
        key(out, "pointer");
        str(out, w.pointer);
        key(out, "value");
        str(out, w.value);
        out += '}';
    }
    out += ']';
    key(out, "context");
    dumped(out, a.context);
}

} // namespace

void appendRunRow(std::string& out, const RunAnalysis& r, std::vector<std::string>* messages)
{
    out += '{';
    key(out, "run_id", true);
    str(out, r.runId);
    key(out, "agent_id");
    str(out, r.agentId);
    key(out, "file");
    str(out, r.file);
    key(out, "status");
    str(out, r.status);
    key(out, "started_at");
    orNull(out, r.startedAt);
    key(out, "duration_ms");
    num(out, r.durationMs);
    key(out, "steps");
    num(out, r.steps);
    key(out, "baseline");
    strings(out, r.baseline);
    key(out, "baseline_source");
    str(out, baselineSourceName(r.baselineSource));
    key(out, "granted");
    strings(out, r.granted);
    key(out, "used");
    strings(out, r.used);
    key(out, "uses");
    usesObject(out, usesOf(r));
    key(out, "escalated");
    strings(out, r.escalated);
    key(out, "location");
    location(out, r.line, r.offset, r.length, r.segments);
    key(out, "worst");
    if (r.anomalies.empty())
        out += "null";
    else
        str(out, severityName(r.worst()));
    key(out, "clean");
    out += r.clean() ? "true" : "false";
    key(out, "anomalies");
    out += '[';
    for (std::size_t i = 0; i < r.anomalies.size(); ++i) {
        out += i ? ",{" : "{";
        std::string message = anomalyMessage(r.anomalies[i]).toStdString();
        anomaly(out, r.anomalies[i], message);
        if (messages)
            messages->push_back(std::move(message));
        out += '}';
    }
    out += ']';
    key(out, "policy_checks");
    out += '[';
    for (std::size_t i = 0; i < r.checks.size(); ++i) {
        const PolicyCheckResult& c = r.checks[i];
        out += i ? ",{" : "{";
        key(out, "policy", true);
        str(out, c.policy);
        key(out, "check");
        str(out, c.check);
        key(out, "title");
        str(out, c.title);
        key(out, "result");
        str(out, checkResultName(c.result));
        key(out, "steps");
        numbers(out, c.steps);
        out += '}';
    }
    out += ']';
    key(out, "notes");
    out += '[';
    for (std::size_t i = 0; i < r.notes.size(); ++i) {
        const AnalysisNote& n = r.notes[i];
        out += i ? ",{" : "{";
        key(out, "code", true);
        str(out, noteCodeName(n.code));
        key(out, "detector");
        str(out, detectorName(n.detector));
        if (n.code == AnalysisNote::Code::InsufficientBaseline) {
            key(out, "runs");
            num(out, n.runs);
        }
        if (n.code != AnalysisNote::Code::NoBaseline) {
            key(out, "needed");
            num(out, n.needed);
        }
        key(out, "message");
        str(out, noteText(n).toStdString());
        out += '}';
    }
    out += "]}";
}

RunFacts runFactsOf(const RunAnalysis& r, std::vector<std::string> messages)
{
    RunFacts f;
    f.runId = r.runId;
    f.agentId = r.agentId;
    f.file = r.file;
    f.startedAt = r.startedAt;
    f.worst = r.anomalies.empty() ? std::string() : severityName(r.worst());
    f.clean = r.clean();
    f.baseline = r.baseline;
    f.granted = r.granted;
    f.used = r.used;
    f.uses = usesOf(r);
    f.escalated = r.escalated;
    f.line = r.line;
    f.offset = r.offset;
    f.length = r.length;
    f.segments = r.segments;
    f.form = r.form == RunForm::Stream ? "stream" : r.form == RunForm::Trace ? "trace" : "document";
    f.anomalies.reserve(r.anomalies.size());
    for (std::size_t i = 0; i < r.anomalies.size(); ++i) {
        const Anomaly& a = r.anomalies[i];
        f.anomalies.push_back({"a-" + a.fingerprint.substr(0, 12), a.fingerprint, detectorName(a.detector), a.ruleId,
                               severityName(a.severity),
                               i < messages.size() ? std::move(messages[i]) : anomalyMessage(a).toStdString()});
    }
    for (const PolicyCheckResult& c : r.checks)
        f.checks.push_back({c.policy, c.check, checkResultName(c.result), c.steps});
    return f;
}

void appendRunFacts(std::string& out, const RunFacts& f)
{
    out += '{';
    key(out, "run_id", true);
    str(out, f.runId);
    key(out, "agent_id");
    str(out, f.agentId);
    key(out, "file");
    str(out, f.file);
    key(out, "form");
    str(out, f.form);
    key(out, "started_at");
    orNull(out, f.startedAt);
    key(out, "worst");
    orNull(out, f.worst);
    key(out, "clean");
    out += f.clean ? "true" : "false";
    key(out, "baseline");
    strings(out, f.baseline);
    key(out, "granted");
    strings(out, f.granted);
    key(out, "used");
    strings(out, f.used);
    key(out, "uses");
    usesObject(out, f.uses);
    key(out, "escalated");
    strings(out, f.escalated);
    key(out, "location");
    location(out, f.line, f.offset, f.length, f.segments);
    key(out, "anomalies");
    out += '[';
    for (std::size_t i = 0; i < f.anomalies.size(); ++i) {
        const AnomalyFacts& a = f.anomalies[i];
        out += i ? ",{" : "{";
        key(out, "anomaly_id", true);
        str(out, a.anomalyId);
        key(out, "fingerprint");
        str(out, a.fingerprint);
        key(out, "detector");
        str(out, a.detector);
        key(out, "rule_id");
        str(out, a.ruleId);
        key(out, "severity");
        str(out, a.severity);
        key(out, "message");
        str(out, a.message);
        out += '}';
    }
    out += ']';
    key(out, "policy_checks");
    out += '[';
    for (std::size_t i = 0; i < f.checks.size(); ++i) {
        const CheckFacts& c = f.checks[i];
        out += i ? ",{" : "{";
        key(out, "policy", true);
        str(out, c.policy);
        key(out, "check");
        str(out, c.check);
        key(out, "result");
        str(out, c.result);
        key(out, "steps");
        numbers(out, c.steps);
        out += '}';
    }
    out += "]}";
}

} // namespace rw
