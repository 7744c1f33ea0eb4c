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

enum class LayoutError { None, HelperMissing, Timeout, Failed, BadOutput, Cancelled };

struct LayoutRun
{
    LayoutError error = LayoutError::None;
    std::string message;
    std::string output;
    double seconds = 0;
};

// Where rw-graph-layout lives: $RW_GRAPH_LAYOUT, else next to the running executable.
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
