// aisecops-replay: the headless face of Replay Workbench. Everything it does
// lives in rw_cli / rw_model so tests can call the same code.
#include "clioptions.h"
#include "clirunner.h"
#include "terminaltext.h"

#include <iostream>

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    const rw::CliParse parsed = rw::parseCli(args);
    if (!parsed.error.empty()) {
        // the error quotes the arguments, which a script may have taken from a file
        std::cerr << "Error: " << rw::terminalText(parsed.error) << "\n\n" << rw::cliUsage();
        return 2;
    }
    const int code = rw::runCli(parsed.options, std::cout, std::cerr);
    std::cout.flush();
    return code;
}
