// libFuzzer harness: arbitrary bytes as an evidence bundle, read and verified.
#include "tests/fuzz/evidencefuzzcheck.h"

#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

// QuaZip's device reads past the end of broken archives print a Qt warning per
// attempt; thousands per second would drown the fuzzer's own output.
extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext&, const QString&) {});
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size)
{
    const std::string problem = rwfuzz::checkBundleInput({reinterpret_cast<const char*>(data), size});
    if (!problem.empty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
