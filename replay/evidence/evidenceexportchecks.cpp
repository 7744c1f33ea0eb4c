#include "replay/evidence/evidenceexportchecks.h"

#include "replay/evidence/evidenceanalysis.h"
#include "replay/evidence/evidencerecords.h"
#include "replay/evidence/evidenceverify.h"

#include <sys/stat.h>

namespace rw {

namespace {

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// the members besides the traces' own: audit (3), report (2), manifest, signature, export entry
constexpr std::size_t kFixedMembers = 8;
// summary, diff, evidence.json, evidence.md, timeline, graph.dot (+ graph.svg)
constexpr std::size_t kMembersPerTrace = 6;

} // namespace

std::string exportLimitProblem(const EvidenceRequest& req, const std::vector<std::uint32_t>& rows)
{
    const BundleLimits& limits = req.limits;
    const Workspace& ws = *req.ws;
    const std::size_t perTrace = kMembersPerTrace + (req.graphSvg ? 1 : 0);
    const std::size_t fixed = kFixedMembers + req.policyFiles.size() + (req.replayDiffJson.empty() ? 0 : 1) +
                              (req.analysisReport.empty() ? 0 : 1) + req.analysisFiles.size();
    const std::size_t room = limits.maxEntries > fixed ? (limits.maxEntries - fixed) / perTrace : 0;
    if (rows.size() > room)
        return std::to_string(rows.size()) + " traces would make " + std::to_string(fixed + rows.size() * perTrace) +
               " members, over the limit of " + std::to_string(limits.maxEntries) + " per bundle: export at most " +
               std::to_string(room) + " traces at a time";
    std::uint64_t lines = 0, index = 0, policies = 0;
    for (const std::uint32_t r : rows) {
        const TraceRow& row = ws.row(r);
        const ReplayModel& m = ws.fileOf(row);
        const std::size_t entry = indexEntryMinBytes(ws.str(row, row.traceId));
        for (const std::uint32_t e : m.traceEvents(row.trace)) {
            lines += m.event(e).length + 1;
            index += entry;
        }
    }
    for (const EvidenceRequest::File& f : req.policyFiles)
        policies += f.bytes.size();
    for (const EvidenceRequest::File& f : req.analysisFiles)
        policies += f.bytes.size();
    policies += req.analysisReport.size();
    if (req.analysisReport.size() > kMaxAnalysisReportBytes)
        return "the analysis report would hold " + std::to_string(req.analysisReport.size()) +
               " bytes, over the limit of " + mib(kMaxAnalysisReportBytes) + " a verifier reads: export fewer traces at a time";
    // the lines' size is exact, the index's a lower bound
    for (const auto& [name, bytes] : {std::pair{"audit/lines.jsonl", lines}, std::pair{"audit/index.json (at least)", index}})
        if (bytes > limits.maxMemberBytes)
            return std::string(name) + " would hold " + std::to_string(bytes) +
                   " bytes for " + std::to_string(rows.size()) + (rows.size() == 1 ? " trace" : " traces") +
                   ", over the limit of " + mib(limits.maxMemberBytes) + " per member: export fewer traces at a time";
    if (lines + index + policies + req.replayDiffJson.size() > limits.maxTotalBytes)
        return "the original lines and their index alone would exceed the limit of " + mib(limits.maxTotalBytes) +
               " per bundle: export fewer traces at a time";
    return {};
}

std::string sourceChangeNotes(const Workspace& ws, const std::vector<std::uint32_t>& rows, std::vector<std::string>& notes)
{
    std::vector<bool> seen(ws.fileCount(), false);
    for (const std::uint32_t r : rows) {
        const std::uint32_t f = ws.row(r).file;
        if (seen[f])
            continue;
        seen[f] = true;
        const ReplayModel& m = ws.file(f);
        if (m.loadedMtimeNs() != 0 && m.sha256().empty())
            return m.path() + " changed on disk while it was loaded, so it has no SHA-256: load it again before "
                              "exporting";
        if (m.vanishedPages() > 0)
            return m.path() + " was truncated while it was loaded (" + std::to_string(m.vanishedPages()) +
                   " pages could not be read): what was loaded is not the file; load it again before exporting";
        if (m.loadedMtimeNs() == 0)
            continue; // not loaded from a file
        struct stat st{};
        const std::int64_t loaded = m.loadedMtimeNs();
        if (::stat(m.path().c_str(), &st) != 0) {
            notes.push_back(m.path() + " changed on disk since it was loaded (it is gone): the bundle holds the lines and SHA-256 "
                                       "as loaded");
            continue;
        }
        const std::int64_t now = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
        const auto size = static_cast<std::uint64_t>(st.st_size);
        if (size != m.storedBytes().size() || now != loaded)
            notes.push_back(m.path() + " changed on disk since it was loaded (" + std::to_string(m.storedBytes().size()) + " bytes then, " +
                            std::to_string(size) + " now" + (now != loaded ? ", modified since" : "") +
                            "): the bundle holds the lines and SHA-256 as loaded");
    }
    return {};
}

std::string selfVerificationProblem(QIODevice* device, const EvidenceRequest& req, std::vector<std::string> spare)
{
    VerifyOptions o;
    o.limits = req.limits;
    o.keepLines = false;
    o.spareBuffers = std::make_shared<std::vector<std::string>>(std::move(spare));
    if (req.signKey)
        o.publicKey = req.signKey->pub();
    const VerifyReport report = verifyBundle(device, o);
    if (report.passed())
        return {};
    for (const CheckItem& i : report.items)
        if (i.status == CheckStatus::Fail)
            return i.item + ": " + i.detail;
    return "no result";
}

} // namespace rw
