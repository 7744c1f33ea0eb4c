#include "replay/evidence/evidenceverify.h"

#include "model/eventjson.h"
#include "model/outputfile.h"
#include "model/parallelfor.h"
#include "model/regularfile.h"
#include "model/sourcefile.h"
#include "replay/evidence/evidenceanalysis.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencecustody.h"
#include "replay/evidence/evidencerecords.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <QFile>
#include <QFileInfo>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <unistd.h>

namespace rw {

namespace {

void add(VerifyReport& r, std::string item, CheckStatus s, std::string detail = {}, CheckHint hint = CheckHint::None)
{
    r.items.push_back({std::move(item), s, std::move(detail), hint});
}

bool isCustody(const std::string& name) { return name.rfind(kCustodyPrefix, 0) == 0; }

// Typed reads that never throw: a hostile manifest has the wrong types in the right places.
std::string str(const nlohmann::json& j, const char* key)
{
    if (!j.is_object())
        return {};
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::uint64_t> uint(const nlohmann::json& j, const char* key)
{
    if (!j.is_object())
        return std::nullopt;
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned())
        return std::nullopt;
    return it->get<std::uint64_t>();
}

// JSON of a member, refused beyond 64 levels of nesting (serialising and
// copying are recursive) and beyond `maxBytes`.
std::optional<nlohmann::json> parseMember(const std::string& bytes, std::size_t maxBytes = 512u << 20)
{
    if (bytes.size() > maxBytes)
        return std::nullopt;
    return parseJsonValue(bytes, 64);
}

// custody/NNNN-<action>.json, numbered from 0001 without gaps
bool custodyName(const std::string& name, std::size_t expected)
{
    char number[16];
    std::snprintf(number, sizeof number, "%04zu-", expected);
    const std::string prefix = std::string(kCustodyPrefix) + number;
    if (name.rfind(prefix, 0) != 0 || name.size() <= prefix.size() + 5 || name.compare(name.size() - 5, 5, ".json") != 0)
        return false;
    for (std::size_t i = prefix.size(); i < name.size() - 5; ++i)
        if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '-'))
            return false;
    return true;
}

} // namespace

const char* checkStatusName(CheckStatus status)
{
    switch (status) {
    case CheckStatus::Pass: return "PASS";
    case CheckStatus::Fail: return "FAIL";
    case CheckStatus::NotApplicable: return "NOT APPLICABLE";
    }
    return "";
}

bool VerifyReport::passed() const
{
    if (items.empty() || manifest.is_null())
        return false;
    for (const CheckItem& i : items)
        if (i.status == CheckStatus::Fail)
            return false;
    return true;
}

bool VerifyReport::authenticated() const
{
    for (const CheckItem& i : items)
        if (i.item == "signature")
            return i.status == CheckStatus::Pass && passed();
    return false;
}

namespace {

// The manifest first, then only the members it lists at the sizes it lists:
// a member the archive declares bigger (or the manifest omits) is never
// inflated, and members are hashed in chunks, not held, except the few the
// checks read.
BundleReadPlan verificationPlan(std::shared_ptr<std::vector<std::string>> spare)
{
    BundleReadPlan plan;
    plan.spare = std::move(spare);
    plan.first = {kManifestMember, kSignatureMember};
    auto listed = std::make_shared<std::optional<std::map<std::string, std::uint64_t>>>();
    plan.decide = [listed](const std::string& name, std::uint64_t declared, const BundleRead& soFar) {
        if (isCustody(name))
            return declared <= (1u << 20) ? MemberRead::Keep : MemberRead::Skip;
        if (!*listed) {
            std::map<std::string, std::uint64_t> sizes;
            const BundleEntry* m = soFar.find(kManifestMember);
            const auto manifest = m ? parseMember(m->bytes, 256u << 20) : std::nullopt;
            if (manifest && manifest->is_object() && manifest->contains("members") && (*manifest)["members"].is_array())
                for (const auto& e : (*manifest)["members"])
                    if (const auto bytes = uint(e, "bytes"); bytes && !str(e, "path").empty())
                        sizes.emplace(str(e, "path"), *bytes);
            *listed = std::move(sizes);
        }
        const auto it = (*listed)->find(name);
        if (it == (*listed)->end() || it->second != declared)
            return MemberRead::Skip;
        return name == "audit/lines.jsonl" || name == "audit/index.json" || name == kAnalysisReportMember ? MemberRead::Keep
                                                                                                           : MemberRead::HashOnly;
    };
    return plan;
}

} // namespace

VerifyReport verifyBundle(const std::string& path, const VerifyOptions& options)
{
    const BundleReadPlan plan = verificationPlan(options.spareBuffers);
    return verifyBundle(readBundle(path, options.limits, &plan), options);
}

VerifyReport verifyBundle(QIODevice* device, const VerifyOptions& options)
{
    const BundleReadPlan plan = verificationPlan(options.spareBuffers);
    return verifyBundle(readBundle(device, options.limits, &plan), options);
}

namespace {
VerifyReport verifyChecked(const BundleRead& bundle, const VerifyOptions& o);
}

VerifyReport verifyBundle(const BundleRead& bundle, const VerifyOptions& o)
{
    // fails closed whatever happens inside
    try {
        return verifyChecked(bundle, o);
    } catch (const std::exception& e) {
        VerifyReport r;
        add(r, "verification", CheckStatus::Fail, std::string("stopped on malformed content: ") + e.what());
        return r;
    }
}

namespace {

VerifyReport verifyChecked(const BundleRead& bundle, const VerifyOptions& o)
{
    VerifyReport r;
    r.inflatedBytes = bundle.inflatedBytes;
    if (bundle.error != BundleError::None) {
        add(r, "archive", CheckStatus::Fail, std::string(bundleErrorName(bundle.error)) + ": " + bundle.detail);
        return r;
    }
    add(r, "archive", CheckStatus::Pass, std::to_string(bundle.entries.size()) + " members, no unsafe names, within limits");

    const BundleEntry* manifestEntry = bundle.find(kManifestMember);
    if (!manifestEntry) {
        add(r, "manifest", CheckStatus::Fail, "manifest.json is missing");
        return r;
    }
    const auto parsed = parseMember(manifestEntry->bytes, 256u << 20);
    if (!parsed) {
        add(r, "manifest", CheckStatus::Fail, "manifest.json is not JSON (or nests deeper than 64 levels)");
        return r;
    }
    nlohmann::json manifest = *parsed;
    if (!manifest.is_object() || !manifest.contains("members") || !manifest["members"].is_array() ||
        str(manifest, "format") != "aisecops-replay-evidence") {
        add(r, "manifest", CheckStatus::Fail, "manifest.json is not an evidence manifest");
        return r;
    }
    r.manifestSha256 = sha256Hex(manifestEntry->bytes);
    const bool canonical = canonicalJson(manifest) == manifestEntry->bytes;
    add(r, "manifest", canonical ? CheckStatus::Pass : CheckStatus::Fail,
        canonical ? "canonical JSON, sha256 " + r.manifestSha256 : "not in canonical form (it was rewritten)");

    // signature: required when a key is given or the manifest says it is signed
    const auto signedIt = manifest.find("signed");
    // anything but an explicit false counts as "signed": a doubt never skips the check
    const bool saysSigned = !(signedIt != manifest.end() && signedIt->is_boolean() && !signedIt->get<bool>());
    const BundleEntry* sigEntry = bundle.find(kSignatureMember);
    if (!o.publicKey && !saysSigned) {
        add(r, "signature", sigEntry ? CheckStatus::Fail : CheckStatus::NotApplicable,
            sigEntry ? "a signature is present but the manifest says unsigned" : "the bundle is not signed");
    } else if (!sigEntry) {
        add(r, "signature", CheckStatus::Fail, "manifest.json.minisig is missing");
    } else if (!o.publicKey) {
        add(r, "signature", CheckStatus::Fail, "the manifest says it is signed", CheckHint::NeedsPublicKey);
    } else {
        std::string error;
        const auto sig = parseSignature(sigEntry->bytes, &error);
        if (!sig) {
            add(r, "signature", CheckStatus::Fail, error);
        } else {
            switch (verifyMinisign(*o.publicKey, *sig, manifestEntry->bytes)) {
            case SignatureCheck::Valid:
                add(r, "signature", CheckStatus::Pass, "Ed25519 (minisign) by key " + o.publicKey->keyIdHex());
                break;
            case SignatureCheck::WrongKey:
                add(r, "signature", CheckStatus::Fail, "signed by another key than " + o.publicKey->keyIdHex());
                break;
            case SignatureCheck::BadSignature:
                add(r, "signature", CheckStatus::Fail, "the signature does not match manifest.json");
                break;
            case SignatureCheck::BadTrustedComment:
                add(r, "signature", CheckStatus::Fail, "the trusted comment was altered");
                break;
            }
        }
    }

    // every listed member: present, size, hash
    std::set<std::string> listed;
    for (const auto& m : manifest["members"]) {
        if (!m.is_object() || !m.contains("path") || !m["path"].is_string()) {
            add(r, "manifest members", CheckStatus::Fail, "a member entry without a path");
            continue;
        }
        const std::string name = m["path"].get<std::string>();
        listed.insert(name);
        const BundleEntry* e = bundle.find(name);
        if (!e) {
            add(r, "member " + name, CheckStatus::Fail, "missing from the archive");
            continue;
        }
        const MemberDigest d = bundle.digest(*e);
        const std::string& sha = d.sha256;
        if (!d.inflated)
            add(r, "member " + name, CheckStatus::Fail,
                "the archive declares " + std::to_string(d.declaredBytes) + " bytes, the manifest " +
                    (uint(m, "bytes") ? std::to_string(*uint(m, "bytes")) : std::string("no size")) + ": not inflated");
        else if (str(m, "sha256") != sha)
            add(r, "member " + name, CheckStatus::Fail, "SHA-256 differs: " + sha);
        else if (uint(m, "bytes") != std::optional<std::uint64_t>(d.bytes))
            add(r, "member " + name, CheckStatus::Fail, "size differs");
        else
            add(r, "member " + name, CheckStatus::Pass, sha);
    }
    std::vector<std::string> unlisted;
    for (const BundleEntry& e : bundle.entries)
        if (!listed.count(e.name) && e.name != kManifestMember && e.name != kSignatureMember && !isCustody(e.name))
            unlisted.push_back(e.name);
    std::string names;
    for (const std::string& n : unlisted)
        names += (names.empty() ? "" : ", ") + n;
    add(r, "unlisted members", unlisted.empty() ? CheckStatus::Pass : CheckStatus::Fail,
        unlisted.empty() ? "none" : names);

    // the original lines against their index
    const BundleEntry* lines = bundle.find("audit/lines.jsonl");
    const BundleEntry* indexEntry = bundle.find("audit/index.json");
    std::optional<std::vector<IndexEntry>> index;
    if (lines && indexEntry && indexEntry->bytes.size() <= (512u << 20))
        index = readIndex(indexEntry->bytes);
    // sliced by the index once, never split on LF: every source check reuses it
    const bool offsetsRequired = uint(manifest, "format_version").value_or(1) >= 2;
    const RecordSlices slices = lines && index ? sliceRecords(lines->bytes, *index, offsetsRequired) : RecordSlices();
    const std::vector<std::string_view>& split = slices.records;
    if (!lines || !index) {
        add(r, "original lines", CheckStatus::Fail, "audit/lines.jsonl or audit/index.json missing or unreadable");
    } else if (!slices.problem.empty()) {
        add(r, "original lines", CheckStatus::Fail, slices.problem);
    } else {
        // millions of records: hashed on every core, counted per block
        std::atomic<std::size_t> badCount{0}, firstBad{SIZE_MAX};
        parallelFor(split.size(), 4096, [&](std::size_t begin, std::size_t end) {
            std::size_t blockBad = 0, blockFirst = SIZE_MAX;
            char hex[64];
            for (std::size_t i = begin; i < end; ++i) {
                sha256HexInto(split[i], hex);
                if (!(*index)[i].sha256Is(std::string_view(hex, sizeof hex)) && blockBad++ == 0)
                    blockFirst = i + 1;
            }
            badCount += blockBad;
            for (std::size_t seen = firstBad.load(); blockFirst < seen && !firstBad.compare_exchange_weak(seen, blockFirst);)
                ;
        });
        const std::size_t bad = badCount, first = firstBad;
        add(r, "original lines", bad ? CheckStatus::Fail : CheckStatus::Pass,
            bad ? std::to_string(bad) + (bad == 1 ? " line differs" : " lines differ") + " from its hash, first at line " +
                      std::to_string(first)
                : std::to_string(split.size()) + " lines match their SHA-256");
        if (o.keepLines)
            r.lines = lines->bytes;
    }

    // the analysis, when the bundle carries one: its configuration and every witness against the exported records
    checkBundleAnalysis(r, bundle, manifest, index ? &*index : nullptr,
                        lines && index && slices.problem.empty() ? &split : nullptr);

    // the custody log: numbered entries in a hash chain from the manifest. The
    // export entry must agree with the signed manifest; later entries (recorded
    // verifications) are not signed, which the item says.
    std::map<std::string, const BundleEntry*> custody;
    for (const BundleEntry& e : bundle.entries)
        if (isCustody(e.name))
            custody.emplace(e.name, &e);
    r.custodyEntries = custody.size();
    if (custody.empty()) {
        add(r, "custody log", CheckStatus::Fail, "no custody entry (the export records one)");
    } else {
        std::string prev = r.manifestSha256;
        std::string problem;
        std::size_t n = 0;
        for (const auto& [name, e] : custody) {
            ++n;
            if (!custodyName(name, n)) {
                problem = name + " is not the custody entry expected next (custody/" + std::to_string(n) + "-…)";
                break;
            }
            // every field of every entry: the export entry against the signed manifest, the others by shape and chain
            problem = custodyEntryProblem(name, e->bytes, n, manifest, r.manifestSha256, prev);
            if (!problem.empty())
                break;
            prev = sha256Hex(e->bytes);
        }
        add(r, "custody log", problem.empty() ? CheckStatus::Pass : CheckStatus::Fail,
            problem.empty() ? std::to_string(custody.size()) + (custody.size() == 1 ? " entry, chained" : " entries, chained") +
                                  (custody.size() > 1 ? "; the export entry matches the manifest, later entries are unsigned records"
                                                      : "; matches the manifest")
                            : problem);
    }

    // the source files, when given: hash and every exported line at its offset
    const auto sourcesIt = manifest.find("sources");
    const nlohmann::json sources = sourcesIt != manifest.end() && sourcesIt->is_array() ? *sourcesIt : nlohmann::json::array();
    if (o.sourceFiles.empty()) {
        add(r, "source files", CheckStatus::NotApplicable, "no audit file given", CheckHint::NeedsSourceFiles);
    }
    for (const std::string& path : o.sourceFiles) {
        // mapped, not read whole, through the one opener: a FIFO, /dev/zero or a
        // directory is refused as such (the source, not the bundle, is at fault)
        ReadFailure failure;
        const std::unique_ptr<SourceFile> mapped = SourceFile::open(path, nullptr, nullptr, &failure);
        if (!mapped) {
            add(r, "source " + path, CheckStatus::Fail, "cannot be read: " + readFailureReason(failure));
            continue;
        }
        // the hash covers the file as stored; line offsets refer to its decompressed stream
        const std::string_view bytes = mapped->bytes();
        const std::string sha = sha256Hex(mapped->storedBytes());
        // match by hash, else by file name (then the hash check fails, and the lines say what still matches)
        std::int64_t source = -1;
        for (std::size_t i = 0; i < sources.size(); ++i)
            if (str(sources[i], "sha256") == sha)
                source = static_cast<std::int64_t>(i);
        const std::string base = QFileInfo(QString::fromStdString(path)).fileName().toStdString();
        if (source < 0)
            for (std::size_t i = 0; i < sources.size(); ++i)
                if (QFileInfo(QString::fromStdString(str(sources[i], "path"))).fileName().toStdString() == base)
                    source = static_cast<std::int64_t>(i);
        if (source < 0) {
            add(r, "source " + path, CheckStatus::Fail, "not a source of this bundle (hash " + sha + ")");
            continue;
        }
        const bool sameHash = str(sources[static_cast<std::size_t>(source)], "sha256") == sha;
        add(r, "source " + path, sameHash ? CheckStatus::Pass : CheckStatus::Fail,
            sameHash ? "SHA-256 matches the manifest" : "SHA-256 differs from the manifest: the file changed since export");
        if (!index || !lines || !slices.problem.empty())
            continue;
        std::size_t checked = 0, bad = 0;
        for (std::size_t i = 0; i < index->size() && i < split.size(); ++i) {
            if ((*index)[i].get(IndexEntry::Source) != std::optional<std::uint64_t>(static_cast<std::uint64_t>(source)))
                continue;
            ++checked;
            const std::uint64_t off = (*index)[i].get(IndexEntry::ByteOffset).value_or(UINT64_MAX);
            if (off > bytes.size() || bytes.substr(static_cast<std::size_t>(off), split[i].size()) != split[i])
                ++bad;
        }
        add(r, "lines in " + path, bad ? CheckStatus::Fail : CheckStatus::Pass,
            bad ? std::to_string(bad) + " of " + std::to_string(checked) + " lines no longer match the source at their offset"
                : std::to_string(checked) + " lines match the source at their byte offsets");
    }
    r.manifest = std::move(manifest);
    return r;
}

} // namespace

std::string appendCustodyEntry(const std::string& path, const VerifyReport& report, const std::string& action,
                               const std::string& by, const std::string& tool)
{
    const BundleRead bundle = readBundle(path);
    if (bundle.error != BundleError::None || report.manifestSha256.size() != 64)
        return "cannot read the bundle";
    std::map<std::string, const BundleEntry*> custody;
    for (const BundleEntry& e : bundle.entries)
        if (isCustody(e.name))
            custody.emplace(e.name, &e);
    // the next number follows the entries in order (the verifier requires 0001, 0002, ... without gaps)
    const std::string prev = custody.empty() ? report.manifestSha256 : sha256Hex(custody.rbegin()->second->bytes);
    char number[16];
    std::snprintf(number, sizeof number, "%04zu", custody.size() + 1);
    std::string safeAction;
    for (const char c : action)
        if ((c >= 'a' && c <= 'z') || c == '-')
            safeAction += c;
    const nlohmann::json entry = {{"action", safeAction},
                                  {"at", utcNowIso()},
                                  {"by", by},
                                  {"tool", tool},
                                  {"result", report.passed() ? "pass" : "fail"},
                                  {"prev_sha256", prev}};
    // append to a copy, then replace the bundle in one rename: a crash or a
    // full disk never leaves a half-rewritten evidence file. The copy has an
    // unpredictable name (never a user's file), the bundle keeps its mode, and
    // a symlinked bundle is updated where the link points.
    const OutputTarget target = chooseOutputFile(path, {OutputKind::InPlace, {}, {}, false});
    ReadFailure readFailure;
    const std::unique_ptr<RegularFile> original = RegularFile::open(target.path, ReadLimits::kEvidenceBundle, &readFailure);
    const std::unique_ptr<OutputFile> out = original ? OutputFile::create(target, nullptr) : nullptr;
    if (!out)
        return "cannot rewrite the bundle in place";
    char chunk[1 << 16];
    for (ssize_t n; (n = ::read(original->fd(), chunk, sizeof chunk)) != 0;)
        if (n < 0 ? errno != EINTR : !out->write({chunk, static_cast<std::size_t>(n)}))
            return "cannot copy the bundle to append to it";
    {
        QFile device;
        if (!device.open(out->fd(), QIODevice::ReadWrite, QFileDevice::DontCloseHandle))
            return "cannot open the bundle to append";
        QuaZip zip(&device);
        zip.setAutoClose(false);
        if (!zip.open(QuaZip::mdAdd))
            return "cannot open the bundle to append";
        QuaZipFile file(&zip);
        const std::string bytes = canonicalJson(entry);
        const QString name = QString::fromStdString(std::string(kCustodyPrefix) + number + "-" + safeAction + ".json");
        const bool written = file.open(QIODevice::WriteOnly, QuaZipNewInfo(name)) &&
                             file.write(bytes.data(), static_cast<qint64>(bytes.size())) == static_cast<qint64>(bytes.size());
        file.close();
        zip.close();
        if (!written || file.getZipError() != 0 || zip.getZipError() != 0 || !device.flush())
            return "cannot append the custody entry";
    }
    if (out->commit().error != OutputError::None)
        return "cannot replace the bundle";
    return {};
}

} // namespace rw
