#include "app/text/watchtext.h"

#include "app/text/analysisjson.h"
#include "app/text/anomalytext.h"
#include "app/text/plural.h"
#include "app/text/terminaltext.h"
#include "model/timestamp.h"

#include <nlohmann/json.hpp>

namespace rw {

using Json = nlohmann::ordered_json;

namespace {

// "14:22:14" (UTC, seconds truncated), "--:--:--" without a time
std::string clock(const std::string& written)
{
    const std::optional<std::int64_t> us = parseTimestamp(written);
    if (!us)
        return "--:--:--";
    const std::string iso = formatTimestampUtc(*us); // YYYY-MM-DDTHH:MM:SS.ffffffZ
    return iso.substr(11, 8);
}

std::string status(const analysis::LiveStep& s)
{
    if (s.trace || s.resultStatus.empty()) {
        if (s.decision == "allowed")
            return "ALLOWED";
        if (s.decision == "blocked")
            return "BLOCKED";
        if (s.decision == "require_approval")
            return "APPROVAL";
        return s.resultStatus.empty() ? "-" : terminalText(s.resultStatus);
    }
    if (s.resultStatus == "success" || s.resultStatus == "ok")
        return "OK";
    if (s.resultStatus == "error" || s.resultStatus == "failure" || s.resultStatus == "failed")
        return "FAILED";
    return terminalText(s.resultStatus);
}

// ASCII, as every JSON output of ours: a C1 control or a bidi override in a value stays escaped on a terminal
std::string dump(const Json& j)
{
    return j.dump(-1, ' ', true, Json::error_handler_t::replace);
}

std::string upperWord(const std::string& word)
{
    std::string out = terminalText(word);
    for (char& ch : out)
        if (ch >= 'a' && ch <= 'z')
            ch = static_cast<char>(ch - 'a' + 'A');
    return out;
}

// "allowed -> blocked (rule deny-external-email)"
std::string verdictText(const PolicyVerdict& b)
{
    std::string out = terminalText(b.before.empty() ? std::string("(none)") : b.before) + " -> " + terminalText(b.after);
    if (!b.rule.empty())
        out += " (rule " + terminalText(b.rule) + ")";
    return out;
}

Json verdictJson(const PolicyVerdict& b)
{
    Json j;
    j["before"] = b.before;
    j["after"] = b.after;
    j["matched_rule"] = b.rule.empty() ? Json() : Json(b.rule);
    return j;
}

} // namespace

std::string watchingLine(const analysis::LiveRunInfo& run)
{
    return "Watching agent: " + terminalText(run.agentId.empty() ? std::string("(unknown)") : run.agentId) + " (" +
           terminalText(run.runId) + "...)";
}

std::string compactStepLine(const analysis::LiveStep& s, const PolicyVerdict* b)
{
    std::string line = clock(s.time) + " [step " + (s.stepIndex >= 0 ? std::to_string(s.stepIndex) : std::string("?")) + "]";
    for (const std::string* word : {&s.action, &s.tool})
        if (!word->empty())
            line += ' ' + terminalText(*word);
    line += ' ' + status(s);
    std::string permissions;
    for (const std::string& p : s.permissions)
        permissions += (permissions.empty() ? "" : ",") + terminalText(p);
    if (!permissions.empty())
        line += ' ' + permissions;
    if (s.escalated)
        line += " [ESCALATED]";
    for (const analysis::Anomaly& a : s.anomalies)
        if (a.severity >= analysis::Severity::Warn && a.detector != analysis::Detector::PermissionEscalation)
            line += " [" + severityLabel(a.severity).toStdString() + ' ' + analysis::detectorName(a.detector) + ']';
    if (b)
        line += " [B: " + upperWord(b->after) + ']';
    return line;
}

std::string fullStepLines(const analysis::LiveStep& s, const PolicyVerdict* b)
{
    std::string out = compactStepLine(s, b) + '\n';
    if (b)
        out += "    policy B: " + verdictText(*b) + '\n';
    if (!s.reasoning.empty())
        out += "    reasoning: " + terminalText(s.reasoning) + '\n';
    for (const analysis::Anomaly& a : s.anomalies) {
        out += "    [" + severityLabel(a.severity).toStdString() + "] ";
        if (a.stepIndex >= 0)
            out += "Step " + std::to_string(a.stepIndex) + ": ";
        out += anomalyMessage(a).toStdString() + '\n'; // worded in its visible form already
    }
    out.pop_back();
    return out;
}

std::string jsonStepLines(const analysis::LiveStep& s, const PolicyVerdict* b)
{
    Json j;
    j["type"] = "step";
    j[s.trace ? "trace_id" : "run_id"] = s.runId;
    j["step_index"] = s.stepIndex;
    j["agent_id"] = s.agentId;
    j["file"] = s.file;
    j["line"] = s.line;
    j["offset"] = s.offset;
    j["time"] = s.time.empty() ? Json() : Json(s.time);
    j["action"] = s.action;
    j["tool"] = s.tool;
    j["status"] = s.trace ? s.decision : s.resultStatus;
    j["permissions"] = s.permissions;
    j["escalated"] = s.escalated;
    if (b)
        j["policy_b"] = verdictJson(*b);
    std::string out = dump(j) + '\n';
    for (const analysis::Anomaly& a : s.anomalies) {
        Json record;
        record["type"] = "anomaly";
        record["anomaly"] = anomalyJson(a);
        out += dump(record) + '\n';
    }
    out.pop_back();
    return out;
}

std::string lateAnomalyLines(const analysis::LiveRunInfo& run, const std::vector<analysis::Anomaly>& anomalies)
{
    std::string out;
    for (const analysis::Anomaly& a : anomalies) {
        out += "At the end of " + terminalText(run.runId) + ": [" + severityLabel(a.severity).toStdString() + "] ";
        if (a.stepIndex >= 0)
            out += "Step " + std::to_string(a.stepIndex) + ": ";
        out += anomalyMessage(a).toStdString() + '\n';
    }
    if (!out.empty())
        out.pop_back();
    return out;
}

std::string jsonLateAnomalyLines(const analysis::LiveRunInfo& run, const std::vector<analysis::Anomaly>& anomalies)
{
    std::string out;
    for (const analysis::Anomaly& a : anomalies) {
        Json record;
        record["type"] = "anomaly";
        record["at"] = "run_end";
        record[run.trace ? "trace_id" : "run_id"] = run.runId;
        record["anomaly"] = anomalyJson(a);
        out += dump(record) + '\n';
    }
    if (!out.empty())
        out.pop_back();
    return out;
}

std::string jsonRunLine(const char* type, const analysis::LiveRunInfo& run, const analysis::RunAnalysis* result)
{
    Json j;
    j["type"] = type;
    j[run.trace ? "trace_id" : "run_id"] = run.runId;
    j["agent_id"] = run.agentId;
    j["file"] = run.file;
    if (result) {
        j["status"] = result->status;
        j["steps"] = result->steps;
        j["worst"] = result->anomalies.empty() ? Json() : Json(analysis::severityName(result->worst()));
        j["anomalies"] = result->anomalies.size();
    }
    return dump(j);
}

std::string jsonRejectedLine(const std::string& file, const Diagnostic& d)
{
    Json j;
    j["type"] = "rejected";
    j["file"] = file;
    j["line"] = d.line;
    j["offset"] = d.offset;
    j["code"] = diagnosticCodeName(d.code);
    j["detail"] = d.detail;
    return dump(j);
}

std::string jsonNoteLine(const FollowNote& note)
{
    Json j;
    j["type"] = "source";
    j["finding"] = followFindingName(note.finding);
    j["file"] = note.path;
    j["offset"] = note.offset;
    j["at_ms"] = note.atMs;
    j["detail"] = note.detail;
    return dump(j);
}

std::string followNoteText(const FollowNote& note)
{
    const std::string file = terminalText(note.path);
    const std::string detail = note.detail.empty() ? std::string() : ": " + terminalText(note.detail);
    switch (note.finding) {
    case FollowFinding::Opened: return "Note: following " + file + detail;
    case FollowFinding::Waiting: return "Note: waiting for " + file + " to appear" + detail;
    case FollowFinding::Rotated: return "Note: " + file + " was rotated at byte " + std::to_string(note.offset) + detail;
    case FollowFinding::Truncated:
        return "Warning: " + file + " was truncated at byte " + std::to_string(note.offset) + detail;
    case FollowFinding::Removed: return "Warning: " + file + " was removed (still reading what is open)" + detail;
    case FollowFinding::IncompleteLine:
        return "Warning: " + file + ": incomplete line at byte " + std::to_string(note.offset) + detail;
    case FollowFinding::LineTooLong: return "Warning: " + file + ": skipped a line" + detail;
    case FollowFinding::ReadError: return "Warning: " + file + ": read error" + detail;
    case FollowFinding::Switched: return "Note: following " + file + ", the newest file of its folder" + detail;
    case FollowFinding::Ended: return "Note: " + file + " ended" + detail;
    }
    return "Note: " + file + detail;
}

std::string policyVerdictLine(const PolicyVerdict& b)
{
    std::string line = clock(b.time) + " [trace " + terminalText(b.traceId) + "]";
    if (!b.tool.empty())
        line += ' ' + terminalText(b.tool);
    return line + ' ' + verdictText(b) + " under B";
}

std::string jsonPolicyVerdictLine(const PolicyVerdict& b)
{
    Json j;
    j["type"] = "policy_b";
    j["trace_id"] = b.traceId;
    j["agent_id"] = b.agentId;
    j["file"] = b.file;
    j["line"] = b.line;
    j["offset"] = b.offset;
    j["time"] = b.time.empty() ? Json() : Json(b.time);
    j["tool"] = b.tool;
    j["policy_b"] = verdictJson(b);
    return dump(j);
}

std::string policyWatchTotalsLine(const std::string& bundle, const PolicyWatchTotals& t)
{
    std::string out = "Policy B (" + terminalText(bundle) + "): " + std::to_string(t.changed) + " of " +
                      counted(t.points, "decision", "decisions").toStdString() + " decided otherwise";
    std::string flips;
    for (const auto& [flip, n] : t.flips)
        flips += (flips.empty() ? "" : ", ") + terminalText(flip) + ' ' + std::to_string(n);
    if (!flips.empty())
        out += " (" + flips + ")";
    if (t.notReplayable)
        out += "; " + std::to_string(t.notReplayable) + " not replayable (the log lacks what B needs)";
    return out;
}

std::string jsonEventLine(const analysis::LiveEvent& e)
{
    const auto orNull = [](const std::string& s) { return s.empty() ? Json() : Json(s); };
    Json j;
    j["type"] = "event";
    j["event_id"] = orNull(e.eventId);
    j["trace_id"] = e.traceId;
    j["agent_id"] = e.agentId;
    j["file"] = e.file;
    j["line"] = e.line;
    j["offset"] = e.offset;
    j["time"] = orNull(e.time);
    j["event_type"] = orNull(e.eventType);
    j["stage"] = orNull(e.stage);
    j["decision"] = orNull(e.decision);
    j["tool_name"] = orNull(e.tool);
    return dump(j);
}

} // namespace rw
