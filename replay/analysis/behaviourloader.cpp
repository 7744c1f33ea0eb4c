// behaviour/*.yaml: named behavioural policies and their checks (reference
// §3.5, plus review and advice). One file is one policy; a folder is read in
// name order and an id may be given once.
#include "replay/analysis/configchecker.h"
#include "replay/analysis/configloader.h"
#include "replay/analysis/configvalues.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace rw::analysis {

namespace {

std::optional<Prohibition> readProhibition(ConfigChecker& c, const YamlNode& n)
{
    if (!c.entryMapping(n, "prohibit"))
        return std::nullopt;
    Prohibition p;
    bool haveWhen = false;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "text") {
            c.assign(p.text, c.string(value, "prohibit.text"));
        } else if (k == "when") {
            haveWhen = true;
            c.assign(p.when, c.text(value, "prohibit.when"));
        } else if (k == "severity") {
            c.assign(p.severity, c.word(value, "prohibit.severity", severityFromWord));
        } else {
            c.unknownKey(key, {"text", "when", "severity"}, "a prohibit entry");
        }
    }
    if (!haveWhen)
        c.error(n, "a prohibit entry needs 'when' (the steps it forbids)");
    return p;
}

// the keys of a check and, for the order clauses, what they need
void checkClauses(ConfigChecker& c, const YamlNode& n, const PolicyCheck& check, const YamlNode* within)
{
    const bool order = !check.precededBy.empty() || !check.followedBy.empty();
    if (check.prohibit.empty() && check.require.empty() && !order && check.review.empty())
        c.error(n, "check '" + check.id +
                       "' checks nothing: give prohibit, require, preceded_by, followed_by or review");
    if (within && !order)
        c.warning(*within, "'within_steps' of check '" + check.id +
                               "' bounds preceded_by or followed_by, and the check has neither (ignored)");
}

std::optional<PolicyCheck> readCheck(ConfigChecker& c, const YamlNode& n)
{
    if (!c.entryMapping(n, "checks"))
        return std::nullopt;
    PolicyCheck check;
    check.line = n.line;
    bool haveId = false;
    const YamlNode* within = nullptr;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "id") {
            haveId = true;
            c.assign(check.id, c.string(value, k));
        } else if (k == "title") {
            c.assign(check.title, c.string(value, k));
        } else if (k == "prohibit") {
            if (c.optionalList(value, k))
                for (const YamlNode& item : value.items)
                    if (std::optional<Prohibition> p = readProhibition(c, item))
                        check.prohibit.push_back(std::move(*p));
        } else if (k == "when") {
            c.assign(check.when, c.text(value, k));
        } else if (k == "require") {
            c.assign(check.require, c.text(value, k));
        } else if (k == "preceded_by") {
            c.assign(check.precededBy, c.text(value, k));
        } else if (k == "followed_by") {
            c.assign(check.followedBy, c.text(value, k));
        } else if (k == "within_steps") {
            within = &key;
            c.assign(check.withinSteps, c.integer(value, k, 1));
        } else if (k == "review") {
            c.assign(check.review, c.text(value, k));
        } else if (k == "severity") {
            c.assign(check.severity, c.word(value, k, severityFromWord));
        } else if (k == "advice") {
            c.assign(check.advice, c.string(value, k));
        } else {
            c.unknownKey(key,
                         {"id", "title", "prohibit", "when", "require", "preceded_by", "followed_by",
                          "within_steps", "review", "severity", "advice"},
                         "a check");
        }
    }
    if (!haveId) {
        c.error(n, "a check needs an 'id'");
        return std::nullopt;
    }
    checkClauses(c, n, check, within);
    return check;
}

void readChecks(ConfigChecker& c, const YamlNode& n, BehaviourPolicy& policy)
{
    if (!c.optionalList(n, "checks"))
        return;
    std::set<std::string> ids;
    for (const YamlNode& item : n.items) {
        std::optional<PolicyCheck> check = readCheck(c, item);
        if (!check)
            continue;
        if (!check->id.empty() && !ids.insert(check->id).second)
            c.error(item, "check id '" + check->id + "' is used twice in policy '" + policy.id + "'");
        policy.checks.push_back(std::move(*check));
    }
}

// where a policy's id stands (line 0: not given), for the folder's duplicate check
struct IdPosition
{
    int line = 0;
    int column = 0;
};

// parseBehaviourPolicy, and where its id stands
std::optional<BehaviourPolicy> readPolicy(std::string_view bytes, const std::string& file,
                                          std::vector<BundleDiagnostic>& diagnostics, IdPosition& idAt)
{
    ConfigChecker c(file, diagnostics);
    const std::optional<YamlNode> root = c.mappingRoot(bytes, "a behavioural policy");
    if (!root)
        return std::nullopt;
    BehaviourPolicy policy;
    policy.source = c.source(bytes);
    const YamlNode* checks = nullptr;
    for (const auto& [key, value] : root->entries) {
        const std::string& k = key.value;
        if (k == "id") {
            idAt = {value.line, value.column};
            c.assign(policy.id, c.string(value, k));
        } else if (k == "name") {
            c.assign(policy.name, c.string(value, k));
        } else if (k == "applies_to") {
            c.assign(policy.appliesTo, c.text(value, k));
        } else if (k == "checks") {
            checks = &value;
        } else {
            c.unknownKey(key, {"id", "name", "applies_to", "checks"}, "the behavioural policy");
        }
    }
    if (checks)
        readChecks(c, *checks, policy); // after the id, which messages name
    if (idAt.line == 0)
        c.add(BundleDiagnostic::Level::Error, 1, 1, "a behavioural policy needs an 'id' (e.g. SOP-114)");
    if (policy.checks.empty() && !c.failed())
        c.add(BundleDiagnostic::Level::Warning, 1, 1,
              "policy '" + policy.id + "' has no checks: it always passes");
    if (c.failed())
        return std::nullopt;
    return policy;
}

// the *.yaml and *.yml files of a folder, by name; dot files (editor locks
// and backups) are left out
std::vector<std::string> policyFiles(const std::string& folder, std::vector<BundleDiagnostic>& diagnostics)
{
    std::vector<std::string> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const std::string ext = it->path().extension().string();
        if (!name.empty() && name.front() != '.' && (ext == ".yaml" || ext == ".yml"))
            files.push_back(it->path().string());
    }
    if (ec)
        diagnostics.push_back(
            {folder, 0, 0, BundleDiagnostic::Level::Error, "cannot list the folder: " + ec.message()});
    else if (files.empty())
        diagnostics.push_back({folder, 0, 0, BundleDiagnostic::Level::Warning,
                               "no behavioural policies (*.yaml, *.yml) in this folder"});
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

std::optional<BehaviourPolicy> parseBehaviourPolicy(std::string_view bytes, const std::string& file,
                                                    std::vector<BundleDiagnostic>& diagnostics)
{
    IdPosition idAt;
    return readPolicy(bytes, file, diagnostics, idAt);
}

std::vector<BehaviourPolicy> loadBehaviourPolicies(const std::string& fileOrFolder,
                                                   std::vector<BundleDiagnostic>& diagnostics)
{
    std::error_code ec;
    const std::vector<std::string> files = std::filesystem::is_directory(fileOrFolder, ec)
                                               ? policyFiles(fileOrFolder, diagnostics)
                                               : std::vector<std::string>{fileOrFolder};
    std::vector<BehaviourPolicy> policies;
    std::map<std::string, std::string> seen; // id -> file:line where it was first given
    for (const std::string& file : files) {
        IdPosition idAt;
        std::optional<BehaviourPolicy> policy = loadConfigFile(
            file, diagnostics,
            [&idAt](std::string_view bytes, const std::string& f, std::vector<BundleDiagnostic>& d) {
                return readPolicy(bytes, f, d, idAt);
            });
        if (!policy)
            continue;
        const auto [first, fresh] = seen.emplace(policy->id, file + ":" + std::to_string(idAt.line));
        if (!fresh) {
            diagnostics.push_back({file, idAt.line, idAt.column, BundleDiagnostic::Level::Error,
                                   "policy id '" + policy->id + "' is already given in " + first->second});
            continue;
        }
        policies.push_back(std::move(*policy));
    }
    return policies;
}

} // namespace rw::analysis
