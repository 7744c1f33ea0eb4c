#pragma once

// Where `securight trace analyze FILE` finds its analysis profile when none
// is given: analysis.yaml next to FILE, then analysis/analysis.yaml next to
// FILE, then $XDG_CONFIG_HOME/replay-workbench/analysis.yaml (the XDG rule:
// ~/.config when XDG_CONFIG_HOME is unset, empty or relative). A profile
// kept with traces wins over the user's, so a case folder carries its own.
#include <string>
#include <vector>

namespace rw {

struct ProfileDiscovery
{
    std::string profile;                 // empty: none found
    std::string behaviour;               // the behaviour/ folder beside the profile, when there is one
    std::string exfil;                   // exfiltration.yaml beside the profile, when there is one
    std::vector<std::string> candidates; // every place looked at, in order
};

// `xdgConfigHome` and `home` as the environment gives them (empty: unset).
ProfileDiscovery discoverAnalysisProfile(const std::string& traceFile, const std::string& xdgConfigHome,
                                         const std::string& home);

} // namespace rw
