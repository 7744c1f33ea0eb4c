// unusual_tool_sequence: each tool call against the agent's sequence
// profile (reference §3.8, built by batch analysis): a tool never seen is
// WARN; a new first tool, a transition never seen, or one rarer than p_rare
// is INFO, and so is a destination class (internal: a trusted network, else
// external) the profile never counted, when it counted any. Each carries the tools of up to `context_steps` steps before it.
// A profile built from fewer than min_baseline_runs runs gives a note, not
// anomalies; without a profile the detector is silent.
#include "replay/analysis/compiledrules.h"
#include "replay/analysis/detectors.h"

#include <deque>
#include <set>

namespace rw::analysis {

namespace {

class SequenceDetector : public RunDetector
{
public:
    void begin(RunAnalyzer& run) override
    {
        m_preceding.clear();
        m_reported.clear();
        const CompiledSequence* seq = run.rules().sequenceFor(run.agent(), run.start().agentId);
        m_profile = seq ? seq->profile : nullptr;
        m_outgoing = seq ? &seq->outgoing : nullptr;
        const SequenceSettings& s = run.config().profile.sequences;
        if (m_profile && m_profile->runs < s.minBaselineRuns) {
            run.note({AnalysisNote::Code::InsufficientBaseline, Detector::UnusualToolSequence, m_profile->runs,
                      s.minBaselineRuns});
            m_profile = nullptr;
        }
    }

    void step(RunAnalyzer& run, StepInput& in) override
    {
        if (!m_profile || in.facts->tool.empty())
            return;
        const std::string tool(in.facts->tool);
        const std::string from = m_preceding.empty() ? std::string("<start>") : m_preceding.back();
        const SequenceSettings& s = run.config().profile.sequences;
        const auto context = [&](Anomaly& a) {
            a.context["tool"] = tool;
            a.context["preceding"] = std::vector<std::string>(m_preceding.begin(), m_preceding.end());
        };
        const bool newTool = !m_profile->tools.count(tool);
        if (newTool && m_reported.insert("tool|" + tool).second) {
            context(run.emit(Detector::UnusualToolSequence, "sequence.new-tool", Severity::Warn, &in, tool));
        } else if (!newTool && m_preceding.empty() && !m_profile->firstTools.count(tool)) {
            context(run.emit(Detector::UnusualToolSequence, "sequence.new-first-tool", Severity::Info, &in, tool));
        } else if (!newTool && !m_preceding.empty()) {
            const std::string key = from + '|' + tool;
            const auto it = m_profile->transitions.find(key);
            const std::int64_t count = it == m_profile->transitions.end() ? 0 : it->second;
            const auto total = m_outgoing->find(from);
            const double p = total == m_outgoing->end() || total->second == 0
                                 ? 0.0
                                 : static_cast<double>(count) / static_cast<double>(total->second);
            if (m_reported.insert("transition|" + key).second) {
                if (count == 0) {
                    Anomaly& a = run.emit(Detector::UnusualToolSequence, "sequence.new-transition", Severity::Info,
                                          &in, key);
                    context(a);
                    a.context["from"] = from;
                } else if (p < s.rareProbability) {
                    Anomaly& a = run.emit(Detector::UnusualToolSequence, "sequence.rare-transition", Severity::Info,
                                          &in, key);
                    context(a);
                    a.context["from"] = from;
                    a.context["probability"] = p;
                }
            }
        }
        // a class of destination the agent never wrote to (a profile that counted destinations)
        if (!m_profile->destinations.empty())
            for (const std::string_view d : in.facts->destinations) {
                const std::string cls = run.rules().classifier.trusts(d) ? "internal" : "external";
                if (!m_profile->destinations.count(cls) && m_reported.insert("destination|" + cls).second) {
                    Anomaly& a = run.emit(Detector::UnusualToolSequence, "sequence.new-destination-class",
                                          Severity::Info, &in, cls);
                    context(a);
                    a.context["destination"] = std::string(d);
                    a.context["class"] = cls;
                }
            }
        m_preceding.push_back(tool);
        while (static_cast<int>(m_preceding.size()) > std::max(1, s.contextSteps))
            m_preceding.pop_front();
    }

private:
    const SequenceProfile* m_profile = nullptr;
    const std::map<std::string, std::int64_t>* m_outgoing = nullptr;
    std::deque<std::string> m_preceding;
    std::set<std::string> m_reported;
};

} // namespace

std::unique_ptr<RunDetector> makeSequenceDetector() { return std::make_unique<SequenceDetector>(); }

} // namespace rw::analysis
