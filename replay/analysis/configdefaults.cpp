// What applies without an analysis profile or an exfiltration ruleset, and
// what a file that leaves a section out keeps. The values are those of the
// reference's examples (§3.3, §3.7), with the destroy action type also
// recognising delete/drop actions and the *:delete permissions that
// permission_risk calls critical.
#include "replay/analysis/configloader.h"

namespace rw::analysis {

AnalysisProfile defaultAnalysisProfile()
{
    AnalysisProfile p;
    p.source.builtIn = true;
    // first match wins: the destructive patterns come before the broad read one
    p.permissionRisk = {
        {"*:write", Severity::Warn, "high"},
        {"*:delete", Severity::Critical, "critical"},
        {"*:read*", Severity::Info, "low"},
    };
    p.actionTypes = {
        {"observe", {"assess_*", "verify_*", "identify_*"}, {"*:read*"}, {}, {}},
        {"modify", {"restart_*", "scale_*"}, {"*:write", "service:*"}, {}, {}},
        {"destroy", {"delete_*", "drop_*", "destroy_*"}, {"*:delete"}, {"*.delete", "*.drop"}, {}},
        {"communicate", {}, {}, {"send_email", "slack_post", "http.post"}, {}},
        {"encode", {}, {}, {"base64*", "gzip", "tar"}, {{"command", "*base64*|*openssl enc*|*tar c*"}}},
    };
    p.environments = {
        {"production",
         {"prod-*", "*-prod*", "web-*"},
         {"host", "target", "cluster", "namespace"},
         {"prod", "production"}},
    };
    return p;
}

ExfilRules defaultExfilRules()
{
    ExfilRules r;
    r.source.builtIn = true;
    r.largeRead.tools = {"sql_query", "warehouse.read", "s3.get", "file.read", "logs.read"};
    r.largeRead.resultBytes = 1000 * 1000; // ">=1MB"
    r.largeRead.resultRows = 10000;
    r.externalWrite.tools = {"http.post", "send_email", "s3.put", "scp", "sftp.put", "slack_post"};
    r.externalWrite.destinationParams = {"url", "to", "host", "bucket", "dest", "endpoint", "channel"};
    r.encode = ConfigText{"action_type:encode", 0, 0};

    ExfilSequence stage;
    stage.id = "stage-then-send";
    stage.steps = {{"large_read", false}, {"encode", true}, {"external_write", false}};
    stage.withinSteps = 10;
    stage.withinUs = 10LL * 60 * 1000 * 1000;
    stage.severity = Severity::Critical;

    ExfilSequence readThenExternal;
    readThenExternal.id = "read-then-external";
    readThenExternal.steps = {{"large_read", false}, {"external_write", false}};
    readThenExternal.severity = Severity::Warn;

    r.sequences = {stage, readThenExternal};
    return r;
}

} // namespace rw::analysis
