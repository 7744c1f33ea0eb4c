#include "tests/fuzz/analysisfuzzcheck.h"

#include "model/sourcefile.h"
#include "replay/alerts/alertconfig.h"
#include "replay/analysis/configloader.h"
#include "replay/analysis/controls.h"
#include "replay/policy/policybundle.h"

#include <optional>
#include <set>

namespace rwfuzz {

namespace {

using namespace rw::analysis;

// An expression kept from a file: text and a position in it, or nothing.
bool goodText(const ConfigText& t)
{
    return t.empty() ? t.line == 0 : t.line > 0 && t.column > 0;
}

bool goodSeverity(Severity s)
{
    return s == Severity::Info || s == Severity::Warn || s == Severity::Critical;
}

// what every parser owes: a result exactly when no error, usable diagnostics
std::string checkOutcome(bool loaded, const std::vector<rw::BundleDiagnostic>& d, const char* file,
                         const char* what)
{
    if (loaded == rw::hasErrors(d))
        return std::string(what) + ": a result with errors, or none without one";
    for (const rw::BundleDiagnostic& x : d)
        if (x.message.empty() || x.line < 0 || x.column < 0 || x.file != file)
            return std::string(what) + ": a diagnostic without a message, file or sane position";
    return {};
}

std::string checkSource(const ConfigSource& s, std::string_view bytes, const char* file)
{
    if (s.builtIn || s.path != file || s.sha256 != rw::sha256Hex(bytes))
        return "the source is not the file's name and hash";
    return {};
}

std::string checkProfile(const AnalysisProfile& p)
{
    for (const AgentProfile& a : p.agents)
        if (a.match.empty() || !goodText(a.match))
            return "an agent without a match";
    for (const PermissionRisk& r : p.permissionRisk)
        if (!goodSeverity(r.risk) || r.word.empty())
            return "a permission risk without its word";
    if (p.version != 1 || p.retries.threshold < 1 || p.retries.windowSteps < 1 || p.retries.windowUs <= 0 ||
        !(p.sequences.rareProbability >= 0 && p.sequences.rareProbability <= 1) ||
        p.sequences.minBaselineRuns < 0 || p.sequences.contextSteps < 0)
        return "a profile setting out of its range";
    return {};
}

std::string checkPolicy(const BehaviourPolicy& p)
{
    if (p.id.empty() || !goodText(p.appliesTo))
        return "a policy without an id";
    for (const PolicyCheck& c : p.checks) {
        if (c.id.empty() || c.withinSteps < 0 || !goodSeverity(c.severity) || c.line < 1)
            return "a check without an id, or out of range";
        if (c.prohibit.empty() && c.require.empty() && c.precededBy.empty() && c.followedBy.empty() &&
            c.review.empty())
            return "a check that checks nothing";
        for (const ConfigText* t : {&c.when, &c.require, &c.precededBy, &c.followedBy, &c.review})
            if (!goodText(*t))
                return "an expression without its position";
        for (const Prohibition& x : c.prohibit)
            if (x.when.empty() || !goodText(x.when) || !goodSeverity(x.severity))
                return "a prohibition without 'when'";
    }
    return {};
}

std::string checkExfil(const ExfilRules& r)
{
    if (r.largeRead.resultBytes < -1 || r.largeRead.resultRows < -1)
        return "a large-read threshold out of range";
    // the built-in encode expression, kept when the file has no 'encode'
    if (r.encode.line == 0 ? r.encode.text != defaultExfilRules().encode.text : !goodText(r.encode))
        return "an encode expression neither built in nor from the file";
    for (const ExfilSequence& s : r.sequences) {
        bool required = false;
        for (const SequenceStep& step : s.steps) {
            required = required || !step.optional;
            if (step.name != "large_read" && step.name != "encode" && step.name != "external_write")
                return "a sequence step outside the three names";
        }
        if (s.id.empty() || !required || s.withinSteps < 0 || s.withinUs < 0 || !goodSeverity(s.severity))
            return "a sequence without an id or a required step";
    }
    for (const ExfilAllow& a : r.allow) {
        const bool anyTime = a.fromMinute == -1 && a.toMinute == -1;
        const bool window = a.fromMinute >= 0 && a.fromMinute < 1440 && a.toMinute >= 0 &&
                            a.toMinute <= 1440 && a.fromMinute != a.toMinute;
        if (a.id.empty() || !(anyTime || window))
            return "an allow entry without an id or with a bad window";
    }
    return {};
}

std::string checkSequenceProfile(const SequenceProfile& p)
{
    if (p.agent.empty() || p.runs < 0)
        return "a sequence profile without an agent";
    for (const auto* counts : {&p.tools, &p.firstTools, &p.transitions, &p.permissions, &p.destinations})
        for (const auto& [name, n] : *counts)
            if (n < 0)
                return "a negative count";
    for (const auto& [pair, n] : p.transitions)
        if (pair.find('|') == std::string::npos)
            return "a transition that is not a pair";
    return {};
}

std::string checkControls(const ControlSet& set)
{
    for (const Control& c : set.controls) {
        if (c.id.empty())
            return "a control without an id";
        for (const ControlEvidence& e : c.evidence)
            if (e.pattern.empty() || e.text.empty() || (e.kind == ControlEvidence::Kind::Policy && e.check.empty()))
                return "an evidence selector that names nothing";
    }
    return {};
}

std::string checkAlerts(const rw::alerts::AlertConfig& c)
{
    using rw::alerts::ChannelType;
    std::set<std::string> ids;
    if (c.channels.empty())
        return "an alerts file without a channel";
    for (const rw::alerts::AlertChannel& ch : c.channels) {
        if (ch.id.empty() || !ids.insert(ch.id).second)
            return "a channel without an id of its own";
        const bool http = ch.type == ChannelType::Webhook || ch.type == ChannelType::Slack || ch.type == ChannelType::PagerDuty;
        if ((http && ch.url.value.rfind("http", 0) != 0) || (ch.type == ChannelType::File && ch.path.rfind('/', 0) != 0) ||
            (ch.type == ChannelType::Command && ch.argv.empty()) ||
            (ch.type == ChannelType::PagerDuty && ch.routingKey.shown.rfind("env:", 0) != 0) ||
            (ch.type == ChannelType::Slack && ch.url.shown.rfind("env:", 0) != 0))
            return "a channel without what its type needs, or a secret written in the file";
        if (!goodSeverity(ch.minSeverity))
            return "a channel's severity out of range";
    }
    const rw::alerts::DeliveryConfig& d = c.delivery;
    if (d.retries < 0 || d.retries > 20 || d.backoffMinMs < 1 || d.backoffMinMs > d.backoffMaxMs || d.backoffMaxMs > 3600000 ||
        d.timeoutMs < 1 || d.timeoutMs > 300000 || d.spool.rfind('/', 0) != 0)
        return "a delivery setting out of its range";
    for (const rw::alerts::SuppressRule& r : c.suppress)
        if (r.fields.empty() || r.windowMs < 1)
            return "a suppression rule without fields or window";
    return {};
}

// alerts.yaml against an environment where every env: reference is set
std::optional<rw::alerts::AlertConfig> parseAlerts(std::string_view bytes, const std::string& file, std::vector<rw::BundleDiagnostic>& d)
{
    rw::alerts::AlertEnvironment env;
    env.variable = [](const std::string&) -> std::optional<std::string> { return std::string("http://127.0.0.1:9/fuzz"); };
    env.home = "/home/fuzz";
    return rw::alerts::parseAlertConfig(bytes, file, env, d);
}

// parse with `parse`, then the outcome, the source and the value
template <class Parse, class Check>
std::string run(std::string_view bytes, const char* file, const char* what, Parse parse, Check check)
{
    std::vector<rw::BundleDiagnostic> d;
    const auto value = parse(bytes, file, d);
    std::string problem = checkOutcome(value.has_value(), d, file, what);
    if (problem.empty() && value)
        problem = checkSource(value->source, bytes, file);
    if (problem.empty() && value)
        problem = check(*value);
    return problem.empty() ? problem : std::string(what) + ": " + problem;
}

} // namespace

std::string checkAnalysisConfigInput(std::string_view bytes)
{
    std::string problem = run(bytes, "analysis.yaml", "analysis profile", parseAnalysisProfile, checkProfile);
    if (problem.empty())
        problem = run(bytes, "behaviour.yaml", "behavioural policy", parseBehaviourPolicy, checkPolicy);
    if (problem.empty())
        problem = run(bytes, "exfiltration.yaml", "exfiltration rules", parseExfilRules, checkExfil);
    if (problem.empty())
        problem = run(bytes, "profile.json", "sequence profile", parseSequenceProfile, checkSequenceProfile);
    if (problem.empty())
        problem = run(bytes, "controls.yaml", "controls mapping", parseControls, checkControls);
    if (problem.empty())
        problem = run(bytes, "/fuzz/alerts.yaml", "alerts file", parseAlerts, checkAlerts);
    return problem;
}

} // namespace rwfuzz
