// exfiltration.yaml: what a large read and an external write are, which
// sequences of them are staged exfiltration, and the allowed exceptions
// (reference §3.7).
#include "replay/analysis/configchecker.h"
#include "replay/analysis/configloader.h"
#include "replay/analysis/configvalues.h"

#include <algorithm>
#include <set>

namespace rw::analysis {

namespace {

void readLargeRead(ConfigChecker& c, const YamlNode& n, LargeReadRule& rule)
{
    rule = {};
    if (!c.optionalMapping(n, "large_read"))
        return;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "tools")
            c.assign(rule.tools, c.strings(value, "large_read.tools"));
        else if (k == "result_bytes")
            c.assign(rule.resultBytes, c.word(value, "large_read.result_bytes", bytesFromText));
        else if (k == "result_rows")
            c.assign(rule.resultRows, c.word(value, "large_read.result_rows", rowsFromText));
        else
            c.unknownKey(key, {"tools", "result_bytes", "result_rows"}, "large_read");
    }
}

void readExternalWrite(ConfigChecker& c, const YamlNode& n, ExternalWriteRule& rule)
{
    rule = {};
    if (!c.optionalMapping(n, "external_write"))
        return;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "tools")
            c.assign(rule.tools, c.strings(value, "external_write.tools"));
        else if (k == "destination_params")
            c.assign(rule.destinationParams, c.strings(value, "external_write.destination_params"));
        else
            c.unknownKey(key, {"tools", "destination_params"}, "external_write");
    }
}

void readWithin(ConfigChecker& c, const YamlNode& n, ExfilSequence& sequence)
{
    if (!c.mapping(n, "within"))
        return;
    for (const auto& [key, value] : n.entries) {
        if (key.value == "steps")
            c.assign(sequence.withinSteps, c.integer(value, "within.steps", 1));
        else if (key.value == "time")
            c.assign(sequence.withinUs, c.word(value, "within.time", durationFromText));
        else
            c.unknownKey(key, {"steps", "time"}, "within");
    }
}

// false when an entry is not a step name (so that the check of the
// sequence as a whole does not pile on)
bool readSteps(ConfigChecker& c, const YamlNode& n, ExfilSequence& sequence)
{
    bool ok = true;
    for (std::size_t i = 0; i < n.items.size(); ++i) {
        std::optional<SequenceStep> step =
            c.word(n.items[i], "steps[" + std::to_string(i) + "]", sequenceStepFromText);
        ok = ok && step.has_value();
        if (step)
            sequence.steps.push_back(std::move(*step));
    }
    return ok;
}

std::optional<ExfilSequence> readSequence(ConfigChecker& c, const YamlNode& n)
{
    if (!c.entryMapping(n, "sequences"))
        return std::nullopt;
    ExfilSequence sequence;
    bool haveId = false;
    const YamlNode* steps = nullptr;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "id") {
            haveId = true;
            c.assign(sequence.id, c.string(value, k));
        } else if (k == "steps") {
            steps = &value;
        } else if (k == "within") {
            readWithin(c, value, sequence);
        } else if (k == "destination") {
            c.assign(sequence.untrustedOnly, c.word(value, k, untrustedOnlyFromWord));
        } else if (k == "severity") {
            c.assign(sequence.severity, c.word(value, k, severityFromWord));
        } else {
            c.unknownKey(key, {"id", "steps", "within", "destination", "severity"}, "a sequence");
        }
    }
    if (!haveId)
        c.error(n, "a sequence needs an 'id'");
    if (!steps)
        c.error(n, "a sequence needs 'steps', a list such as [large_read, \"encode?\", external_write]");
    else if (c.optionalList(*steps, "steps") && readSteps(c, *steps, sequence) &&
             std::none_of(sequence.steps.begin(), sequence.steps.end(),
                          [](const SequenceStep& s) { return !s.optional; }))
        c.error(*steps, "sequence '" + sequence.id + "' needs a step that is not optional");
    return sequence;
}

std::optional<ExfilAllow> readAllow(ConfigChecker& c, const YamlNode& n)
{
    if (!c.entryMapping(n, "allow"))
        return std::nullopt;
    ExfilAllow allow;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "id") {
            c.assign(allow.id, c.string(value, k));
        } else if (k == "agent") {
            c.assign(allow.agent, c.string(value, k));
        } else if (k == "destination") {
            c.assign(allow.destination, c.string(value, k));
        } else if (k == "hours") {
            if (const auto hours = c.word(value, k, hoursFromText)) {
                allow.fromMinute = hours->first;
                allow.toMinute = hours->second;
            }
        } else {
            c.unknownKey(key, {"id", "agent", "destination", "hours"}, "an allow entry");
        }
    }
    if (allow.id.empty())
        c.error(n, "an allow entry needs an 'id' (reports name the exemption used)");
    else if (allow.agent.empty() && allow.destination.empty() && allow.fromMinute < 0)
        c.warning(n, "allow entry '" + allow.id +
                         "' gives no agent, destination or hours: it exempts every sequence");
    return allow;
}

// the entries of a list section, each read by `read`, with ids given once
template <class T>
void readList(ConfigChecker& c, const YamlNode& n, const std::string& what, std::vector<T>& out,
              std::optional<T> (*read)(ConfigChecker&, const YamlNode&))
{
    out.clear();
    if (!c.optionalList(n, what))
        return;
    std::set<std::string> ids;
    for (const YamlNode& item : n.items) {
        std::optional<T> entry = read(c, item);
        if (!entry)
            continue;
        if (!entry->id.empty() && !ids.insert(entry->id).second)
            c.error(item, "id '" + entry->id + "' is used twice in '" + what + "'");
        out.push_back(std::move(*entry));
    }
}

// yaml-cpp ends a plain scalar at '?' inside [ ], so the reference's own
// [large_read, encode?, external_write] is a syntax error ("unknown token")
// that does not say what to do; point at the step and say it.
void hintOptionalStepInFlow(ConfigChecker& c, std::string_view bytes)
{
    for (std::size_t i = 1; i + 1 < bytes.size(); ++i) {
        const char before = bytes[i - 1];
        const bool word = (before >= 'a' && before <= 'z') || before == '_';
        if (bytes[i] == '?' && word && (bytes[i + 1] == ',' || bytes[i + 1] == ']')) {
            const auto [line, column] = textPosition(bytes, i);
            c.add(BundleDiagnostic::Level::Error, line, column,
                  "inside [ ], write an optional step in quotes (\"encode?\"): YAML ends a plain word at '?' "
                  "there");
            return;
        }
    }
}

} // namespace

std::optional<ExfilRules> parseExfilRules(std::string_view bytes, const std::string& file,
                                          std::vector<BundleDiagnostic>& diagnostics)
{
    ConfigChecker c(file, diagnostics);
    const std::optional<YamlNode> root = c.mappingRoot(bytes, "an exfiltration ruleset");
    if (!root) {
        hintOptionalStepInFlow(c, bytes);
        return std::nullopt;
    }
    // as in analysis.yaml: a section left out keeps the built-in one
    ExfilRules rules = defaultExfilRules();
    rules.source = c.source(bytes);
    for (const auto& [key, value] : root->entries) {
        const std::string& k = key.value;
        if (k == "large_read")
            readLargeRead(c, value, rules.largeRead);
        else if (k == "external_write")
            readExternalWrite(c, value, rules.externalWrite);
        else if (k == "encode")
            rules.encode = c.text(value, k).value_or(ConfigText{});
        else if (k == "sequences")
            readList(c, value, k, rules.sequences, readSequence);
        else if (k == "allow")
            readList(c, value, k, rules.allow, readAllow);
        else
            c.unknownKey(key, {"large_read", "external_write", "encode", "sequences", "allow"},
                         "the exfiltration ruleset");
    }
    if (c.failed())
        return std::nullopt;
    return rules;
}

std::optional<ExfilRules> loadExfilRules(const std::string& path, std::vector<BundleDiagnostic>& diagnostics)
{
    return loadConfigFile(path, diagnostics, parseExfilRules);
}

} // namespace rw::analysis
