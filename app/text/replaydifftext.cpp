#include "app/text/replaydifftext.h"

#include "app/text/terminaltext.h"

namespace rw {

namespace {

// Paths, ids, tools, agents, rule names, reasons and bundle messages come from
// audit and policy files: all of them go through the terminal writer.
std::string t(std::string_view value) { return terminalText(value); }

std::string shortHash(const std::string& sha) { return sha.substr(0, 12); }

std::string bundleLabel(const PolicyEngine& e)
{
    std::string s = t(e.policy().path) + " (sha256 " + shortHash(e.policy().sha256) + ")";
    if (e.capabilities())
        s += " + " + t(e.capabilities()->path);
    return s;
}

std::string pointWhere(const ReplayModel& m, const PointResult& p)
{
    const EventRecord& e = m.event(p.event);
    return t(m.str(e, Field::TraceId)) + " line " + std::to_string(e.line) + " " + t(m.str(e, Field::ToolName)) + " (" +
           t(m.str(e, Field::AgentName)) + ")";
}

std::string ruleText(const std::optional<std::string>& r) { return r ? t(*r) : std::string("default"); }

} // namespace

std::string bundleDiagnosticLine(const BundleDiagnostic& d)
{
    std::string out = t(d.file);
    if (d.line > 0)
        out += ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
    out += d.level == BundleDiagnostic::Level::Error ? ": error: " : ": warning: ";
    return out + t(d.message);
}

std::string replayDiffText(const ReplayDiffContext& c, const std::vector<FileDiff>& files)
{
    const ReplayDiffSummary s = mergeSummaries(files);
    std::string out = "Replay diff of";
    for (const FileDiff& f : files)
        out += " " + t(f.model->path()) + " (sha256 " + shortHash(f.model->sha256()) + ")";
    out += "\n";
    out += "  before: " + (c.baseline ? bundleLabel(*c.baseline) : std::string("the recorded decisions")) + "\n";
    out += "  after:  " + bundleLabel(*c.after) + "\n";
    if (c.traceId)
        out += "  trace:  " + t(*c.traceId) + "\n";
    out += "decision points: " + std::to_string(s.decisionPoints) + "  changed: " + std::to_string(s.changed) +
           "  unchanged: " + std::to_string(s.unchanged) + "  not replayable: " + std::to_string(s.notReplayable) + "\n";
    if (!s.flips.empty()) {
        out += "flips:";
        for (const auto& [k, v] : s.flips)
            out += " " + t(k) + " " + std::to_string(v) + ",";
        out.back() = '\n';
    }
    if (s.changed > 0) {
        out += "changes:\n";
        for (const FileDiff& f : files)
        for (const PointResult& p : f.result.points) {
            const ReplayModel& m = *f.model;
            if (!p.replayable() || !p.changed)
                continue;
            const DecisionSnapshot before = beforeSnapshot(m, p, c.baseline);
            const PolicyOutcome after = afterOutcome(m, p, *c.after);
            out += "  " + pointWhere(m, p) + ": " + t(before.decision) + " -> " + t(after.decision) + "\n";
            out += "      before: " + ruleText(before.matchedRule) + " \"" + t(before.reason) + "\"\n";
            out += "      after:  " + ruleText(after.matchedRule) + " \"" + t(after.reason) + "\" (control: " +
                   controlName(after.control) + ")\n";
        }
    }
    if (s.notReplayable > 0) {
        out += "not replayable:\n";
        for (const FileDiff& f : files)
        for (const PointResult& p : f.result.points) {
            const ReplayModel& m = *f.model;
            if (p.replayable())
                continue;
            std::string missing;
            for (const std::string& fact : missingFactNames(p.missing))
                missing += (missing.empty() ? "" : ", ") + t(fact);
            out += "  " + pointWhere(m, p) + ": missing " + missing + "\n";
        }
    }
    if (!s.rulesNeverFired.empty()) {
        out += "rules of the new bundle that never fired:";
        for (const std::string& rule : s.rulesNeverFired)
            out += " " + t(rule);
        out += "\n";
    }
    if (s.capabilityGateSkipped > 0)
        out += "note: " + std::to_string(s.capabilityGateSkipped) +
               " decision point(s) carried capabilities, but no capability bundle was given (--capabilities): "
               "the capability gate was not evaluated for them\n";
    return out;
}

std::string policyDecisionsText(const ReplayDiffContext& c, const std::vector<FileDiff>& files)
{
    const ReplayDiffSummary s = mergeSummaries(files);
    std::string out = "Decisions of";
    for (const FileDiff& f : files)
        out += " " + t(f.model->path());
    out += " under " + bundleLabel(*c.after) + "\n";
    for (const FileDiff& f : files)
    for (const PointResult& p : f.result.points) {
        const ReplayModel& m = *f.model;
        out += "  " + pointWhere(m, p) + ": recorded " + t(beforeDecision(m, p));
        if (!p.replayable()) {
            std::string missing;
            for (const std::string& fact : missingFactNames(p.missing))
                missing += (missing.empty() ? "" : ", ") + t(fact);
            out += ", not replayable (missing " + missing + ")\n";
            continue;
        }
        const PolicyOutcome after = afterOutcome(m, p, *c.after);
        out += ", policy " + t(after.decision) + (p.changed ? " (changed)" : "") + " — " + ruleText(after.matchedRule) +
               ": " + t(after.reason) + "\n";
    }
    out += std::to_string(s.decisionPoints) + " decision point(s), " + std::to_string(s.changed) + " differ from the log\n";
    return out;
}

} // namespace rw
