// aisecops-replay: the headless face of Replay Workbench. Everything it does
// lives in rw_cli / rw_model so tests can call the same code.
#include "app/cli/clioptions.h"
#include "app/cli/clioutput.h"
#include "app/cli/clirunner.h"
#include "app/text/terminaltext.h"

#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    const rw::CliParse parsed = rw::parseCli(args);
    if (!parsed.error.empty()) {
        // the error quotes the arguments, which a script may have taken from a file; one
        // line and where to look, not a hundred lines of help burying it (issue 17, B21)
        std::cerr << "Error: " << rw::terminalText(parsed.error) << "\nRun 'aisecops-replay --help' for the options.\n";
        return 2;
    }
    return rw::finishStandardOutput(rw::runCli(parsed.options, std::cout, std::cerr), std::cout, std::cerr);
}
