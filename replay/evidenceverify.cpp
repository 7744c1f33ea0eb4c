#include "evidenceverify.h"

#include "evidencebundle.h"
#include "sourcefile.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <QFileInfo>

#include <map>
#include <set>

namespace rw {

namespace {

void add(VerifyReport& r, std::string item, CheckStatus s, std::string detail = {})
{
    r.items.push_back({std::move(item), s, std::move(detail)});
}

bool isCustody(const std::string& name) { return name.rfind(kCustodyPrefix, 0) == 0; }

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
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

VerifyReport verifyBundle(const std::string& path, const VerifyOptions& options)
{
    return verifyBundle(readBundle(path, options.limits), options);
}

VerifyReport verifyBundle(const BundleRead& bundle, const VerifyOptions& o)
{
    VerifyReport r;
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
    nlohmann::json manifest;
    try {
        manifest = nlohmann::json::parse(manifestEntry->bytes, nullptr, true, false);
    } catch (const std::exception&) {
        add(r, "manifest", CheckStatus::Fail, "manifest.json is not JSON");
        return r;
    }
    if (!manifest.is_object() || !manifest.contains("members") || !manifest["members"].is_array() ||
        manifest.value("format", std::string()) != "aisecops-replay-evidence") {
        add(r, "manifest", CheckStatus::Fail, "manifest.json is not an evidence manifest");
        return r;
    }
    r.manifestSha256 = sha256Hex(manifestEntry->bytes);
    const bool canonical = canonicalJson(manifest) == manifestEntry->bytes;
    add(r, "manifest", canonical ? CheckStatus::Pass : CheckStatus::Fail,
        canonical ? "canonical JSON, sha256 " + r.manifestSha256 : "not in canonical form (it was rewritten)");

    // signature: required when a key is given or the manifest says it is signed
    const bool saysSigned = manifest.value("signed", false);
    const BundleEntry* sigEntry = bundle.find(kSignatureMember);
    if (!o.publicKey && !saysSigned) {
        add(r, "signature", sigEntry ? CheckStatus::Fail : CheckStatus::NotApplicable,
            sigEntry ? "a signature is present but the manifest says unsigned" : "the bundle is not signed");
    } else if (!sigEntry) {
        add(r, "signature", CheckStatus::Fail, "manifest.json.minisig is missing");
    } else if (!o.publicKey) {
        add(r, "signature", CheckStatus::Fail, "the manifest says it is signed: give --public-key to check it");
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
        const std::string sha = sha256Hex(e->bytes);
        if (m.value("sha256", std::string()) != sha)
            add(r, "member " + name, CheckStatus::Fail, "SHA-256 differs: " + sha);
        else if (m.value("bytes", std::uint64_t(0)) != e->bytes.size())
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
    nlohmann::json index;
    if (lines && indexEntry) {
        try {
            index = nlohmann::json::parse(indexEntry->bytes);
        } catch (const std::exception&) {
        }
    }
    if (!lines || !index.is_array()) {
        add(r, "original lines", CheckStatus::Fail, "audit/lines.jsonl or audit/index.json missing or unreadable");
    } else {
        const auto split = splitLines(lines->bytes);
        std::size_t bad = 0, first = 0;
        if (split.size() != index.size()) {
            add(r, "original lines", CheckStatus::Fail,
                std::to_string(split.size()) + " lines but " + std::to_string(index.size()) + " index entries");
        } else {
            for (std::size_t i = 0; i < split.size(); ++i)
                if (!index[i].is_object() || index[i].value("sha256", std::string()) != sha256Hex(split[i])) {
                    if (bad++ == 0)
                        first = i + 1;
                }
            add(r, "original lines", bad ? CheckStatus::Fail : CheckStatus::Pass,
                bad ? std::to_string(bad) + (bad == 1 ? " line differs" : " lines differ") + " from its hash, first at line " +
                          std::to_string(first)
                    : std::to_string(split.size()) + " lines match their SHA-256");
        }
        r.lines = lines->bytes;
    }

    // the custody log: a hash chain starting at the manifest
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
        for (const auto& [name, e] : custody) {
            nlohmann::json entry;
            try {
                entry = nlohmann::json::parse(e->bytes);
            } catch (const std::exception&) {
            }
            if (!entry.is_object() || entry.value("prev_sha256", std::string()) != prev) {
                problem = name + " breaks the hash chain";
                break;
            }
            prev = sha256Hex(e->bytes);
        }
        add(r, "custody log", problem.empty() ? CheckStatus::Pass : CheckStatus::Fail,
            problem.empty() ? std::to_string(custody.size()) + (custody.size() == 1 ? " entry, chained" : " entries, chained") : problem);
    }

    // the source files, when given: hash and every exported line at its offset
    const nlohmann::json sources = manifest.value("sources", nlohmann::json::array());
    if (o.sourceFiles.empty()) {
        add(r, "source files", CheckStatus::NotApplicable, "no audit file given (--audit-file)");
    }
    for (const std::string& path : o.sourceFiles) {
        QFile f(QString::fromStdString(path));
        if (!f.open(QIODevice::ReadOnly)) {
            add(r, "source " + path, CheckStatus::Fail, "cannot be read");
            continue;
        }
        const QByteArray data = f.readAll();
        const std::string_view bytes(data.constData(), static_cast<std::size_t>(data.size()));
        const std::string sha = sha256Hex(bytes);
        // match by hash, else by file name (then the hash check fails, and the lines say what still matches)
        std::int64_t source = -1;
        for (std::size_t i = 0; i < sources.size(); ++i)
            if (sources[i].value("sha256", std::string()) == sha)
                source = static_cast<std::int64_t>(i);
        const std::string base = QFileInfo(QString::fromStdString(path)).fileName().toStdString();
        if (source < 0)
            for (std::size_t i = 0; i < sources.size(); ++i)
                if (QFileInfo(QString::fromStdString(sources[i].value("path", std::string()))).fileName().toStdString() == base)
                    source = static_cast<std::int64_t>(i);
        if (source < 0) {
            add(r, "source " + path, CheckStatus::Fail, "not a source of this bundle (hash " + sha + ")");
            continue;
        }
        const bool sameHash = sources[static_cast<std::size_t>(source)].value("sha256", std::string()) == sha;
        add(r, "source " + path, sameHash ? CheckStatus::Pass : CheckStatus::Fail,
            sameHash ? "SHA-256 matches the manifest" : "SHA-256 differs from the manifest: the file changed since export");
        if (!index.is_array() || !lines)
            continue;
        const auto split = splitLines(lines->bytes);
        std::size_t checked = 0, bad = 0;
        for (std::size_t i = 0; i < index.size() && i < split.size(); ++i) {
            if (!index[i].is_object() || index[i].value("source", std::int64_t(-1)) != source)
                continue;
            ++checked;
            const std::uint64_t off = index[i].value("byte_offset", std::uint64_t(0));
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

std::string appendCustodyEntry(const std::string& path, const VerifyReport& report, const std::string& action,
                               const std::string& by, const std::string& tool)
{
    const BundleRead bundle = readBundle(path);
    if (bundle.error != BundleError::None)
        return "cannot read the bundle";
    std::map<std::string, const BundleEntry*> custody;
    for (const BundleEntry& e : bundle.entries)
        if (isCustody(e.name))
            custody.emplace(e.name, &e);
    const std::string prev = custody.empty() ? report.manifestSha256 : sha256Hex(custody.rbegin()->second->bytes);
    char number[8];
    std::snprintf(number, sizeof number, "%04zu", custody.size() + 1);
    const nlohmann::json entry = {{"action", action},
                                  {"at", utcNowIso()},
                                  {"by", by},
                                  {"tool", tool},
                                  {"result", report.passed() ? "pass" : "fail"},
                                  {"prev_sha256", prev}};
    QuaZip zip(QString::fromStdString(path));
    if (!zip.open(QuaZip::mdAdd))
        return "cannot open the bundle to append";
    QuaZipFile file(&zip);
    const std::string bytes = canonicalJson(entry);
    if (!file.open(QIODevice::WriteOnly, QuaZipNewInfo(QString::fromStdString(std::string(kCustodyPrefix) + number + "-" + action + ".json"))) ||
        file.write(bytes.data(), static_cast<qint64>(bytes.size())) != static_cast<qint64>(bytes.size()))
        return "cannot append the custody entry";
    file.close();
    zip.close();
    return zip.getZipError() == 0 ? std::string() : "cannot finish the archive";
}

} // namespace rw
