#pragma once

#include "app/cli/clioptions.h"
#include "replay/policy/policybundle.h"

#include <optional>
#include <ostream>
#include <string>

namespace rw {

struct LoadedBundles
{
    std::optional<PolicyBundle> policy;
    std::optional<CapabilityBundle> capabilities;
};

// A policy and an optional capability bundle, every diagnostic printed to
// `err`; false when either has an error.
bool loadBundles(const std::string& policyPath, const std::string& capabilitiesPath, LoadedBundles& out, std::ostream& err);

// --check-policy, and --policy with or without --diff / --baseline.
int runPolicyCommand(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw
