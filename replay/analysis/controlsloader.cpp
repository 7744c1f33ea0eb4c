#include "replay/analysis/configchecker.h"
#include "replay/analysis/controls.h"

#include <set>

namespace rw::analysis {

namespace {

std::optional<ControlEvidence> readEvidence(ConfigChecker& c, const YamlNode& n, const std::string& where)
{
    const std::optional<std::string> text = c.string(n, where);
    if (!text)
        return std::nullopt;
    const std::size_t colon = text->find(':');
    const std::string kind = colon == std::string::npos ? std::string() : text->substr(0, colon);
    const std::string rest = colon == std::string::npos ? std::string() : text->substr(colon + 1);
    ControlEvidence e;
    e.text = *text;
    e.pattern = rest;
    if (kind == "detector") {
        e.kind = ControlEvidence::Kind::Detector;
    } else if (kind == "rule") {
        e.kind = ControlEvidence::Kind::Rule;
    } else if (kind == "policy") {
        e.kind = ControlEvidence::Kind::Policy;
        const std::size_t slash = rest.find('/');
        e.pattern = rest.substr(0, slash);
        e.check = slash == std::string::npos ? std::string("*") : rest.substr(slash + 1);
    } else if (kind == "fleet" || kind == "heatmap") {
        e.kind = ControlEvidence::Kind::Fleet;
        if (rest != "over_provisioned" && rest != "frequent_escalations") {
            c.error(n, "'" + where + "': " + kind + ": takes over_provisioned or frequent_escalations, got '" + rest + "'");
            return std::nullopt;
        }
    } else {
        c.error(n, "'" + where + "' is '" + *text +
                       "': evidence is detector:NAME, rule:RULE_ID, policy:POLICY/CHECK or fleet:over_provisioned | "
                       "fleet:frequent_escalations");
        return std::nullopt;
    }
    if (e.pattern.empty() || (e.kind == ControlEvidence::Kind::Policy && e.check.empty())) {
        c.error(n, "'" + where + "' names nothing after '" + kind + ":'");
        return std::nullopt;
    }
    return e;
}

std::optional<Control> readControl(ConfigChecker& c, const YamlNode& n, std::size_t index)
{
    const std::string where = "controls[" + std::to_string(index) + "]";
    if (!c.entryMapping(n, "controls"))
        return std::nullopt;
    Control control;
    bool hasId = false;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "id") {
            hasId = true;
            ConfigChecker::assign(control.id, c.string(value, where + ".id"));
        } else if (k == "title") {
            ConfigChecker::assign(control.title, c.string(value, where + ".title"));
        } else if (k == "framework") {
            ConfigChecker::assign(control.framework, c.string(value, where + ".framework"));
        } else if (k == "evidence") {
            if (value.kind != YamlNode::Kind::Sequence) {
                c.error(value, "'" + where + ".evidence' is a list of selectors");
                continue;
            }
            for (std::size_t i = 0; i < value.items.size(); ++i)
                if (auto e = readEvidence(c, value.items[i], where + ".evidence[" + std::to_string(i) + "]"))
                    control.evidence.push_back(std::move(*e));
        } else {
            c.unknownKey(key, {"id", "title", "framework", "evidence"}, where);
        }
    }
    if (!hasId || control.id.empty()) {
        c.error(n, "'" + where + "' has no id");
        return std::nullopt;
    }
    if (control.evidence.empty())
        c.warning(n, "control '" + control.id + "' names no evidence: it is reported as not examined");
    return control;
}

} // namespace

std::optional<ControlSet> parseControls(std::string_view bytes, const std::string& file,
                                        std::vector<BundleDiagnostic>& diagnostics)
{
    ConfigChecker c(file, diagnostics);
    const std::optional<YamlNode> root = c.mappingRoot(bytes, "a controls mapping");
    if (!root)
        return std::nullopt;
    ControlSet set;
    set.source = c.source(bytes);
    bool hasControls = false;
    for (const auto& [key, value] : root->entries) {
        const std::string& k = key.value;
        if (k == "version") {
            if (value.value != "1")
                c.error(value, "'version' is 1 (the only version there is)");
        } else if (k == "framework") {
            ConfigChecker::assign(set.framework, c.string(value, "framework"));
        } else if (k == "controls") {
            hasControls = true;
            if (value.kind != YamlNode::Kind::Sequence) {
                c.error(value, "'controls' is a list");
                continue;
            }
            std::set<std::string> ids;
            for (std::size_t i = 0; i < value.items.size(); ++i)
                if (auto control = readControl(c, value.items[i], i)) {
                    if (!ids.insert(control->id).second)
                        c.error(value.items[i], "control '" + control->id + "' is listed twice");
                    if (control->framework.empty())
                        control->framework = set.framework;
                    set.controls.push_back(std::move(*control));
                }
        } else {
            c.unknownKey(key, {"version", "framework", "controls"}, "the controls mapping");
        }
    }
    if (!hasControls)
        c.error(*root, "no 'controls' list");
    if (c.failed())
        return std::nullopt;
    return set;
}

std::optional<ControlSet> loadControls(const std::string& path, std::vector<BundleDiagnostic>& diagnostics)
{
    return loadConfigFile(path, diagnostics, parseControls);
}

} // namespace rw::analysis
