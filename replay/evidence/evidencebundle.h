#pragma once

#include "model/outputfile.h"
#include "model/regularfile.h"
#include "model/tracequery.h"
#include "model/workspace.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/minisign.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rw {

// What an evidence export holds besides the traces.
struct EvidenceRequest
{
    const Workspace* ws = nullptr;
    std::vector<std::uint32_t> rows; // workspace rows (traces) to export
    std::string tool = "aisecops-replay";
    std::string examiner;
    std::string caseId;
    std::string notes;
    std::string filter;  // the filter that selected the traces, as typed
    std::string createdAt; // UTC ISO 8601; empty: now
    struct File
    {
        std::string name; // member name under reevaluation/
        std::string bytes;
    };
    std::vector<File> policyFiles; // the bundles of an active re-evaluation, their exact bytes
    std::string replayDiffJson;    // its replay-diff.json, when one is active
    // The run-trace analysis of the exported traces, when asked for:
    // analysis/report.json (kAnalysisReportMember's shape, evidenceanalysis.h)
    // and the exact bytes of the configuration files it names (profile,
    // behavioural policies, exfiltration rules, sequence profiles) under
    // analysis/config/. Verification re-checks every witness of the report
    // against the exported lines.
    std::string analysisReport;
    std::vector<File> analysisFiles;
    std::optional<MinisignSecretKey> signKey;
    bool graphSvg = true; // lay graphs out with the helper (DOT is always written)
    // HTML -> PDF (Qt's text document and PDF writer live above replay/); empty: no PDF
    std::function<std::string(const std::string& html)> renderPdf;
    // what the caller knows about the export and the bundle should record, first
    // in its export_notes (the CLI's: why there is no report.pdf)
    std::vector<std::string> exportNotes;
    // called with (steps done, steps): the traces, then the graph layouts (from
    // several threads, one call at a time); returning false cancels
    std::function<bool(std::size_t, std::size_t)> progress;
    BundleLimits limits; // what our reader accepts: the export is refused beyond them, before any work
};

// Why an evidence request could not be assembled (evidenceplan.h), before
// anything was written: a code and its data; app/text/evidenceplantext.h words it.
enum class EvidencePlanError : std::uint8_t {
    None,
    NoWorkspace,      // nothing is loaded
    SigningKey,       // `path` is not a usable secret key; `detail` says why (readSecretKeyFile)
    UnknownTrace,     // no trace `detail` (the id asked for) in the workspace
    BadFilter,        // the filter does not parse: `query`
    NoTraces,         // no trace was chosen
    NoTraceMatches,   // the filter matches no trace
    PolicyUnreadable, // `path`, a bundle in use, cannot be read again: `read`
    PolicyChanged,    // `path` is not the bundle that was loaded (its SHA-256 differs)
    Analysis,         // the analysis could not be added: `detail` says why, in words
};

struct EvidencePlanFailure
{
    EvidencePlanError error = EvidencePlanError::None;
    std::string path;
    std::string detail;
    ReadFailure read;
    QueryError query;
};

struct EvidenceResult
{
    bool ok = false;
    bool cancelled = false;
    std::string error;
    std::uint64_t bytes = 0; // of the zip
    std::size_t members = 0;
    std::size_t lines = 0;
    std::string manifestSha256;
    std::vector<std::string> notes; // e.g. "graph SVG not made: helper missing"
    OutputFailure outputFailure;    // the output was refused or not written (outputFailureText words it)
    EvidencePlanFailure planFailure; // the request could not be assembled (evidencePlanText words it)
};

inline constexpr const char* kManifestMember = "manifest.json";
inline constexpr const char* kSignatureMember = "manifest.json.minisig";
inline constexpr const char* kCustodyPrefix = "custody/";

class PolicyEngine;

// Adds the exact bytes of the policy (and capability) bundle `engine` was
// built from, read again and checked against the SHA-256 taken at load: a
// bundle edited since is refused rather than exported as if it had been
// evaluated (PolicyUnreadable, PolicyChanged).
EvidencePlanFailure addEvidencePolicyFiles(EvidenceRequest& request, const PolicyEngine& engine);

// Writes the bundle to `zipPath` (through a temporary file renamed at the end,
// so a failed export leaves nothing half-written). Limits are checked before
// any work; the finished archive is verified before it is renamed into place,
// and one that fails is not kept.
EvidenceResult writeEvidenceBundle(const EvidenceRequest& request, const std::string& zipPath);
// The same to a target chosen with chooseOutputFile (the caller knows every input and key in use).
EvidenceResult writeEvidenceBundle(const EvidenceRequest& request, const OutputTarget& target);

// RFC 8785-style canonical JSON for our documents (keys sorted bytewise, no
// whitespace, integers and strings only).
std::string canonicalJson(const nlohmann::json& j);

// Member-safe directory name for a trace id (untrusted text).
std::string safeMemberName(std::string_view traceId);

// UTC now, as upstream writes times ("2026-03-05T14:02:11.123456+00:00").
std::string utcNowIso();

} // namespace rw
