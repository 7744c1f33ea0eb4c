#pragma once

// Reads the analysis configuration files with the defensive YAML reader the
// policy bundles use (same limits, same refusals). Every finding is a
// BundleDiagnostic (file:line:column, error or warning; unknown keys are
// warnings with a did-you-mean). A result is usable only when no error was
// added. Expressions are kept as written (ConfigText): the engine compiles
// them and reports their errors at their position (analysisrules.h).
#include "replay/analysis/analysisconfig.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rw::analysis {

// From bytes (`file` names them in diagnostics; source.path = file,
// source.sha256 = SHA-256 of `bytes`). In analysis.yaml and
// exfiltration.yaml a top-level section the file leaves out keeps its
// built-in value (defaultAnalysisProfile, defaultExfilRules); a section it
// gives, even empty, replaces it. An empty file is an error.
std::optional<AnalysisProfile> parseAnalysisProfile(std::string_view bytes, const std::string& file,
                                                    std::vector<BundleDiagnostic>& diagnostics);
std::optional<BehaviourPolicy> parseBehaviourPolicy(std::string_view bytes, const std::string& file,
                                                    std::vector<BundleDiagnostic>& diagnostics);
std::optional<ExfilRules> parseExfilRules(std::string_view bytes, const std::string& file,
                                          std::vector<BundleDiagnostic>& diagnostics);
// JSON (reference §3.8), read with the bounded JSON reader of model/eventjson
std::optional<SequenceProfile> parseSequenceProfile(std::string_view bytes, const std::string& file,
                                                    std::vector<BundleDiagnostic>& diagnostics);

// From files: read-only, size-limited (YamlLimits::maxBytes), a clear error
// for a missing, unreadable or non-regular file.
std::optional<AnalysisProfile> loadAnalysisProfile(const std::string& path, std::vector<BundleDiagnostic>& diagnostics);
std::optional<ExfilRules> loadExfilRules(const std::string& path, std::vector<BundleDiagnostic>& diagnostics);
std::optional<SequenceProfile> loadSequenceProfile(const std::string& path, std::vector<BundleDiagnostic>& diagnostics);
// A file, or every *.yaml / *.yml of a folder (sorted by name, not recursive;
// dot files such as editor locks are skipped). Only the policies that loaded
// without error are returned; an id given twice is an error at the second.
std::vector<BehaviourPolicy> loadBehaviourPolicies(const std::string& fileOrFolder,
                                                   std::vector<BundleDiagnostic>& diagnostics);

// What applies without a profile: no agents (the baseline is inferred from
// the trace), the action types, environments and permission risks of
// docs/analysis.md, no trusted networks. source.builtIn is set.
AnalysisProfile defaultAnalysisProfile();
// The exfiltration rules used when no rules file is given (source.builtIn).
ExfilRules defaultExfilRules();

} // namespace rw::analysis
