#include "replay/analysis/anomaly.h"

#include <algorithm>

namespace rw::analysis {

const char* detectorName(Detector d)
{
    switch (d) {
    case Detector::PermissionEscalation: return "permission_escalation";
    case Detector::UnusualToolSequence: return "unusual_tool_sequence";
    case Detector::ExcessiveRetries: return "excessive_retries";
    case Detector::DataExfiltration: return "data_exfiltration";
    case Detector::BehaviouralDeviation: return "behavioural_deviation";
    case Detector::TraceIntegrity: return "trace_integrity";
    case Detector::MissingStep: return "missing_step";
    }
    return "unknown";
}

const char* severityName(Severity s)
{
    switch (s) {
    case Severity::Info: return "info";
    case Severity::Warn: return "warn";
    case Severity::Critical: return "critical";
    }
    return "info";
}

const char* noteCodeName(AnalysisNote::Code code)
{
    switch (code) {
    case AnalysisNote::Code::NoBaseline:
        return "no_baseline";
    case AnalysisNote::Code::InsufficientBaseline:
        return "insufficient_baseline";
    case AnalysisNote::Code::StepsNotKept:
        return "steps_not_kept";
    }
    return "unknown";
}

const char* checkResultName(CheckResult r)
{
    switch (r) {
    case CheckResult::Pass: return "pass";
    case CheckResult::Warn: return "warn";
    case CheckResult::Fail: return "fail";
    }
    return "pass";
}

const char* baselineSourceName(BaselineSource s)
{
    switch (s) {
    case BaselineSource::Profile: return "profile";
    case BaselineSource::Inferred: return "inferred";
    case BaselineSource::Granted: return "granted";
    case BaselineSource::None: return "none";
    }
    return "none";
}

Severity RunAnalysis::worst() const
{
    Severity w = Severity::Info;
    for (const Anomaly& a : anomalies)
        w = std::max(w, a.severity);
    return w;
}

bool RunAnalysis::clean() const
{
    return std::none_of(anomalies.begin(), anomalies.end(),
                        [](const Anomaly& a) { return a.severity != Severity::Info; });
}

std::size_t RunAnalysis::count(Severity s) const
{
    return static_cast<std::size_t>(
        std::count_if(anomalies.begin(), anomalies.end(), [s](const Anomaly& a) { return a.severity == s; }));
}

} // namespace rw::analysis
