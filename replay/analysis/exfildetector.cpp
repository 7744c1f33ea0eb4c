// data_exfiltration (reference §3.7): steps are classed as large reads (a
// read tool whose result is at least result_bytes or result_rows), encodings
// (the `encode` expression) and external writes (a write tool with a
// destination). An external write completes a sequence when a large read
// (and, if the sequence requires it, an encoding) came before it within the
// sequence's steps and time; a sequence limited to untrusted destinations
// needs one outside networks.trusted. Of the sequences a write completes the
// most severe is reported, at the write; an allow-list entry (agent,
// destination, hours) turns it into INFO with the entry's id.
#include "replay/analysis/compiledrules.h"
#include "replay/analysis/detectors.h"

#include "model/querylexer.h"

#include <optional>

namespace rw::analysis {

namespace {

struct Mark
{
    std::int64_t step = -1;
    std::int64_t timeUs = 0;
    std::string tool;
    std::int64_t bytes = -1;
    std::int64_t rows = -1;
    Witness where;
};

bool withinSequence(const ExfilSequence& s, const Mark& m, const StepInput& write)
{
    if (m.step < 0)
        return false;
    if (s.withinSteps > 0 && write.facts->step - m.step > s.withinSteps)
        return false;
    return s.withinUs <= 0 || write.timeUs - m.timeUs <= s.withinUs;
}

bool needs(const ExfilSequence& s, std::string_view name)
{
    for (const SequenceStep& step : s.steps)
        if (step.name == name && !step.optional)
            return true;
    return false;
}

class ExfilDetector : public RunDetector
{
public:
    void begin(RunAnalyzer&) override
    {
        m_read = Mark{};
        m_encode = Mark{};
    }

    void step(RunAnalyzer& run, StepInput& in) override
    {
        const CompiledRules& rules = run.rules();
        const ExfilRules& exfil = run.config().exfil;
        const StepFacts& f = *in.facts;
        if (f.tool.empty())
            return;
        if (rules.largeReadTools.matches(f.tool) &&
            ((exfil.largeRead.resultBytes >= 0 && in.resultBytes >= exfil.largeRead.resultBytes) ||
             (exfil.largeRead.resultRows >= 0 && in.resultRows >= exfil.largeRead.resultRows)))
            m_read = Mark{f.step, in.timeUs, std::string(f.tool), in.resultBytes, in.resultRows, in.where};
        if (!rules.encode.isEmpty() && rules.encode.matches(f)) {
            m_encode = Mark{f.step, in.timeUs, std::string(f.tool), -1, -1, in.where};
            return;
        }
        if (f.destinations.empty())
            return; // no external write (the classifier gives destinations to write tools only)
        const ExfilSequence* best = nullptr;
        for (const ExfilSequence& s : exfil.sequences) {
            if (s.untrustedOnly && !f.untrustedDestination)
                continue;
            if (needs(s, "large_read") && !withinSequence(s, m_read, in))
                continue;
            if (needs(s, "encode") && (!withinSequence(s, m_encode, in) || m_encode.step < m_read.step))
                continue;
            if (!best || s.severity > best->severity)
                best = &s;
        }
        if (!best)
            return;
        // the destination that makes it matter: the first untrusted one
        std::string destination(f.destinations.front());
        for (const std::string_view d : f.destinations)
            if (!rules.classifier.trusts(d)) {
                destination = std::string(d);
                break;
            }
        const ExfilAllow* allow = allowed(exfil, f, destination, in.timeUs);
        Anomaly a;
        a.detector = Detector::DataExfiltration;
        a.ruleId = "exfil." + best->id;
        a.key = best->id + '|' + destination;
        a.stepIndex = f.step;
        a.time = std::string(in.time);
        const bool encoded = withinSequence(*best, m_encode, in) && m_encode.step >= m_read.step;
        for (const Mark* m : {&m_read, encoded ? &m_encode : nullptr})
            if (m && m->step >= 0) {
                a.witness.push_back(m->where);
                a.witness.back().stepIndex = m->step;
            }
        a.witness.push_back(in.where);
        a.witness.back().stepIndex = f.step;
        a.context["sequence"] = best->id;
        a.context["read_step"] = m_read.step >= 0 ? nlohmann::ordered_json(m_read.step) : nlohmann::ordered_json();
        a.context["read_tool"] = m_read.tool;
        a.context["read_bytes"] = m_read.bytes;
        a.context["read_rows"] = m_read.rows;
        a.context["encode_step"] = encoded ? nlohmann::ordered_json(m_encode.step) : nlohmann::ordered_json();
        a.context["write_tool"] = std::string(f.tool);
        a.context["destination"] = destination;
        a.context["trusted"] = !f.untrustedDestination;
        a.context["allow_id"] = allow ? nlohmann::ordered_json(allow->id) : nlohmann::ordered_json();
        run.emitFilled(std::move(a), allow ? Severity::Info : best->severity);
    }

private:
    static const ExfilAllow* allowed(const ExfilRules& exfil, const StepFacts& f, const std::string& destination,
                                     std::int64_t timeUs)
    {
        for (const ExfilAllow& allow : exfil.allow) {
            if (!allow.agent.empty() && !GlobMatcher(querylex::lowered(allow.agent)).matches(f.agent))
                continue;
            if (!allow.destination.empty() && !GlobMatcher(querylex::lowered(allow.destination)).matches(destination))
                continue;
            if (allow.fromMinute >= 0) {
                const std::int64_t minute = ((timeUs / 60'000'000) % 1440 + 1440) % 1440;
                const bool inside = allow.fromMinute <= allow.toMinute
                                        ? minute >= allow.fromMinute && minute < allow.toMinute
                                        : minute >= allow.fromMinute || minute < allow.toMinute;
                if (!inside)
                    continue;
            }
            return &allow;
        }
        return nullptr;
    }

    Mark m_read;
    Mark m_encode;
};

} // namespace

std::unique_ptr<RunDetector> makeExfilDetector() { return std::make_unique<ExfilDetector>(); }

} // namespace rw::analysis
