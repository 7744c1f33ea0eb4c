#pragma once

// The analysis configuration from the files that make it: a profile, the
// behavioural policies, the exfiltration rules and sequence profiles. What
// the CLI's --profile / --behaviour / --exfil / --sequence-profile name, and
// what the workbench's Policy ▸ Load Analysis Profile… reads.
#include "replay/analysis/analyzer.h"

#include <string>
#include <vector>

namespace rw::analysis {

struct ConfigFiles
{
    std::string profile;                       // analysis.yaml; empty: the built-in profile
    std::vector<std::string> behaviour;        // files, or folders of *.yaml policies
    std::string exfil;                         // exfiltration.yaml; empty: the built-in rules
    std::vector<std::string> sequenceProfiles; // besides those the profile's agents name
    std::string policyVersion;                 // of the policy bundle in use; empty: not compared
};

// Every file named, read into one configuration. An agent's sequence profile
// is found relative to the profile's folder; an agent naming a behavioural
// policy that is not loaded is warned at the agent. Errors of any file leave
// the result unusable (the caller checks for an error diagnostic).
AnalysisConfig loadConfigFiles(const ConfigFiles& files, std::vector<BundleDiagnostic>& diagnostics);

// A profile with what lies beside it as the samples lay it out: a folder
// `behaviour/` of policies and `exfiltration.yaml`, each when it exists.
ConfigFiles configFilesBeside(const std::string& profile);

} // namespace rw::analysis
