#include "model/runstepwriter.h"

#include "model/lineparser.h"
#include "model/timestamp.h"

#include <algorithm>
#include <unordered_set>

namespace rw {

namespace od = simdjson::ondemand;

namespace {

bool listed(const std::vector<runjson::PermissionEntry>& list, std::string_view permission)
{
    return std::any_of(list.begin(), list.end(),
                       [&](const runjson::PermissionEntry& e) { return e.permission == permission; });
}

} // namespace

RunStepWriter::RunStepWriter(ChunkResult& out, std::size_t maxDocumentBytes)
    : m_out(out), m_stepParser(maxDocumentBytes + 64)
{
}

// the run-level fields of a document (or of a stream's run events)
void RunStepWriter::fillRun(RunInfo& info, const runjson::RunFields& run)
{
    const auto text = [this](const std::string& s) { return s.empty() ? kNoStr : copyStr(s); };
    if (!run.trigger.empty())
        info.trigger = text(run.trigger);
    if (!run.status.empty())
        info.status = text(run.status);
    if (!run.policyVersion.empty())
        info.policyVersion = text(run.policyVersion);
    const auto time = [&](const std::string& s, StrId& id, std::int64_t& us) {
        if (s.empty())
            return;
        id = m_out.pool.addUniqueCopy(s);
        if (auto t = parseTimestamp(s))
            us = *t;
        else
            m_out.addDiagnostic(info.line, info.offset, DiagnosticCode::UnparseableTimestamp, s.substr(0, 64), -1);
    };
    time(run.startedAt, info.startedAt, info.startedUs);
    time(run.completedAt, info.completedAt, info.completedUs);
    if (run.hasSummary) {
        info.hasSummary = true;
        info.granted = permissions(run.granted);
        info.denied = permissions(run.denied);
        info.escalated = permissions(run.escalated);
    }
}

Span32 RunStepWriter::permissions(const std::vector<runjson::PermissionEntry>& entries)
{
    Span32 span{static_cast<std::uint32_t>(m_out.runPermissions.size()), 0};
    for (const runjson::PermissionEntry& e : entries) {
        RunPermission& p = m_out.runPermissions.emplace_back();
        p.permission = copyStr(e.permission);
        if (!e.approvedBy.empty())
            p.approvedBy = copyStr(e.approvedBy);
        if (!e.approvalId.empty())
            p.approvalId = copyStr(e.approvalId);
        if (!e.reason.empty())
            p.reason = copyStr(e.reason);
        if (!e.raw.empty())
            p.raw = m_out.pool.addUnique(e.raw);
    }
    span.count = static_cast<std::uint32_t>(m_out.runPermissions.size() - span.first);
    return span;
}


// a raw JSON value of the step, kept by its byte range in the file
StrId RunStepWriter::rawOf(od::value value)
{
    std::string_view json;
    if (runjson::rawValue(value, json) || json.empty())
        return kNoStr;
    return m_out.pool.addUnique(json);
}

void RunStepWriter::readResult(od::value value, RunStep& step, bool& denied)
{
    od::json_type t;
    if (value.type().get(t))
        return;
    std::string_view s;
    if (t == od::json_type::string) {
        if (!value.get_string().get(s))
            denied = denied || runjson::mentionsDenial(s);
        return;
    }
    od::object resultObj;
    std::string_view rawResult;
    if (t != od::json_type::object || value.get_object().get(resultObj) || resultObj.raw_json().get(rawResult))
        return;
    bool hasStatus = false;
    // raw_json() consumed the object: rewind to read status and data
    if (bool hadFields = false; !resultObj.reset().get(hadFields)) {
        for (auto rf : resultObj) {
            std::string_view rk;
            od::value rv;
            if (rf.unescaped_key().get(rk) || rf.value().get(rv))
                break;
            if (rk == "status") {
                if (!rv.get_string().get(s)) {
                    hasStatus = true;
                    step.resultStatus = copyStr(s);
                    denied = denied || s == "denied" || s == "blocked";
                }
            } else if (rk == "data") {
                step.resultData = rawOf(rv);
            }
        }
    }
    // results without a status: the text is the only hint of a refusal
    if (!hasStatus)
        denied = denied || runjson::mentionsDenial(rawResult);
}

void RunStepWriter::addStep(const StepPlace& place, const std::string& runId,
                            const std::vector<runjson::PermissionEntry>& denied,
                            const std::vector<runjson::PermissionEntry>& escalated, StrId agentId, StrId agentName)
{
    const auto recordIndex = static_cast<std::int64_t>(m_out.events.size());
    EventRecord& rec = m_out.events.emplace_back();
    rec.format = Format::RunTrace;
    rec.flags = EventFlag::RunStep;
    rec.offset = place.offset;
    rec.length = static_cast<std::uint32_t>(place.raw.size());
    rec.line = place.line;
    rec.s(Field::TraceId) = m_out.runs[place.run].runId;
    rec.s(Field::AgentId) = agentId;
    rec.s(Field::AgentName) = agentName;
    rec.s(Field::EventType) = m_out.pool.intern("run_step");
    rec.s(Field::DecisionStage) = m_out.pool.intern("execute");
    rec.s(Field::Framework) = m_out.pool.intern("run_trace");
    RunStep& step = m_out.runSteps.emplace_back();
    step.event = static_cast<std::uint32_t>(recordIndex);
    step.run = place.run;
    step.stepIndex = place.position; // replaced by step_index when the step has one
    readStep(place.raw, denied, escalated, rec, step, recordIndex);
    rec.s(Field::EventId) = m_out.pool.addUniqueCopy(runId + "#step-" + std::to_string(step.stepIndex));
}

void RunStepWriter::readStep(std::string_view raw, const std::vector<runjson::PermissionEntry>& deniedList,
                             const std::vector<runjson::PermissionEntry>& escalatedList, EventRecord& rec,
                             RunStep& step, std::int64_t recordIndex)
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
            std::int64_t n = 0;
            if (k == "action") {
                if (!value.get_string().get(s))
                    rec.s(Field::PlanIntent) = copyStr(s);
            } else if (k == "reasoning") {
                if (!value.get_string().get(s)) {
                    rec.s(Field::Reason) = copyStr(s);
                    if (s.find_first_not_of(" \t\r\n") != std::string_view::npos)
                        step.flags |= RunStepFlag::HasReasoning;
                }
            } else if (k == "step_index") {
                if (runjson::readInteger(value, n)) {
                    step.stepIndex = n;
                    step.flags |= RunStepFlag::StepIndexGiven;
                }
            } else if (k == "duration_ms") {
                if (runjson::readInteger(value, n) && n >= 0)
                    step.durationMs = n;
            } else if (k == "parent_step_index") {
                if (runjson::readInteger(value, n))
                    step.parentStepIndex = n;
            } else if (k == "approval") {
                step.approval = rawOf(value);
            } else if (k == "alternatives") {
                step.alternatives = rawOf(value);
            } else if (k == "selection") {
                step.selection = rawOf(value);
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
                readResult(value, step, denied);
            } else if (k == "permissions_used") {
                od::array arr;
                if (value.get_array().get(arr))
                    continue;
                rec.requestedCaps.first = static_cast<std::uint32_t>(m_out.lists.size());
                for (auto element : arr) {
                    if (element.get_string().get(s))
                        continue;
                    m_out.lists.push_back(copyStr(s));
                    denied = denied || listed(deniedList, s);
                    escalated = escalated || listed(escalatedList, s);
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

void RunStepWriter::checkRun(const RunInfo& info, const std::vector<std::size_t>& steps)
{
    const auto warn = [this](EventRecord& rec, std::uint32_t event, DiagnosticCode code, std::string detail) {
        rec.flags |= EventFlag::HasWarnings;
        m_out.addDiagnostic(rec.line, rec.offset, code, std::move(detail), static_cast<std::int64_t>(event));
    };
    std::unordered_set<std::int64_t> seen;
    std::int64_t previousIndex = -1; // so that a first step_index other than 0 is a gap
    std::int64_t lastEnd = kNoTime;
    std::int64_t lastEndIndex = 0;
    for (const std::size_t position : steps) {
        const RunStep& step = m_out.runSteps[position];
        EventRecord& rec = m_out.events[step.event];
        if (rec.has(EventFlag::Rejected))
            continue; // its own finding says why; nothing of it can be checked
        if (step.has(RunStepFlag::StepIndexGiven)) {
            if (!seen.insert(step.stepIndex).second)
                warn(rec, step.event, DiagnosticCode::RunStepIndexDuplicate,
                     "step_index " + std::to_string(step.stepIndex));
            else if (step.stepIndex != previousIndex + 1)
                warn(rec, step.event, DiagnosticCode::RunStepIndexGap,
                     "step_index " + std::to_string(step.stepIndex) +
                         (previousIndex < 0 ? " first, expected 0"
                                            : " after " + std::to_string(previousIndex)));
            previousIndex = step.stepIndex;
        }
        if (rec.timeUs != kNoTime && info.startedUs != kNoTime && step.durationMs != kNoNumber &&
            stepStartUs(rec.timeUs, step.durationMs) < info.startedUs)
            warn(rec, step.event, DiagnosticCode::RunStepStartsEarly,
                 "starts " + std::to_string((info.startedUs - stepStartUs(rec.timeUs, step.durationMs)) / 1000) +
                     " ms before started_at");
        if (rec.timeUs != kNoTime) {
            if (lastEnd != kNoTime && rec.timeUs < lastEnd)
                warn(rec, step.event, DiagnosticCode::RunStepEndsEarly,
                     "ends " + std::to_string((lastEnd - rec.timeUs) / 1000) + " ms before step " +
                         std::to_string(lastEndIndex) + " ended");
            if (lastEnd == kNoTime || rec.timeUs >= lastEnd) {
                lastEnd = rec.timeUs;
                lastEndIndex = step.stepIndex;
            }
        }
        if (!step.has(RunStepFlag::HasReasoning))
            warn(rec, step.event, DiagnosticCode::RunStepNoReasoning,
                 rec.s(Field::Reason) == kNoStr ? "no reasoning" : "empty reasoning");
    }
    if (info.completedUs != kNoTime && lastEnd != kNoTime && info.completedUs < lastEnd)
        m_out.addDiagnostic(info.line, info.offset, DiagnosticCode::RunCompletedEarly,
                            "completed_at is " + std::to_string((lastEnd - info.completedUs) / 1000) +
                                " ms before step " + std::to_string(lastEndIndex) + " ended",
                            -1);
}

} // namespace rw
