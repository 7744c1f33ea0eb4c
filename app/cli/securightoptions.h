#pragma once

// The command line of `securight`, the seed's CLI name for run-trace
// analysis: `securight trace analyze FILE [options]` and `securight trace
// watch [SOURCE] [options]`. Its options are
// aisecops-replay's analysis options and are checked by the same parser
// (parseCli), so the two tools cannot drift apart.
#include "app/cli/clioptions.h"

#include <string>
#include <vector>

namespace rw {

enum class SecurightCommand { Analyze, Watch, Help, Version, NotAvailable, UsageError };

struct SecurightParse
{
    SecurightCommand command = SecurightCommand::UsageError;
    CliOptions options;    // Analyze: one audit file, action Analyze
    bool discover = false; // Analyze without --profile: look for one beside the trace
    std::string message;   // NotAvailable and UsageError: what to tell
    bool sourceGiven = true; // Watch: false when standard input is the default source
};

SecurightParse parseSecuright(const std::vector<std::string>& args);
std::string securightUsage();

} // namespace rw
