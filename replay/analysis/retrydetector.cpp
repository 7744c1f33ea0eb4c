// excessive_retries (reference §3.9, with the grouping the seed's own
// example needs): an attempt group is consecutive calls to one tool (steps
// without a tool call may come between) where each call repeats the previous
// one's parameters exactly or follows an attempt that failed; calls to the
// same tool with new parameters after a success are new work, not retries
// (the seed's run queries metrics.query five times in a row and reports one
// retry, of the two identical calls). A group ends at another tool, past
// `window` steps or time, or at the run's end.
//   2..threshold attempts   INFO  retry.repeated
//   > threshold, identical  WARN  retry.failure-loop
//   > threshold, mutating   WARN  retry.probing, CRITICAL retry.credential-probing when the changed
//                                 keys look like credentials or the attempts failed on authentication
// A group over the threshold is reported when it crosses it (the live watch
// sees it at once), at the crossing step; a smaller one when it ends, at its
// last attempt.
#include "replay/analysis/compiledrules.h"
#include "replay/analysis/detectors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace rw::analysis {

namespace {

bool failed(std::string_view status)
{
    static constexpr std::string_view kFine[] = {"", "success", "succeeded", "ok", "completed", "done"};
    std::string s(status);
    for (char& c : s)
        c = asciiLower(c);
    return std::find(std::begin(kFine), std::end(kFine), s) == std::end(kFine);
}

bool authFailure(std::string_view status)
{
    std::string s(status);
    for (char& c : s)
        c = asciiLower(c);
    for (const char* word : {"denied", "unauthori", "forbidden", "auth", "401", "403", "blocked"})
        if (s.find(word) != std::string::npos)
            return true;
    return false;
}

bool credentialLike(const std::string& key)
{
    std::string k = key;
    for (char& c : k)
        c = asciiLower(c);
    for (const char* word : {"password", "passwd", "token", "secret", "user", "key"})
        if (k.find(word) != std::string::npos)
            return true;
    return false;
}

// sorted keys, numbers as nlohmann normalises them; a text that is no JSON stays as written
nlohmann::json canonical(std::string_view params)
{
    nlohmann::json j = nlohmann::json::parse(params, nullptr, false);
    if (j.is_discarded())
        return nlohmann::json(std::string(params));
    return j;
}

class RetryDetector : public RunDetector
{
public:
    void begin(RunAnalyzer&) override
    {
        m_count = 0;
        m_tool.clear();
        m_lastRaw.clear();
        m_lastParsed = false;
        m_lastFailed = false;
        m_reported = false;
    }

    void step(RunAnalyzer& run, StepInput& in) override
    {
        const StepFacts& f = *in.facts;
        if (f.tool.empty())
            return; // no tool call: it does not break a group
        const RetrySettings& w = run.config().profile.retries;
        bool continues = m_count > 0 && m_tool == f.tool &&
                         f.step - m_firstStep < w.windowSteps && in.timeUs - m_firstUs <= w.windowUs;
        // parameters are parsed only to compare a call with the one before it
        // to the same tool, and only when their bytes differ
        bool parsed = false;
        nlohmann::json params;
        if (continues) {
            bool identical = in.paramsJson == m_lastRaw;
            if (!identical) {
                if (!m_lastParsed)
                    m_lastParams = canonical(m_lastRaw);
                params = canonical(in.paramsJson);
                parsed = true;
                identical = params == m_lastParams;
            }
            continues = identical || m_lastFailed;
            if (continues && !identical) {
                m_mutating = true;
                changedKeys(m_lastParams, params);
            }
        }
        if (!continues) {
            close(run);
            m_tool.assign(f.tool);
            m_firstStep = f.step;
            m_firstUs = in.timeUs;
            m_mutating = false;
            m_keys.clear();
            m_authFailures = 0;
            m_reported = false;
        }
        m_lastRaw.assign(in.paramsJson);
        m_lastParsed = parsed;
        if (parsed)
            m_lastParams = std::move(params);
        m_lastFailed = failed(f.resultStatus) || f.decision == "blocked";
        if (m_lastFailed && authFailure(f.resultStatus))
            ++m_authFailures;
        // attempts are overwritten, not freed: most groups have one call
        if (m_count == m_attempts.size())
            m_attempts.emplace_back();
        Attempt& attempt = m_attempts[m_count++];
        attempt.step = f.step;
        attempt.where = in.where;
        attempt.time.assign(in.time);
        if (static_cast<int>(m_count) == w.threshold + 1 && !m_reported) {
            m_reported = true;
            const bool credentials = std::any_of(m_keys.begin(), m_keys.end(), credentialLike);
            const char* rule = !m_mutating ? "retry.failure-loop"
                               : (credentials || m_authFailures > 0) ? "retry.credential-probing"
                                                                     : "retry.probing";
            report(run, rule, std::string_view(rule) == "retry.credential-probing" ? Severity::Critical : Severity::Warn);
        }
    }

    void finish(RunAnalyzer& run) override { close(run); }

private:
    struct Attempt
    {
        std::int64_t step = 0;
        Witness where;
        std::string time;
    };

    void changedKeys(const nlohmann::json& a, const nlohmann::json& b)
    {
        if (!a.is_object() || !b.is_object()) {
            m_keys.insert("(parameters)");
            return;
        }
        for (const auto& [k, v] : a.items())
            if (!b.contains(k) || b.at(k) != v)
                m_keys.insert(k);
        for (const auto& [k, v] : b.items())
            if (!a.contains(k))
                m_keys.insert(k);
    }

    void close(RunAnalyzer& run)
    {
        if (m_count >= 2 && !m_reported)
            report(run, "retry.repeated", Severity::Info);
        m_count = 0;
    }

    // anchored on the group's latest attempt: the crossing step, or the last one
    void report(RunAnalyzer& run, const char* rule, Severity severity)
    {
        Anomaly a;
        a.detector = Detector::ExcessiveRetries;
        a.ruleId = rule;
        a.key = m_tool;
        a.stepIndex = m_attempts[m_count - 1].step;
        a.time = m_attempts[m_count - 1].time;
        nlohmann::ordered_json steps = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < m_count; ++i) {
            const Attempt& t = m_attempts[i];
            a.witness.push_back(t.where);
            a.witness.back().stepIndex = t.step;
            steps.push_back(t.step);
        }
        a.context["tool"] = m_tool;
        a.context["attempts"] = m_count;
        a.context["mode"] = m_mutating ? "mutating" : "identical";
        a.context["mutated_keys"] = std::vector<std::string>(m_keys.begin(), m_keys.end());
        a.context["steps"] = steps;
        a.context["auth_failures"] = m_authFailures;
        run.emitFilled(std::move(a), severity);
    }

    std::string m_tool;
    std::vector<Attempt> m_attempts;
    std::size_t m_count = 0; // attempts of the current group (the vector's first m_count)
    std::string m_lastRaw;
    nlohmann::json m_lastParams; // m_lastRaw canonicalised, when m_lastParsed
    bool m_lastParsed = false;
    std::set<std::string> m_keys;
    std::int64_t m_firstStep = 0;
    std::int64_t m_firstUs = 0;
    int m_authFailures = 0;
    bool m_lastFailed = false;
    bool m_mutating = false;
    bool m_reported = false;
};

} // namespace

std::unique_ptr<RunDetector> makeRetryDetector() { return std::make_unique<RetryDetector>(); }

} // namespace rw::analysis
