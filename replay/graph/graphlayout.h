#pragma once

#include <cstddef>
#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rw {

// Node and edge geometry from Graphviz, in points, origin at the top left.
struct GraphLayout
{
    struct Node
    {
        double x = 0, y = 0; // centre
        double width = 0, height = 0;
    };
    struct Edge
    {
        std::size_t from = 0, to = 0;
        std::vector<std::pair<double, double>> points; // B-spline control points
    };
    double width = 0, height = 0;
    std::vector<Node> nodes; // indexed like the graph's nodes (n0, n1, ...)
    std::vector<Edge> edges;
};

// Why a layout did not happen, as a code and its data: the words are the
// reader's (app/text/layouttext.h), since the CLI can point at RW_GRAPH_LAYOUT
// and the window cannot.
enum class LayoutError {
    None,
    HelperMissing,    // no helper at `helper` (where it was expected)
    HelperNotStarted, // `helper` is there but could not be started
    Timeout,          // ran past `timeoutMs` and was killed
    Crashed,          // the helper died of a signal; `detail` holds its stderr
    Failed,           // the helper exited with `exitCode`; `detail` holds its stderr
    BadOutput,        // what it wrote could not be read; `detail` says where (parsePlainLayout)
    Cancelled,        // the caller's cancel flag was set and the helper killed
};

struct LayoutRun
{
    LayoutError error = LayoutError::None;
    std::string helper;                 // the program run, or where it was looked for
    bool helperFromEnvironment = false; // `helper` came from $RW_GRAPH_LAYOUT
    int timeoutMs = 0;
    int exitCode = 0;
    std::string detail; // the helper's stderr, trimmed (Crashed, Failed), or the parse error (BadOutput)
    std::string output;
    double seconds = 0;
};

// One plain line for records that read the same whoever opens them (an
// evidence bundle's export notes); people are told by layoutErrorText.
std::string layoutRecordText(const LayoutRun& run);

// Where rw-graph-layout is looked for: $RW_GRAPH_LAYOUT when set, else next to
// the running executable (`fromEnvironment` says which).
std::string layoutHelperPath(bool* fromEnvironment = nullptr);
// The same when the program is there, else empty.
std::string findLayoutHelper();

// Lays a DOT graph out with Graphviz `dot` in a helper process (Graphviz is
// neither thread-safe nor interruptible; a process can be killed). `format` is
// plain, svg or png. The helper is killed when it runs past `timeoutMs`.
// `cancel`, when set while the helper runs, kills it within ~50 ms: a layout
// superseded by the next trace's must not hold a core to its time limit.
LayoutRun runLayoutHelper(const std::string& dot, const std::string& format, int timeoutMs,
                          const std::atomic<bool>* cancel = nullptr);

// Parses Graphviz's `plain` output for a graph whose nodes are n0..n<count-1>.
std::optional<GraphLayout> parsePlainLayout(std::string_view plain, std::size_t nodeCount, std::string* error);

} // namespace rw
