#include "replay/graph/graphdot.h"

#include "model/visibletext.h"
#include "model/vocabulary.h"

#include <cstdio>

namespace rw {

namespace {

struct Style
{
    const char* shape;
    const char* fill;
};

const char* decisionFill(const std::string& d)
{
    switch (decisionFromText(d)) {
    case Decision::Allowed: return "#c8ecdf";
    case Decision::Blocked: return "#f6d2bf";
    case Decision::RequireApproval: return "#fae3b3";
    case Decision::Pending: return "#d6ebf8";
    case Decision::None:
    case Decision::Observed:
    case Decision::Other: break;
    }
    return "#e8e8e8";
}

const char* trustFill(const std::string& t)
{
    switch (trustFromText(t)) {
    case Trust::Unverified: return "#f6d2bf";
    case Trust::External: return "#fae3b3";
    case Trust::Trusted: return "#c8ecdf";
    case Trust::None:
    case Trust::Internal:
    case Trust::Other: break;
    }
    return "#d6e4f2";
}

Style styleOf(const GraphNode& n)
{
    switch (n.kind) {
    case GraphNodeKind::Provenance:
        return {"note", trustFill(n.trust)};
    case GraphNodeKind::Agent: return {"box3d", "#e4e0f2"};
    case GraphNodeKind::Plan: return {"folder", n.decision.empty() ? "#eef2f7" : decisionFill(n.decision)};
    case GraphNodeKind::Capability:
    case GraphNodeKind::Budget:
    case GraphNodeKind::Policy:
    case GraphNodeKind::McpPolicy: return {"hexagon", decisionFill(n.decision)};
    case GraphNodeKind::Approval: return {"octagon", decisionFill(n.decision)};
    case GraphNodeKind::Governance: return {"doubleoctagon", decisionFill(n.decision)};
    case GraphNodeKind::Collapsed: return {"box", "#f0f0f0"};
    default: break;
    }
    return {"box", decisionFill(n.decision)};
}

// Decision trees: the chosen path bold, branches not taken muted and dashed,
// those policy rejected vermillion (the colour of a blocked path everywhere)
std::string markStyle(BranchMark mark, bool node)
{
    switch (mark) {
    case BranchMark::None: return {};
    case BranchMark::Chosen: return node ? ", penwidth=2, margin=\"0.18,0.06\"" : ", penwidth=2";
    case BranchMark::Rejected:
    case BranchMark::Abandoned:
        return node ? ", style=\"filled,rounded,dashed\", fillcolor=\"#f2f2f2\", color=\"#8c8c8c\", fontcolor=\"#555555\", margin=\"0.18,0.06\""
                    : ", style=dashed, color=\"#9a9a9a\"";
    case BranchMark::PolicyRejected:
        return node ? ", color=\"#D55E00\", penwidth=2, margin=\"0.18,0.06\"" : ", style=dashed, color=\"#D55E00\", penwidth=1.5";
    }
    return {};
}

} // namespace

std::string dotEscape(std::string_view text, std::size_t maxChars)
{
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) != 0x80 && ++chars > maxChars) {
            out += "…";
            break;
        }
        if (c >= 0x80) {
            // labels end up on a terminal (--graph dot) and in SVGs: a bidi,
            // zero-width, tag or C1 character is shown as \uXXXX, a byte that
            // is not UTF-8 as the replacement character
            std::uint32_t cp = 0;
            const std::size_t len = utf8SequenceAt(text, i, cp);
            if (len == 0) {
                out += "\xEF\xBF\xBD";
            } else if (isHiddenCodePoint(cp)) {
                char buf[16];
                std::snprintf(buf, sizeof buf, cp > 0xffff ? "\\\\U%08x" : "\\\\u%04x", static_cast<unsigned>(cp));
                out += buf;
            } else {
                out.append(text.data() + i, len);
            }
            i += len == 0 ? 0 : len - 1;
            continue;
        }
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n' || c == '\r' || c == '\t')
            out += ' ';
        else if (c == 0)
            out += "\xE2\x90\x80"; // ␀
        else if (c < 0x20 || c == 0x7F)
            out += "\xEF\xBF\xBD"; // replacement character
        else
            out += static_cast<char>(c);
    }
    return out;
}

std::string toDot(const ExecutionGraph& g)
{
    std::string out = "digraph trace {\n"
                      "  graph [rankdir=LR, nodesep=0.25, ranksep=0.35, fontname=\"Helvetica\", charset=\"UTF-8\"];\n"
                      "  node [style=\"filled,rounded\", fontname=\"Helvetica\", fontsize=10, penwidth=1];\n"
                      "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const GraphNode& n = g.nodes[i];
        const Style s = styleOf(n);
        std::string label = dotEscape(n.label);
        if (!n.detail.empty())
            label += "\\n" + dotEscape(n.detail, 60);
        out += "  n" + std::to_string(i) + " [label=\"" + label + "\", shape=" + s.shape + ", fillcolor=\"" + s.fill + "\"" +
               markStyle(n.mark, true) + "];\n";
    }
    for (const GraphEdge& e : g.edges) {
        std::string style = e.untrusted ? ", color=\"#D55E00\", penwidth=2" : markStyle(e.mark, false);
        out += "  n" + std::to_string(e.from) + " -> n" + std::to_string(e.to) + (style.empty() ? "" : " [" + style.substr(2) + "]") + ";\n";
    }
    out += "}\n";
    return out;
}

} // namespace rw
