#include "app/text/layouttext.h"

namespace rw {

namespace {

std::string colonDetail(const std::string& detail)
{
    return detail.empty() ? std::string() : ": " + detail;
}

std::string commandLineText(const LayoutRun& run)
{
    switch (run.error) {
    case LayoutError::None: return {};
    case LayoutError::HelperMissing:
        return run.helperFromEnvironment ? "RW_GRAPH_LAYOUT names " + run.helper + ", which does not exist"
                                         : "rw-graph-layout not found (set RW_GRAPH_LAYOUT)";
    case LayoutError::HelperNotStarted: return "cannot start " + run.helper;
    case LayoutError::Timeout: return "layout took longer than " + std::to_string(run.timeoutMs) + " ms and was stopped";
    case LayoutError::Crashed: return "layout failed: rw-graph-layout crashed" + colonDetail(run.detail);
    case LayoutError::Failed: return "layout failed: " + run.detail;
    case LayoutError::BadOutput: return "cannot read the layout: " + run.detail;
    case LayoutError::Cancelled: return "layout cancelled";
    }
    return {};
}

std::string windowText(const LayoutRun& run)
{
    switch (run.error) {
    case LayoutError::None: return {};
    case LayoutError::HelperMissing:
        return "the graph layout program is missing from this installation (expected at " + run.helper + ")";
    case LayoutError::HelperNotStarted: return "the graph layout program " + run.helper + " could not be started";
    case LayoutError::Timeout: {
        const int ms = run.timeoutMs;
        return "laying the graph out took longer than " +
               (ms % 1000 == 0 ? std::to_string(ms / 1000) + (ms == 1000 ? " second" : " seconds") : std::to_string(ms) + " ms") +
               " and was stopped";
    }
    case LayoutError::Crashed: return "the graph layout program crashed" + colonDetail(run.detail);
    case LayoutError::Failed:
        return run.detail.empty() ? "the graph layout program failed (exit code " + std::to_string(run.exitCode) + ")"
                                  : "the graph layout program failed: " + run.detail;
    case LayoutError::BadOutput: return "the graph layout program's output could not be read" + colonDetail(run.detail);
    case LayoutError::Cancelled: return "the layout was cancelled";
    }
    return {};
}

} // namespace

std::string layoutErrorText(const LayoutRun& run, Reader reader)
{
    return reader == Reader::CommandLine ? commandLineText(run) : windowText(run);
}

} // namespace rw
