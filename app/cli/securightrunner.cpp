#include "app/cli/securightrunner.h"

#include "app/cli/analyzerunner.h"
#include "app/cli/profilediscovery.h"
#include "app/cli/securightoptions.h"
#include "app/cli/watchrunner.h"
#include "app/text/terminaltext.h"

#include <filesystem>
#include <system_error>

namespace rw {

namespace {

constexpr int kExitUsage = 2;

// One line on stderr, so that a reader knows which rules judged the run
// (and that none did, when the baseline is only inferred).
std::string discoveryLine(const ProfileDiscovery& d)
{
    if (d.profile.empty()) {
        std::string looked;
        for (const std::string& c : d.candidates)
            looked += (looked.empty() ? "" : ", ") + terminalText(c);
        return "No analysis profile found (looked for " + looked +
               "); the baseline is inferred from the trace";
    }
    std::string line = "Using analysis profile " + terminalText(d.profile);
    if (!d.behaviour.empty() || !d.exfil.empty()) {
        line += " with ";
        line += d.behaviour.empty() ? std::string() : terminalText(d.behaviour);
        line += !d.behaviour.empty() && !d.exfil.empty() ? " and " : "";
        line += d.exfil.empty() ? std::string() : terminalText(d.exfil);
    }
    return line;
}

// The analysis profile beside `file` (or the user's) into the options, said on stderr.
void discover(CliOptions& o, const std::string& file, const SecurightEnvironment& env, std::ostream& err)
{
    const ProfileDiscovery d = discoverAnalysisProfile(file, env.xdgConfigHome, env.home);
    if (!d.profile.empty()) {
        o.profile = d.profile;
        // what the command line names wins over what lies beside the profile
        if (o.behaviour.empty() && !d.behaviour.empty())
            o.behaviour.push_back(d.behaviour);
        if (o.exfil.empty())
            o.exfil = d.exfil;
    }
    if (!o.quiet)
        err << discoveryLine(d) << '\n';
}

} // namespace

int runSecuright(const std::vector<std::string>& args, const SecurightEnvironment& env, std::ostream& out,
                 std::ostream& err)
{
    SecurightParse p = parseSecuright(args);
    switch (p.command) {
    case SecurightCommand::Help:
        out << securightUsage();
        return 0;
    case SecurightCommand::Version:
        out << "securight " << RW_VERSION << '\n';
        return 0;
    case SecurightCommand::NotAvailable:
        err << "securight: " << p.message << '\n';
        return kExitUsage;
    case SecurightCommand::UsageError:
        // the message quotes the arguments, which a script may have taken from a file
        err << "Error: " << terminalText(p.message) << "\nRun 'securight --help' for the commands and their options.\n";
        return kExitUsage;
    case SecurightCommand::Analyze:
    case SecurightCommand::Watch:
        break;
    }
    CliOptions& o = p.options;
    if (p.command == SecurightCommand::Watch) {
        if (!p.sourceGiven && env.stdinIsTerminal) {
            err << "securight: trace watch needs what to follow: a run stream or audit log, a folder, or - "
                   "(standard input, the default when it is a pipe)\n";
            return kExitUsage;
        }
        if (p.discover)
            discover(o, o.watch == "-" ? std::string("./-") : o.watch, env, err);
        return runWatch(o, out, err);
    }
    const std::string& file = o.batch.empty() ? o.auditFiles.front() : o.batch.front();
    std::error_code ec;
    if (o.batch.empty() && std::filesystem::is_directory(file, ec)) {
        err << "securight: " << terminalText(file)
            << " is a folder: add --batch --output report.json to analyse every trace file in it\n";
        return kExitUsage;
    }
    if (p.discover)
        discover(o, file, env, err);
    return runAnalyzeCommand(o, out, err);
}

} // namespace rw
