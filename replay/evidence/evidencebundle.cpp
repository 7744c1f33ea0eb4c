#include "replay/evidence/evidencebundle.h"

#include "model/outputfile.h"
#include "model/parallelfor.h"
#include "model/regularfile.h"
#include "model/sourcefile.h"
#include "replay/evidence/evidenceanalysis.h"
#include "replay/evidence/evidencecustody.h"
#include "replay/evidence/evidenceexportchecks.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidencerecords.h"
#include "replay/evidence/evidencereport.h"
#include "replay/evidence/evidencetracedocs.h"
#include "replay/evidence/zipdeflate.h"
#include "replay/graph/graphlayout.h"
#include "replay/policy/policyengine.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <QDateTime>
#include <QFile>
#include <QSaveFile>
#include <QFileInfo>

#include <atomic>
#include <chrono>
#include <future>
#include <cstdio>
#include <mutex>
#include <span>
#include <sys/stat.h>
#include <thread>
#include <unordered_map>

namespace rw {

namespace {

// igzip's level 2 (of 0-3): members come out about 40% larger than zlib's
// default level would make them, at about ten times its speed; an export should
// not take many times longer than loading what it exports
constexpr int kZipLevel = 2;

using Member = EvidenceMember;

// A member deflated ahead of the archive, and its hash.
struct PreparedMember
{
    DeflatedMember deflated;
    std::string sha256;
};

// Stops background work on any return from the function that owns it.
struct StopOnExit
{
    std::atomic<bool>& stop;
    ~StopOnExit() { stop = true; }
};

bool writeZip(const std::vector<Member>& members, const std::unordered_map<std::string, PreparedMember>& prepared,
              QIODevice* device, const QDateTime& time, std::string* error)
{
    QuaZip zip(device);
    zip.setAutoClose(false);
    if (!zip.open(QuaZip::mdCreate)) {
        *error = "cannot create the archive (QuaZip error " + std::to_string(zip.getZipError()) + ")";
        return false;
    }
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    for (const Member& m : members) {
        // deflated on every core, then stored raw with its CRC and size
        const auto ready = prepared.find(m.name);
        const DeflatedMember deflated = ready != prepared.end() ? DeflatedMember() : deflateChunked(m.bytes, kZipLevel, threads);
        const DeflatedMember& use = ready != prepared.end() ? ready->second.deflated : deflated;
        QuaZipFile file(&zip);
        QuaZipNewInfo info(QString::fromStdString(m.name));
        info.dateTime = time;
        info.setPermissions(QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
        info.uncompressedSize = static_cast<ulong>(m.bytes.size());
        if (!use.ok || !file.open(QIODevice::WriteOnly, info, nullptr, use.crc, Z_DEFLATED, kZipLevel, true) ||
            file.write(use.data.data(), static_cast<qint64>(use.data.size())) != static_cast<qint64>(use.data.size())) {
            *error = "cannot write member " + m.name;
            return false;
        }
        file.close();
        if (file.getZipError() != 0) {
            *error = "cannot write member " + m.name;
            return false;
        }
    }
    zip.close();
    if (zip.getZipError() != 0) {
        *error = "cannot finish the archive";
        return false;
    }
    return true;
}

} // namespace

std::string canonicalJson(const nlohmann::json& j)
{
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string safeMemberName(std::string_view traceId)
{
    std::string out;
    for (const char c : traceId.substr(0, 64)) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        out += ok ? c : '_';
    }
    if (out.empty() || out[0] == '.')
        out.insert(out.begin(), '_');
    return out;
}

std::string utcNowIso()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000+00:00")).toStdString();
}

EvidencePlanFailure addEvidencePolicyFiles(EvidenceRequest& req, const PolicyEngine& engine)
{
    auto add = [&](const char* prefix, const std::string& path, const std::string& sha) {
        EvidencePlanFailure failure;
        std::optional<std::string> text = readRegularFile(path, YamlLimits().maxBytes, &failure.read);
        if (!text || sha256Hex(*text) != sha) {
            failure.error = text ? EvidencePlanError::PolicyChanged : EvidencePlanError::PolicyUnreadable;
            failure.path = path;
            return failure;
        }
        req.policyFiles.push_back({prefix + QFileInfo(QString::fromStdString(path)).fileName().toStdString(), std::move(*text)});
        return failure;
    };
    EvidencePlanFailure failure = add("policy-", engine.policy().path, engine.policy().sha256);
    if (failure.error == EvidencePlanError::None && engine.capabilities())
        failure = add("capabilities-", engine.capabilities()->path, engine.capabilities()->sha256);
    return failure;
}

EvidenceResult writeEvidenceBundle(const EvidenceRequest& req, const std::string& zipPath)
{
    OutputRules rules;
    if (req.ws)
        for (std::size_t f = 0; f < req.ws->fileCount(); ++f)
            rules.inputs.push_back(req.ws->file(f).path());
    return writeEvidenceBundle(req, chooseOutputFile(zipPath, std::move(rules)));
}

EvidenceResult writeEvidenceBundle(const EvidenceRequest& req, const OutputTarget& target)
{
    EvidenceResult result;
    if (!target.ok()) {
        result.error = "the output " + target.requested + " was refused";
        result.outputFailure = target.failure;
        return result;
    }
    const std::string& zipPath = target.requested;
    if (!req.ws) {
        result.error = "nothing loaded";
        return result;
    }
    const Workspace& ws = *req.ws;
    result.notes = req.exportNotes;
    const std::string created = req.createdAt.empty() ? utcNowIso() : req.createdAt;
    std::vector<Member> members;
    std::vector<std::uint32_t> rows = req.rows;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.empty()) {
        result.error = "no traces selected";
        return result;
    }
    // limits before work: nothing is built for a selection the reader would refuse
    if (std::string over = exportLimitProblem(req, rows); !over.empty()) {
        result.error = std::move(over);
        return result;
    }
    // the bundle records what was loaded; a source changed since is said, not re-read
    if (std::string gone = sourceChangeNotes(ws, rows, result.notes); !gone.empty()) {
        result.error = std::move(gone);
        return result;
    }

    // sources: every file that holds a selected trace, with its hash as computed at load
    std::vector<std::uint32_t> fileIndex(ws.fileCount(), UINT32_MAX);
    nlohmann::json sources = nlohmann::json::array();
    for (const std::uint32_t r : rows) {
        const std::uint32_t f = ws.row(r).file;
        if (fileIndex[f] != UINT32_MAX)
            continue;
        fileIndex[f] = static_cast<std::uint32_t>(sources.size());
        const ReplayModel& m = ws.file(f);
        nlohmann::json source = {{"path", m.path()}, {"bytes", m.storedBytes().size()}, {"sha256", m.sha256()}};
        if (m.compression() != Compression::None) {
            // the hash is of the file as stored; offsets are in its decompressed stream
            source["compression"] = compressionName(m.compression());
            source["decompressed_bytes"] = m.bytes().size();
        }
        sources.push_back(std::move(source));
    }

    // records first, as their exact bytes, each followed by LF, placed by the index
    // (a record may span lines): the two big members are then deflated and hashed in
    // the background while the per-trace documents are built
    std::string lines;
    std::string index = "[";
    nlohmann::json traceIds = nlohmann::json::array();
    std::size_t lineNo = 0;
    for (const std::uint32_t r : rows) { // a copy and a hash per record: the progress steps are the documents below
        const TraceRow& row = ws.row(r);
        const ReplayModel& m = ws.fileOf(row);
        const std::string traceId(ws.str(row, row.traceId));
        traceIds.push_back(traceId);
        const std::string traceIdJson = indexTraceIdJson(traceId);
        const std::span<const std::uint32_t> events = m.traceEvents(row.trace);
        // the records' hashes on every core (the largest part of the index's cost),
        // and both members sized once instead of doubling through hundreds of MiB
        std::vector<char> recordHashes(events.size() * 64);
        parallelFor(events.size(), 4096, [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i)
                sha256HexInto(m.raw(m.event(events[i])), &recordHashes[i * 64]);
        });
        std::size_t recordBytes = 0;
        for (const std::uint32_t e : events)
            recordBytes += m.event(e).length + 1;
        lines.reserve(lines.size() + recordBytes);
        index.reserve(index.size() + events.size() * (indexEntryMinBytes(traceId) + 48));
        for (std::size_t i = 0; i < events.size(); ++i) {
            const EventRecord& rec = m.event(events[i]);
            const std::string_view raw = m.raw(rec);
            index += lineNo++ ? ",\n" : "\n";
            appendIndexEntry(index, lineNo, traceIdJson, fileIndex[row.file], rec.line, rec.offset, lines.size(), raw.size(),
                             std::string_view(&recordHashes[i * 64], 64));
            lines.append(raw.data(), raw.size());
            lines += '\n';
        }
    }
    index += "\n]\n";
    result.lines = lineNo;
    std::atomic<bool> stopPreparing{false};
    auto prepare = [&stopPreparing](const std::string* bytes) {
        PreparedMember p{deflateChunked(*bytes, kZipLevel, std::max(1u, std::thread::hardware_concurrency()), 1u << 20, &stopPreparing), {}};
        if (p.deflated.ok)
            p.sha256 = sha256Hex(*bytes);
        return p;
    };
    // declared after the strings they read: on any return they are stopped, then waited for, then the strings go
    std::future<PreparedMember> linesReady = std::async(std::launch::async, prepare, &lines);
    std::future<PreparedMember> indexReady = std::async(std::launch::async, prepare, &index);
    const StopOnExit stopOnExit{stopPreparing};

    std::vector<EvidenceTrace> reportTraces;
    struct Layout
    {
        std::string member, traceId, dot;
        bool ok = false;
    };
    std::vector<Layout> layouts;
    std::size_t done = 0;
    for (const std::uint32_t r : rows) {
        if (req.progress && !req.progress(done, rows.size())) {
            result.cancelled = true;
            result.error = "cancelled";
            return result;
        }
        ++done;
        TraceDocuments docs = traceDocuments(ws, r, "traces/" + std::to_string(done) + "-", created);
        std::move(docs.members.begin(), docs.members.end(), std::back_inserter(members));
        if (req.graphSvg)
            layouts.push_back({docs.report.member + "graph.svg", docs.report.traceId, std::move(docs.dot)});
        reportTraces.push_back(std::move(docs.report));
    }
    // layouts are separate helper processes: run as many at once as there are cores
    if (!layouts.empty()) {
        std::atomic<std::size_t> next{0};
        std::atomic<bool> stop{false};
        std::mutex lock;
        auto worker = [&] {
            for (std::size_t i = next++; i < layouts.size() && !stop; i = next++) {
                Layout& l = layouts[i];
                const LayoutRun svg = runLayoutHelper(l.dot, "svg", 10000);
                l.ok = svg.error == LayoutError::None;
                l.dot = l.ok ? svg.output : layoutRecordText(svg); // reuse: the SVG, or why there is none
                if (req.progress) {
                    const std::lock_guard<std::mutex> guard(lock);
                    if (!req.progress(rows.size() + i + 1, rows.size() + layouts.size()))
                        stop = true;
                }
            }
        };
        std::vector<std::thread> threads;
        for (unsigned t = 1; t < std::max(1u, std::thread::hardware_concurrency()); ++t)
            threads.emplace_back(worker);
        worker();
        for (std::thread& t : threads)
            t.join();
        if (stop) {
            result.cancelled = true;
            result.error = "cancelled";
            return result;
        }
        for (Layout& l : layouts) {
            if (l.ok)
                members.push_back({l.member, std::move(l.dot)});
            else if (result.notes.size() < 20)
                result.notes.push_back("no graph.svg for " + l.traceId + ": " + l.dot);
        }
    }
    std::unordered_map<std::string, PreparedMember> prepared;
    prepared.emplace("audit/lines.jsonl", linesReady.get());
    prepared.emplace("audit/index.json", indexReady.get());
    for (const auto& [name, p] : prepared)
        if (!p.deflated.ok) {
            result.error = "cannot compress " + name;
            return result;
        }
    members.push_back({"audit/lines.jsonl", std::move(lines)});
    // one UTF-8 policy everywhere: paths from argv may not be UTF-8
    constexpr auto replace = nlohmann::json::error_handler_t::replace;
    members.push_back({"audit/index.json", std::move(index)});
    members.push_back({"audit/sources.json", sources.dump(2, ' ', false, replace) + "\n"});
    for (const EvidenceRequest::File& f : req.policyFiles)
        members.push_back({"reevaluation/" + safeMemberName(f.name), f.bytes});
    if (!req.replayDiffJson.empty())
        members.push_back({"reevaluation/replay-diff.json", req.replayDiffJson});
    if (!req.analysisReport.empty())
        members.push_back({kAnalysisReportMember, req.analysisReport});
    for (const EvidenceRequest::File& f : req.analysisFiles)
        members.push_back({kAnalysisConfigPrefix + safeMemberName(f.name), f.bytes});

    EvidenceReportInfo info;
    info.tool = req.tool;
    info.version = RW_VERSION;
    info.created = created;
    info.examiner = req.examiner;
    info.caseId = req.caseId;
    info.notes = req.notes;
    info.filter = req.filter;
    info.sources = sources;
    info.traces = reportTraces;
    info.reevaluated = !req.policyFiles.empty();
    info.signedBy = req.signKey ? req.signKey->pub().keyIdHex() : std::string();
    // the report lists the hashes of what was examined; the per-trace
    // documents' hashes are in the manifest (thousands of rows would make the
    // PDF slow to write and no easier to read)
    // each member hashed once (the audit members are as big as the traces)
    std::unordered_map<std::string, std::string> hashes;
    {
        std::vector<std::string> digests(members.size());
        parallelFor(members.size(), 1, [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                const auto it = prepared.find(members[i].name);
                digests[i] = it != prepared.end() ? it->second.sha256 : sha256Hex(members[i].bytes);
            }
        });
        for (std::size_t i = 0; i < members.size(); ++i)
            hashes.emplace(members[i].name, std::move(digests[i]));
    }
    auto hashOf = [&hashes](const Member& m) -> const std::string& {
        auto it = hashes.find(m.name);
        if (it == hashes.end())
            it = hashes.emplace(m.name, sha256Hex(m.bytes)).first;
        return it->second;
    };
    for (const Member& m : members)
        if (m.name.rfind("traces/", 0) != 0)
            info.memberHashes.emplace_back(m.name, hashOf(m));
    const std::string html = evidenceReportHtml(info);
    members.push_back({"report.html", html});
    if (req.renderPdf) {
        std::string pdf = req.renderPdf(html);
        if (!pdf.empty())
            members.push_back({"report.pdf", std::move(pdf)});
        else
            result.notes.push_back("report.pdf could not be rendered");
    }

    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.name < b.name; });
    nlohmann::json list = nlohmann::json::array();
    for (const Member& m : members)
        list.push_back({{"path", m.name}, {"bytes", m.bytes.size()}, {"sha256", hashOf(m)}});
    // the export entry of the custody log, every field of it, is in the signed manifest
    const nlohmann::json custodyClaims = exportCustodyClaims(req.tool, RW_VERSION, created, req.examiner, rows.size());
    nlohmann::json manifest = {{"format", "aisecops-replay-evidence"},
                               {"format_version", 2},
                               {"tool", {{"name", req.tool}, {"version", RW_VERSION}}},
                               {"created_at", created},
                               {"examiner", req.examiner},
                               {"case_id", req.caseId},
                               {"notes", req.notes},
                               {"selection", {{"filter", req.filter}, {"trace_ids", traceIds}}},
                               {"sources", sources},
                               {"members", list},
                               {"signed", req.signKey.has_value()},
                               {"signature_member", kSignatureMember},
                               {"custody_prefix", kCustodyPrefix},
                               {"custody_export", custodyClaims},
                               {"export_notes", result.notes}};
    if (req.signKey)
        manifest["public_key_id"] = req.signKey->pub().keyIdHex();
    const std::string manifestBytes = canonicalJson(manifest);
    result.manifestSha256 = sha256Hex(manifestBytes);
    members.push_back({kManifestMember, manifestBytes});
    if (req.signKey) {
        const std::string sig = signMinisign(*req.signKey, manifestBytes,
                                             "aisecops-replay evidence manifest sha256:" + result.manifestSha256 +
                                                 " created:" + created);
        if (sig.empty()) {
            result.error = "signing failed";
            return result;
        }
        members.push_back({kSignatureMember, sig});
    }
    // the custody log starts with the export; later verifications append entries
    members.push_back({std::string(kCustodyPrefix) + "0001-export.json", expectedExportEntry(manifest, result.manifestSha256)});
    result.members = members.size();
    // never write what our own reader would refuse
    const BundleLimits& limits = req.limits;
    std::uint64_t total = 0;
    for (const Member& m : members) {
        total += m.bytes.size();
        if (m.bytes.size() > limits.maxMemberBytes) {
            result.error = m.name + " would exceed the bundle limit of " + std::to_string(limits.maxMemberBytes >> 20) +
                           " MiB per member: export fewer traces at a time";
            return result;
        }
    }
    if (members.size() > limits.maxEntries || total > limits.maxTotalBytes) {
        result.error = "the bundle would exceed " + std::to_string(limits.maxEntries) + " members or " +
                       std::to_string(limits.maxTotalBytes >> 20) + " MiB: export fewer traces at a time";
        return result;
    }

    // write next to the target, then rename: never a half-written bundle under the final name
    std::unique_ptr<OutputFile> out = OutputFile::create(target, &result.outputFailure);
    if (!out) {
        result.error = "cannot write next to " + zipPath;
        return result;
    }
    const QDateTime time = QDateTime::fromString(QString::fromStdString(created).left(19), Qt::ISODate);
    // written through the open temporary file: no reopening by name
    QFile file;
    if (!file.open(out->fd(), QIODevice::ReadWrite, QFileDevice::DontCloseHandle) ||
        !writeZip(members, prepared, &file, time.isValid() ? time : QDateTime::currentDateTimeUtc(), &result.error) || !file.flush()) {
        result.error = "cannot write " + zipPath + (result.error.empty() ? "" : ": " + result.error);
        result.outputFailure = {OutputError::WriteFailed, 0, FileType::Regular, {}};
        return result;
    }
    // the bytes are in the archive now: the check below reads them back, into the
    // big members' buffers (already mapped, which fresh memory is not)
    std::vector<std::string> spare;
    for (Member& m : members)
        if (m.bytes.capacity() >= (1u << 20)) {
            m.bytes.clear();
            spare.push_back(std::move(m.bytes));
        }
    members.clear();
    // what we report as written must verify: a bundle that fails its own check is
    // not kept (read back through the same open file: no reopening by name)
    if (const std::string failed = selfVerificationProblem(&file, req, std::move(spare)); !failed.empty()) {
        result.error = "the bundle failed its own verification (" + failed + "); it was not kept";
        return result;
    }
    file.close();
    // one rename replaces an older bundle of that name (keeping its mode); it is never removed first
    result.outputFailure = out->commit();
    if (result.outputFailure.error != OutputError::None) {
        result.error = "cannot write " + zipPath;
        return result;
    }
    struct stat st{};
    result.bytes = ::stat(target.path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    result.ok = true;
    return result;
}

} // namespace rw
