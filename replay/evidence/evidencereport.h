#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace rw {

struct EvidenceTrace
{
    std::string traceId, agent, finalDecision, governance;
    std::uint32_t events = 0;
    std::uint32_t findings = 0;
    std::size_t mismatches = 0;
    std::string member; // its folder in the bundle
};

struct EvidenceReportInfo
{
    std::string tool, version, created, examiner, caseId, notes, filter, signedBy;
    nlohmann::json sources; // [{path, bytes, sha256}]
    std::vector<EvidenceTrace> traces;
    bool reevaluated = false;
    std::vector<std::pair<std::string, std::string>> memberHashes; // name, sha256 of the members before the report
};

// The human report of an evidence bundle: what was examined, by whom, when,
// the findings per trace and the hashes. Plain HTML that Qt's text document
// renders to PDF and any browser shows; every untrusted text is escaped.
std::string evidenceReportHtml(const EvidenceReportInfo& info);

std::string htmlEscape(std::string_view text);

} // namespace rw
