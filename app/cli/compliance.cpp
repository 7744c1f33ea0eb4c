#include "app/cli/compliance.h"

#include "app/cli/batchfacts.h"
#include "model/globmatcher.h"
#include "model/querylexer.h"

#include <set>

namespace rw {

using Json = nlohmann::ordered_json;
using analysis::ControlEvidence;

namespace {

bool globMatch(const std::string& pattern, const std::string& value)
{
    return GlobMatcher(querylex::lowered(pattern)).matches(value);
}

bool matchesAnomaly(const ControlEvidence& e, const AnomalyFacts& anomaly)
{
    if (e.kind == ControlEvidence::Kind::Detector)
        return globMatch(e.pattern, anomaly.detector);
    if (e.kind == ControlEvidence::Kind::Rule)
        return globMatch(e.pattern, anomaly.ruleId);
    return false;
}

bool matchesCheck(const ControlEvidence& e, const CheckFacts& check)
{
    return e.kind == ControlEvidence::Kind::Policy && globMatch(e.pattern, check.policy) &&
           globMatch(e.check, check.check);
}

Json controlJson(const analysis::Control& control, const std::vector<BatchRun>& runs, const Json& fleetSection)
{
    bool everyRun = false;
    std::set<std::string> fleetFindings;
    for (const ControlEvidence& e : control.evidence) {
        if (e.kind == ControlEvidence::Kind::Detector || e.kind == ControlEvidence::Kind::Rule)
            everyRun = true;
        if (e.kind == ControlEvidence::Kind::Fleet)
            fleetFindings.insert(e.pattern);
    }
    std::int64_t examined = 0, failed = 0;
    Json anomalies = Json::array(), checks = Json::array();
    for (const BatchRun& batchRun : runs) {
        const RunFacts& run = batchRun.facts;
        bool applies = everyRun, fails = false;
        for (const AnomalyFacts& a : run.anomalies)
            for (const ControlEvidence& e : control.evidence)
                if (matchesAnomaly(e, a)) {
                    fails = fails || a.severity == "warn" || a.severity == "critical";
                    anomalies.push_back({{"run_id", run.runId}, {"anomaly_id", a.anomalyId},
                                         {"fingerprint", a.fingerprint}, {"detector", a.detector},
                                         {"rule_id", a.ruleId}, {"severity", a.severity},
                                         {"message", a.message}, {"evidence", e.text}});
                    break;
                }
        for (const CheckFacts& c : run.checks)
            for (const ControlEvidence& e : control.evidence)
                if (matchesCheck(e, c)) {
                    applies = true;
                    if (c.result != "pass") {
                        fails = true;
                        checks.push_back({{"run_id", run.runId}, {"policy", c.policy}, {"check", c.check},
                                          {"result", c.result}, {"steps", c.steps}, {"evidence", e.text}});
                    }
                    break;
                }
        examined += applies ? 1 : 0;
        failed += applies && fails ? 1 : 0;
    }
    Json fleet = Json::object();
    std::size_t fleetCount = 0;
    for (const std::string& name : fleetFindings) {
        const Json& found = fleetSection[name];
        fleet[name] = found;
        fleetCount += found.size();
    }
    Json j;
    j["id"] = control.id;
    j["title"] = control.title;
    j["framework"] = control.framework;
    j["evidence"] = Json::array();
    for (const ControlEvidence& e : control.evidence)
        j["evidence"].push_back(e.text);
    j["status"] = examined == 0 && fleetFindings.empty() ? "not_examined"
                  : failed == 0 && fleetCount == 0       ? "pass"
                                                         : "fail";
    j["runs_examined"] = examined;
    j["runs_passed"] = examined - failed;
    j["runs_failed"] = failed;
    j["anomalies"] = std::move(anomalies);
    j["policy_checks"] = std::move(checks);
    j["fleet"] = std::move(fleet);
    return j;
}

} // namespace

Json complianceJson(const analysis::ControlSet& controls, const std::vector<BatchRun>& runs, const Json& fleet)
{
    Json j;
    j["controls_file"] = {{"path", controls.source.path}, {"sha256", controls.source.sha256}};
    j["framework"] = controls.framework;
    j["note"] = "The controls and their mapping to detectors and checks are the user's (controls.yaml), not a "
                "statement of compliance.";
    Json list = Json::array();
    std::int64_t pass = 0, fail = 0, notExamined = 0;
    for (const analysis::Control& c : controls.controls) {
        Json one = controlJson(c, runs, fleet);
        const std::string status = factText(one, "status");
        (status == "pass" ? pass : status == "fail" ? fail : notExamined)++;
        list.push_back(std::move(one));
    }
    j["summary"] = {{"pass", pass}, {"fail", fail}, {"not_examined", notExamined}};
    j["controls"] = std::move(list);
    return j;
}

} // namespace rw
