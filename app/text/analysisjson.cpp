#include "app/text/analysisjson.h"

#include "app/text/analysistext.h"

namespace rw {

using namespace analysis;
using Json = nlohmann::ordered_json;

namespace {

// absent values are null rather than "", so a reader can tell them apart
Json orNull(const std::string& value)
{
    return value.empty() ? Json(nullptr) : Json(value);
}

Json witnessJson(const Witness& w)
{
    Json j = Json::object();
    j["file"] = w.file;
    j["sha256"] = orNull(w.sha256);
    j["line"] = w.line;
    j["offset"] = w.offset;
    j["length"] = w.length;
    j["pointer"] = w.pointer;
    j["value"] = w.value;
    return j;
}

Json checkJson(const PolicyCheckResult& c)
{
    Json j = Json::object();
    j["policy"] = c.policy;
    j["check"] = c.check;
    j["title"] = c.title;
    j["result"] = checkResultName(c.result);
    j["steps"] = c.steps;
    return j;
}

Json noteJson(const AnalysisNote& n)
{
    Json j = Json::object();
    j["code"] = noteCodeName(n.code);
    j["detector"] = detectorName(n.detector);
    if (n.code == AnalysisNote::Code::InsufficientBaseline)
        j["runs"] = n.runs;
    if (n.code != AnalysisNote::Code::NoBaseline)
        j["needed"] = n.needed;
    j["message"] = noteText(n).toStdString();
    return j;
}

Json runJson(const RunAnalysis& r)
{
    Json j = Json::object();
    j["run_id"] = r.runId;
    j["agent_id"] = r.agentId;
    j["file"] = r.file;
    j["status"] = r.status;
    j["started_at"] = orNull(r.startedAt);
    j["duration_ms"] = r.durationMs;
    j["steps"] = r.steps;
    j["baseline"] = r.baseline;
    j["baseline_source"] = baselineSourceName(r.baselineSource);
    j["granted"] = r.granted;
    j["used"] = r.used;
    Json uses = Json::object(); // steps per permission, in `used` order
    for (std::size_t i = 0; i < r.used.size(); ++i)
        uses[r.used[i]] = i < r.uses.size() ? r.uses[i] : 1;
    j["uses"] = std::move(uses);
    j["escalated"] = r.escalated;
    j["location"] = {{"line", r.line}, {"offset", r.offset}, {"length", r.length}};
    if (!r.segments.empty()) {
        // a run joined from several files: each file's piece, in time order
        Json segments = Json::array();
        for (const RunSegment& s : r.segments)
            segments.push_back({{"file", s.file}, {"sha256", s.sha256}, {"line", s.line}, {"offset", s.offset},
                                {"length", s.length}});
        j["location"]["segments"] = std::move(segments);
    }
    j["worst"] = r.anomalies.empty() ? Json(nullptr) : Json(severityName(r.worst()));
    j["clean"] = r.clean();
    Json anomalies = Json::array();
    for (const Anomaly& a : r.anomalies)
        anomalies.push_back(anomalyJson(a));
    j["anomalies"] = std::move(anomalies);
    Json checks = Json::array();
    for (const PolicyCheckResult& c : r.checks)
        checks.push_back(checkJson(c));
    j["policy_checks"] = std::move(checks);
    Json notes = Json::array();
    for (const AnalysisNote& n : r.notes)
        notes.push_back(noteJson(n));
    j["notes"] = std::move(notes);
    return j;
}

Json sourceJson(const ConfigSource& s)
{
    Json j = Json::object();
    if (s.builtIn) {
        j["built_in"] = true;
    } else {
        j["path"] = s.path;
        j["sha256"] = s.sha256;
    }
    return j;
}

Json configJson(const AnalysisConfig& c)
{
    Json j = Json::object();
    j["profile"] = sourceJson(c.profile.source);
    Json behaviour = Json::array();
    for (const BehaviourPolicy& p : c.policies) {
        Json b = Json::object();
        b["id"] = p.id;
        b["path"] = p.source.path;
        b["sha256"] = p.source.sha256;
        behaviour.push_back(std::move(b));
    }
    j["behaviour"] = std::move(behaviour);
    j["exfil"] = sourceJson(c.exfil.source);
    Json sequences = Json::array();
    for (const auto& [named, profile] : c.sequenceProfiles) { // a std::map: sorted, hence stable
        Json s = sourceJson(profile.source);
        s["named"] = named;
        s["agent"] = profile.agent;
        sequences.push_back(std::move(s));
    }
    j["sequence_profiles"] = std::move(sequences);
    if (!c.policyVersion.empty())
        j["policy_version"] = c.policyVersion; // trace_integrity compares it: part of what an analysis is
    return j;
}

} // namespace

Json anomalyJson(const Anomaly& a)
{
    Json j = Json::object();
    j["anomaly_id"] = "a-" + a.fingerprint.substr(0, 12);
    j["fingerprint"] = a.fingerprint;
    j["detector"] = detectorName(a.detector);
    j["rule_id"] = a.ruleId;
    j["detector_version"] = 1;
    j["category"] = anomalyCategory(a.detector).toStdString();
    j["severity"] = severityName(a.severity);
    j["score"] = a.score;
    j["run_id"] = a.runId;
    j["agent_id"] = a.agentId;
    j["step_index"] = a.stepIndex < 0 ? Json(nullptr) : Json(a.stepIndex);
    j["time"] = orNull(a.time);
    j["message"] = anomalyMessage(a).toStdString();
    Json witness = Json::array();
    for (const Witness& w : a.witness)
        witness.push_back(witnessJson(w));
    j["witness"] = std::move(witness);
    j["context"] = a.context;
    return j;
}

Json analysisRunJson(const RunAnalysis& run)
{
    return runJson(run);
}

Json analysisConfigJson(const AnalysisConfig& config)
{
    return configJson(config);
}

Json analysisJson(const std::vector<RunAnalysis>& runs, const AnalysisConfig& config)
{
    Json j = Json::object();
    Json list = Json::array();
    for (const RunAnalysis& r : runs)
        list.push_back(runJson(r));
    j["runs"] = std::move(list);
    j["config"] = configJson(config);
    return j;
}

} // namespace rw
