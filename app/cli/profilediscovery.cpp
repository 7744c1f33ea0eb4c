#include "app/cli/profilediscovery.h"

#include <filesystem>
#include <system_error>

namespace rw {

namespace fs = std::filesystem;

namespace {

bool isFile(const fs::path& p)
{
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool isFolder(const fs::path& p)
{
    std::error_code ec;
    return fs::is_directory(p, ec);
}

} // namespace

ProfileDiscovery discoverAnalysisProfile(const std::string& traceFile, const std::string& xdgConfigHome,
                                         const std::string& home)
{
    ProfileDiscovery d;
    const fs::path beside = fs::path(traceFile).parent_path();
    d.candidates.push_back((beside / "analysis.yaml").string());
    d.candidates.push_back((beside / "analysis" / "analysis.yaml").string());
    // the XDG base directory rule: a relative XDG_CONFIG_HOME is ignored
    fs::path config;
    if (!xdgConfigHome.empty() && fs::path(xdgConfigHome).is_absolute())
        config = xdgConfigHome;
    else if (!home.empty())
        config = fs::path(home) / ".config";
    if (!config.empty())
        d.candidates.push_back((config / "replay-workbench" / "analysis.yaml").string());
    for (const std::string& candidate : d.candidates) {
        if (!isFile(candidate))
            continue;
        d.profile = candidate;
        const fs::path folder = fs::path(candidate).parent_path();
        if (isFolder(folder / "behaviour"))
            d.behaviour = (folder / "behaviour").string();
        if (isFile(folder / "exfiltration.yaml"))
            d.exfil = (folder / "exfiltration.yaml").string();
        break;
    }
    return d;
}

} // namespace rw
