#include "replay/analysis/runanalyzer.h"

#include "model/sourcefile.h"
#include "replay/analysis/compiledrules.h"
#include "replay/analysis/detectors.h"

#include <algorithm>

namespace rw::analysis {

KeptStep::KeptStep(const StepInput& in) { assign(in); }

namespace {

// copies `from` into `to`, reusing the strings `to` already holds
template <class Range> void assignStrings(std::vector<std::string>& to, const Range& from)
{
    to.resize(std::size(from));
    std::size_t i = 0;
    for (const auto& s : from)
        to[i++].assign(s.data(), s.size());
}

} // namespace

void KeptStep::assign(const StepInput& in)
{
    where = in.where;
    time.assign(in.time);
    timeUs = in.timeUs;
    const StepFacts& f = *in.facts;
    const std::string_view fields[] = {f.tool,     f.action,   f.agent,     f.agentName,    f.run,
                                       f.decision, f.reason,   f.reasoning, f.resultStatus, f.approvalId};
    assignStrings(text, fields);
    assignStrings(permissionText, f.permissions);
    assignStrings(destinationText, f.destinations);
    paramText.resize(f.params.size() * 2);
    for (std::size_t i = 0; i < f.params.size(); ++i) {
        paramText[2 * i].assign(f.params[i].key);
        paramText[2 * i + 1].assign(f.params[i].value);
    }
    // views only once every string is in place
    permissions.assign(permissionText.begin(), permissionText.end());
    destinations.assign(destinationText.begin(), destinationText.end());
    actionTypes.assign(f.actionTypes.begin(), f.actionTypes.end()); // the profile's names
    environments.assign(f.environments.begin(), f.environments.end());
    params.clear();
    for (std::size_t i = 0; i + 1 < paramText.size(); i += 2)
        params.push_back({paramText[i], paramText[i + 1]});
    facts = f;
    facts.tool = text[0];
    facts.action = text[1];
    facts.agent = text[2];
    facts.agentName = text[3];
    facts.run = text[4];
    facts.decision = text[5];
    facts.reason = text[6];
    facts.reasoning = text[7];
    facts.resultStatus = text[8];
    facts.approvalId = text[9];
    facts.permissions = permissions;
    facts.destinations = destinations;
    facts.actionTypes = actionTypes;
    facts.environments = environments;
    facts.params = params;
    facts.anchor = nullptr;
}

// the detectors live as long as the analyzer: begin() resets them, so what
// they hold (strings, buffers) is reused from run to run
RunAnalyzer::RunAnalyzer(const AnalysisRules& rules) : m_rules(rules), m_detectors(makeDetectors(rules.compiled())) {}

RunAnalyzer::~RunAnalyzer() = default;

void RunAnalyzer::begin(RunStart start)
{
    m_start = std::move(start);
    m_result = RunAnalysis{};
    m_result.runId = m_start.runId;
    m_result.agentId = m_start.agentId.empty() ? m_start.agentName : m_start.agentId;
    m_result.file = m_start.file;
    m_result.startedAt = m_start.startedAt;
    m_firstUse.clear();
    m_usedSet.clear();
    m_historySize = 0;
    m_historyCut = false;
    m_sequence = 0;
    m_reported = 0;
    m_agent = rules().agentFor(m_start.agentId, m_start.agentName);
    // the baseline: the profile's grant, else what the trace says it was granted without escalation
    if (m_agent) {
        m_result.baseline = m_agent->profile->baselineGrant;
        m_result.baselineSource = BaselineSource::Profile;
    } else if (m_start.hasSummary) {
        for (const std::string& g : m_start.granted)
            if (std::find(m_start.escalated.begin(), m_start.escalated.end(), g) == m_start.escalated.end())
                m_result.baseline.push_back(g);
        m_result.baselineSource = BaselineSource::Inferred;
    } else if (m_start.hasGrantedCaps) {
        m_result.baseline = m_start.grantedCaps;
        m_result.baselineSource = BaselineSource::Granted;
    } else {
        m_result.baselineSource = BaselineSource::None;
        note({AnalysisNote::Code::NoBaseline, Detector::PermissionEscalation, 0, 0});
    }
    m_baselineSet.clear();
    m_baselineSet.insert(m_result.baseline.begin(), m_result.baseline.end());
    for (auto& d : m_detectors)
        d->begin(*this);
}

bool RunAnalyzer::inBaseline(std::string_view permission) const
{
    if (m_baselineSet.count(permission))
        return true;
    // the profile's grant may hold globs (metrics:*); a trace's lists are exact
    return m_agent && m_result.baselineSource == BaselineSource::Profile && m_agent->baseline.matches(permission);
}

std::span<const std::string> RunAnalyzer::list(std::string_view name) const
{
    if (!m_agent)
        return {};
    if (name == "agent.approved_tools")
        return m_agent->profile->approvedTools;
    if (name == "agent.baseline_grant")
        return m_agent->profile->baselineGrant;
    if (name == "agent.approvable")
        return m_agent->profile->approvable;
    return {};
}

void RunAnalyzer::addStep(StepInput& in)
{
    StepFacts& f = *in.facts;
    f.variables = this;
    f.escalated = false;
    for (const std::string_view p : f.permissions) {
        if (m_result.baselineSource != BaselineSource::None && !inBaseline(p))
            f.escalated = true;
        auto it = m_usedSet.find(p); // a step's permissions are mostly known already: no string made
        if (it == m_usedSet.end()) {
            it = m_usedSet.emplace(std::string(p), 0).first;
            m_firstUse.emplace_back(p);
        }
        ++it->second;
    }
    ++m_result.steps;
    if (config().recordSequences) {
        m_result.tools.emplace_back(f.tool);
        // as unusual_tool_sequence judges them: on steps with a tool
        for (const std::string_view d : f.tool.empty() ? std::span<const std::string_view>() : f.destinations)
            ++m_result.destinations[rules().classifier.trusts(d) ? "internal" : "external"];
    }
    for (auto& d : m_detectors)
        d->step(*this, in);
    const std::size_t keep = rules().historyNeeded;
    if (keep > 0) {
        // a ring of `keep` steps whose strings are reused run after run
        if (m_ring.size() < keep && m_historySize == m_ring.size()) {
            m_ring.push_back(std::make_unique<KeptStep>(in));
        } else {
            m_ring[(m_historyStart + m_historySize) % m_ring.size()]->assign(in);
        }
        if (m_historySize < m_ring.size()) {
            ++m_historySize;
        } else {
            m_historyStart = (m_historyStart + 1) % m_ring.size();
            if (!m_historyCut && keep >= 4096) {
                m_historyCut = true;
                note({AnalysisNote::Code::StepsNotKept, Detector::MissingStep, 0, static_cast<std::int64_t>(keep)});
            }
        }
    }
}

RunAnalysis RunAnalyzer::finish(const std::string& status, std::int64_t durationMs)
{
    for (auto& d : m_detectors)
        d->finish(*this);
    m_result.status = status;
    m_result.durationMs = durationMs;
    // Used: in the order the run recorded its grants, then first use
    for (const std::string& g : m_start.granted)
        if (m_usedSet.count(g) && std::find(m_result.used.begin(), m_result.used.end(), g) == m_result.used.end())
            m_result.used.push_back(g);
    for (const std::string& p : m_firstUse)
        if (std::find(m_result.used.begin(), m_result.used.end(), p) == m_result.used.end())
            m_result.used.push_back(p);
    for (const std::string& p : m_result.used)
        m_result.uses.push_back(m_usedSet.find(p)->second);
    m_result.granted = m_start.hasGrantedCaps && !m_start.hasSummary ? m_start.grantedCaps : m_start.granted;
    if (m_result.baselineSource == BaselineSource::None) {
        m_result.escalated = m_start.escalated;
    } else {
        for (const std::string& p : m_result.used)
            if (!inBaseline(p))
                m_result.escalated.push_back(p);
    }
    std::stable_sort(m_result.anomalies.begin(), m_result.anomalies.end(), [](const Anomaly& a, const Anomaly& b) {
        return a.stepIndex != b.stepIndex ? a.stepIndex < b.stepIndex : a.sequence < b.sequence;
    });
    for (const PolicyCheckResult& c : m_result.checks)
        if (c.result != CheckResult::Pass && !c.advice.empty()) {
            m_result.advice = c.advice;
            break;
        }
    m_historySize = 0;
    return std::move(m_result);
}

void RunAnalyzer::note(AnalysisNote n)
{
    for (const AnalysisNote& existing : m_result.notes)
        if (existing.code == n.code && existing.detector == n.detector)
            return;
    m_result.notes.push_back(n);
}

Anomaly& RunAnalyzer::add(Anomaly a, Severity severity)
{
    // behavioural_deviation and missing_step share a detector: one may be off
    if ((config().detectors >> static_cast<unsigned>(a.detector) & 1u) == 0) {
        m_discard = std::move(a);
        return m_discard;
    }
    a.severity = rules().severity(a.ruleId, severity);
    a.runId = m_result.runId;
    a.agentId = m_result.agentId;
    static constexpr int kBase[] = {25, 55, 85};
    a.score = kBase[static_cast<int>(a.severity)];
    const std::string identity = std::string(detectorName(a.detector)) + '|' + a.ruleId + '|' + a.runId + '|' +
                                 std::to_string(a.stepIndex) + '|' + a.key;
    a.fingerprint = sha256Hex(identity);
    a.sequence = m_sequence++;
    m_result.anomalies.push_back(std::move(a));
    return m_result.anomalies.back();
}

Anomaly& RunAnalyzer::emit(Detector detector, std::string ruleId, Severity severity, const StepInput* step,
                           std::string key)
{
    Anomaly a;
    a.detector = detector;
    a.ruleId = std::move(ruleId);
    a.key = std::move(key);
    if (step) {
        a.stepIndex = step->facts->step;
        a.time = std::string(step->time);
        a.witness.push_back(step->where);
        a.witness.back().stepIndex = step->facts->step;
    }
    return add(std::move(a), severity);
}

Anomaly& RunAnalyzer::emitAt(Detector detector, std::string ruleId, Severity severity, const KeptStep& step,
                             std::string key)
{
    Anomaly a;
    a.detector = detector;
    a.ruleId = std::move(ruleId);
    a.key = std::move(key);
    a.stepIndex = step.facts.step;
    a.time = step.time;
    a.witness.push_back(step.where);
    a.witness.back().stepIndex = step.facts.step;
    return add(std::move(a), severity);
}

std::vector<Anomaly> RunAnalyzer::takeNew()
{
    std::vector<Anomaly> out(m_result.anomalies.begin() + static_cast<std::ptrdiff_t>(m_reported),
                             m_result.anomalies.end());
    m_reported = m_result.anomalies.size();
    return out;
}

} // namespace rw::analysis
