#include "replay/evidence/evidencereport.h"

#include "model/visibletext.h"

namespace rw {

std::string htmlEscape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string evidenceReportHtml(const EvidenceReportInfo& in)
{
    // values from the logs, bundles and paths: hidden characters shown (bidi
    // would reorder the page), then markup escaped
    auto e = [](std::string_view s) { return htmlEscape(visibleText(s)); };
    auto orNone = [&](const std::string& s) { return s.empty() ? std::string("<i>not given</i>") : e(s); };
    std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Evidence report</title>"
                    "<style>body{font-family:sans-serif;font-size:10pt} td,th{padding:2px 6px;text-align:left;"
                    "vertical-align:top} th{background:#eee} .hash{font-family:monospace;font-size:8pt}"
                    ".bad{color:#992200;font-weight:bold}</style></head><body>\n";
    h += "<h1>Evidence report</h1>\n<table width=\"100%\">";
    h += "<tr><th>Case</th><td>" + orNone(in.caseId) + "</td></tr>";
    h += "<tr><th>Examiner</th><td>" + orNone(in.examiner) + "</td></tr>";
    h += "<tr><th>Created (UTC)</th><td>" + e(in.created) + "</td></tr>";
    h += "<tr><th>Tool</th><td>" + e(in.tool) + " " + e(in.version) + "</td></tr>";
    h += "<tr><th>Selection</th><td>" + std::to_string(in.traces.size()) + (in.traces.size() == 1 ? " trace" : " traces") +
         (in.filter.empty() ? std::string() : ", filter <code>" + e(in.filter) + "</code>") + "</td></tr>";
    h += "<tr><th>Signature</th><td>" +
         (in.signedBy.empty() ? std::string("not signed") : "manifest signed with Ed25519 key " + e(in.signedBy) + " (minisign format)") +
         "</td></tr>";
    if (in.reevaluated)
        h += "<tr><th>Re-evaluation</th><td>the policy bundles and replay-diff.json of an active re-evaluation are included</td></tr>";
    if (!in.notes.empty())
        h += "<tr><th>Notes</th><td>" + e(in.notes) + "</td></tr>";
    h += "</table>\n<h2>Source files</h2>\n<table width=\"100%\"><tr><th>File</th><th>Bytes</th><th>SHA-256 (of the exact bytes, at load)</th></tr>";
    for (const auto& s : in.sources)
        h += "<tr><td>" + e(s.value("path", std::string())) + "</td><td>" + std::to_string(s.value("bytes", std::uint64_t(0))) +
             "</td><td class=\"hash\">" + e(s.value("sha256", std::string())) + "</td></tr>";
    h += "</table>\n<h2>Traces and findings</h2>\n<table width=\"100%\"><tr><th>Trace</th><th>Agent</th><th>Final decision</th>"
         "<th>Governance</th><th>Events</th><th>Findings</th><th>Folder</th></tr>";
    for (const EvidenceTrace& t : in.traces) {
        const bool bad = t.governance == "violation" || t.mismatches > 0;
        h += "<tr><td>" + e(t.traceId) + "</td><td>" + e(t.agent) + "</td><td>" + e(t.finalDecision) + "</td><td" +
             (bad ? " class=\"bad\"" : "") + ">" + e(t.governance) +
             (t.mismatches ? " (" + std::to_string(t.mismatches) + " mismatch" + (t.mismatches == 1 ? ")" : "es)") : std::string()) +
             "</td><td>" + std::to_string(t.events) + "</td><td>" + std::to_string(t.findings) + "</td><td>" + e(t.member) + "</td></tr>";
    }
    h += "</table>\n<h2>How to verify</h2>\n<p><code>manifest.json</code> lists every member with its size and SHA-256. "
         "Check it with <code>aisecops-replay --verify BUNDLE.zip [--public-key KEY.pub] [--audit-file SOURCE]</code>, or "
         "without our tools: <code>minisign -V -p KEY.pub -m manifest.json</code> for the signature, then "
         "<code>sha256sum</code> of each member against the manifest. The hashes of the original lines, their index and "
         "sources, and the re-evaluation inputs when written (each trace's documents are listed in the manifest):</p>\n<table width=\"100%\"><tr><th>Member</th><th>SHA-256</th></tr>";
    for (const auto& [name, sha] : in.memberHashes)
        h += "<tr><td>" + e(name) + "</td><td class=\"hash\">" + e(sha) + "</td></tr>";
    h += "</table>\n</body></html>\n";
    return h;
}

} // namespace rw
