#include "replay/analysis/compiledrules.h"

#include "model/querylexer.h"

namespace rw::analysis {

namespace {

std::string lower(std::string_view s) { return querylex::lowered(s); }

std::vector<std::string> splitBars(const std::string& globs)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t bar = globs.find('|', start);
        out.push_back(globs.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos)
            return out;
        start = bar + 1;
    }
}

// Short words for a configuration diagnostic, as the policy bundles' own
// diagnostics are worded in their loader; the filter bar's longer wording is
// app/text's queryErrorText.
const char* problemOf(QueryErrorCode code)
{
    switch (code) {
    case QueryErrorCode::None: return "no error";
    case QueryErrorCode::UnterminatedQuote: return "unterminated quote";
    case QueryErrorCode::UnexpectedToken: return "unexpected";
    case QueryErrorCode::MissingValue: return "a value is missing";
    case QueryErrorCode::UnknownField: return "unknown field";
    case QueryErrorCode::OperatorNotAllowed: return "operator not allowed here";
    case QueryErrorCode::BadNumber: return "not a number";
    case QueryErrorCode::BadTime: return "not a time";
    case QueryErrorCode::BadDuration: return "not a duration";
    case QueryErrorCode::UnbalancedParenthesis: return "unbalanced parenthesis";
    case QueryErrorCode::EmptyGroup: return "empty parentheses";
    case QueryErrorCode::TooDeep: return "nested too deeply";
    case QueryErrorCode::TooLong: return "too long";
    case QueryErrorCode::TooManyTerms: return "too many terms";
    case QueryErrorCode::BadRegex: return "not a regular expression RE2 accepts";
    case QueryErrorCode::NotAStepField: return "a trace field, not a step field";
    case QueryErrorCode::UnknownVariable: return "unknown variable";
    case QueryErrorCode::BadBool: return "not true or false";
    case QueryErrorCode::VariableNotHere: return "variables belong to analysis rules";
    }
    return "error";
}

} // namespace

GlobList::GlobList(const std::vector<std::string>& patterns)
{
    for (const std::string& p : patterns)
        m_globs.emplace_back(lower(p));
}

bool GlobList::matches(std::string_view text) const
{
    for (const GlobMatcher& g : m_globs)
        if (g.matches(text))
            return true;
    return false;
}

ProfileClassifier::ProfileClassifier(const AnalysisProfile& profile, const ExfilRules& exfil)
    : m_writeTools(exfil.externalWrite.tools), m_destinationParams(exfil.externalWrite.destinationParams),
      m_trusted(profile.trustedNetworks)
{
    for (const ActionType& t : profile.actionTypes) {
        Type type{t.name, GlobList(t.actions), GlobList(t.permissions), GlobList(t.tools), {}};
        for (const ParamPattern& p : t.params)
            type.params.emplace_back(p.key, GlobList(splitBars(p.globs)));
        m_types.push_back(std::move(type));
    }
    for (const Environment& e : profile.environments) {
        Env env{e.name, GlobList(e.hosts), e.params, {}};
        for (const std::string& v : e.values)
            env.values.push_back(lower(v));
        m_envs.push_back(std::move(env));
    }
}

void ProfileClassifier::classify(const StepFacts& f, Out out) const
{
    for (const Type& t : m_types) {
        bool is = (!f.action.empty() && t.actions.matches(f.action)) || (!f.tool.empty() && t.tools.matches(f.tool));
        for (std::size_t i = 0; !is && i < f.permissions.size(); ++i)
            is = t.permissions.matches(f.permissions[i]);
        for (const auto& [key, globs] : t.params) {
            if (is)
                break;
            bool found = false;
            const std::string_view v = f.param(key, &found);
            is = found && globs.matches(v);
        }
        if (is)
            out.actionTypes.push_back(t.name);
    }
    for (const Env& e : m_envs) {
        bool is = false;
        for (std::size_t i = 0; !is && i < e.params.size(); ++i) {
            bool found = false;
            const std::string_view v = f.param(e.params[i], &found);
            is = found && (e.hosts.matches(v) || std::any_of(e.values.begin(), e.values.end(), [&](const std::string& w) {
                               return w.size() == v.size() && std::equal(w.begin(), w.end(), v.begin(), [](char a, char b) {
                                          return a == asciiLower(b);
                                      });
                           }));
        }
        if (is)
            out.environments.push_back(e.name);
    }
    // only steps that send somewhere have destinations: `host` of an ssh.exec is no exfiltration target
    if (f.tool.empty() || !m_writeTools.matches(f.tool))
        return;
    for (const std::string& key : m_destinationParams) {
        bool found = false;
        const std::string_view v = f.param(key, &found);
        if (found)
            extractDestinations(v, out.destinations);
    }
    for (const std::string& d : out.destinations) {
        if (m_trusted.trusts(d))
            out.trusted = true;
        else
            out.untrusted = true;
    }
}

CompiledRules::CompiledRules(const AnalysisConfig& c, std::vector<BundleDiagnostic>& diagnostics)
    : config(c), classifier(c.profile, c.exfil), largeReadTools(c.exfil.largeRead.tools)
{
    for (const PermissionRisk& r : c.profile.permissionRisk)
        permissionRisk.emplace_back(GlobMatcher(lower(r.pattern)), r.risk);
    std::map<std::string, std::size_t> sequenceIndex; // named path -> into `sequences`
    for (const auto& [named, profile] : c.sequenceProfiles) {
        CompiledSequence& seq = sequences.emplace_back();
        seq.profile = &profile;
        seq.agent = GlobMatcher(lower(profile.agent.empty() ? std::string("*") : profile.agent));
        for (const auto& [transition, count] : profile.transitions)
            seq.outgoing[transition.substr(0, transition.find('|'))] += count;
        sequenceIndex.emplace(named, sequences.size() - 1);
    }
    for (const AgentProfile& a : c.profile.agents) {
        CompiledAgent agent;
        agent.profile = &a;
        agent.match = GlobMatcher(lower(a.match.text));
        agent.baseline = GlobList(a.baselineGrant);
        agent.approvable = GlobList(a.approvable);
        if (const auto it = sequenceIndex.find(a.sequenceProfile); !a.sequenceProfile.empty() && it != sequenceIndex.end())
            agent.sequence = &sequences[it->second]; // `sequences` is complete: the address holds
        agents.push_back(std::move(agent));
    }
    const std::string exfilFile = c.exfil.source.path.empty() ? std::string("exfiltration rules") : c.exfil.source.path;
    encode = compileExpression(c.exfil.encode, exfilFile, "encode", diagnostics);
    for (const BehaviourPolicy& p : c.policies) {
        CompiledPolicy policy;
        policy.policy = &p;
        const std::string& file = p.source.path;
        // applies_to is about the run's agent: the filter language's step scope covers it (agent:)
        policy.appliesTo = compileExpression(p.appliesTo, file, "applies_to", diagnostics);
        for (const PolicyCheck& check : p.checks) {
            CompiledCheck cc;
            cc.check = &check;
            for (const Prohibition& pr : check.prohibit)
                cc.prohibitWhen.push_back(compileExpression(pr.when, file, check.id + ".prohibit.when", diagnostics));
            cc.when = compileExpression(check.when, file, check.id + ".when", diagnostics);
            cc.require = compileExpression(check.require, file, check.id + ".require", diagnostics);
            cc.precededBy = compileExpression(check.precededBy, file, check.id + ".preceded_by", diagnostics);
            cc.followedBy = compileExpression(check.followedBy, file, check.id + ".followed_by", diagnostics);
            cc.review = compileExpression(check.review, file, check.id + ".review", diagnostics);
            if (!check.precededBy.empty())
                historyNeeded = std::max<std::size_t>(historyNeeded, check.withinSteps > 0 ? check.withinSteps : 4096);
            policy.checks.push_back(std::move(cc));
        }
        policies.push_back(std::move(policy));
    }
}

StepQuery CompiledRules::compileExpression(const ConfigText& text, const std::string& file, const std::string& what,
                                           std::vector<BundleDiagnostic>& diagnostics) const
{
    QueryError error;
    StepQuery q = StepQuery::parse(text.text, &error);
    if (error.code != QueryErrorCode::None) {
        // the column of the character at fault: the scalar's column, past its opening quote when quoted
        const int column = text.column + static_cast<int>(error.position);
        diagnostics.push_back({file, text.line, column, BundleDiagnostic::Level::Error,
                               "in '" + what + "': " + std::string(problemOf(error.code)) +
                                   (error.token.empty() ? std::string() : " '" + error.token + "'") +
                                   (error.detail.empty() ? std::string() : " (" + error.detail + ")") + " at character " +
                                   std::to_string(error.position + 1) + " of '" + text.text + "'"});
    }
    return q;
}

const CompiledSequence* CompiledRules::sequenceFor(const CompiledAgent* agent, std::string_view agentId) const
{
    if (agent && agent->sequence)
        return agent->sequence;
    for (const CompiledSequence& s : sequences)
        if (s.agent.matches(agentId))
            return &s;
    return nullptr;
}

const CompiledAgent* CompiledRules::agentFor(std::string_view agentId, std::string_view agentName) const
{
    for (const CompiledAgent& a : agents)
        if ((!agentId.empty() && a.match.matches(agentId)) || (!agentName.empty() && a.match.matches(agentName)))
            return &a;
    return nullptr;
}

Severity CompiledRules::severity(const std::string& ruleId, Severity fallback) const
{
    const auto it = config.profile.severityOverrides.find(ruleId);
    return it == config.profile.severityOverrides.end() ? fallback : it->second;
}

Severity CompiledRules::risk(std::string_view permission) const
{
    for (const auto& [glob, risk] : permissionRisk)
        if (glob.matches(permission))
            return risk;
    return Severity::Info;
}

} // namespace rw::analysis
