#include "replay/evidence/evidencereader.h"

#include "model/parallelfor.h"
#include "model/regularfile.h"
#include "model/sourcefile.h"
#include "replay/evidence/followinghasher.h"
#include "replay/evidence/zipframing.h"


#include <quazip.h>
#include <quazipfile.h>
#include <quazipfileinfo.h>

#include <QFile>

#include <algorithm>
#include <memory>
#include <set>

namespace rw {

const char* bundleErrorName(BundleError error)
{
    switch (error) {
    case BundleError::None: return "none";
    case BundleError::CannotOpen: return "cannot_open";
    case BundleError::NotAnArchive: return "not_an_archive";
    case BundleError::TooManyEntries: return "too_many_entries";
    case BundleError::UnsafeName: return "unsafe_name";
    case BundleError::Symlink: return "symlink";
    case BundleError::Duplicate: return "duplicate_name";
    case BundleError::Encrypted: return "encrypted";
    case BundleError::TooLarge: return "too_large";
    case BundleError::CompressionRatio: return "compression_ratio";
    case BundleError::Corrupt: return "corrupt";
    case BundleError::StrayBytes: return "stray_bytes";
    }
    return "";
}

const BundleEntry* BundleRead::find(const std::string& name) const
{
    const auto it = m_index.find(name);
    if (it != m_index.end() && it->second < entries.size() && entries[it->second].name == name)
        return &entries[it->second];
    // entries edited after reading (tests rewrite bundles): a plain search
    if (m_index.size() != entries.size())
        for (const BundleEntry& e : entries)
            if (e.name == name)
                return &e;
    return nullptr;
}

MemberDigest BundleRead::digest(const BundleEntry& entry) const
{
    if (const auto it = digests.find(entry.name); it != digests.end())
        return it->second;
    return {entry.bytes.size(), true, entry.bytes.size(), sha256Hex(entry.bytes)};
}

std::string unsafeNameReason(const std::string& name, std::size_t maxBytes)
{
    if (name.empty())
        return "empty name";
    if (name.size() > maxBytes)
        return "name longer than " + std::to_string(maxBytes) + " bytes";
    if (name[0] == '/' || name[0] == '\\')
        return "absolute path";
    if (name.size() >= 2 && name[1] == ':')
        return "drive letter";
    for (const char c : name) {
        if (c == '\\')
            return "backslash in path";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return "control character in name";
    }
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find('/', start);
        if (end == std::string::npos)
            end = name.size();
        const std::string part = name.substr(start, end - start);
        if (part == "..")
            return "parent directory (..) in path";
        if (part == ".")
            return "\".\" component in path";
        if (part.empty() && end != name.size())
            return "empty path component";
        start = end + 1;
    }
    return {};
}

BundleRead readBundle(const std::string& path, const BundleLimits& limits, const BundleReadPlan* plan)
{
    // through the one opener: a FIFO or a device is refused, not waited on
    ReadFailure failure;
    std::unique_ptr<RegularFile> opened = RegularFile::open(path, ReadLimits::kEvidenceBundle, &failure);
    QFile file;
    if (!opened || !file.open(opened->fd(), QIODevice::ReadOnly, QFileDevice::DontCloseHandle)) {
        BundleRead r;
        r.error = BundleError::CannotOpen;
        r.detail = opened ? file.errorString().toStdString() : readFailureReason(failure);
        return r;
    }
    return readBundle(&file, limits, plan);
}

BundleRead readBundle(QIODevice* device, const BundleLimits& limits, const BundleReadPlan* plan)
{
    BundleRead r;
    auto fail = [&](BundleError e, std::string detail) {
        r.error = e;
        r.detail = std::move(detail);
        r.entries.clear();
        r.digests.clear();
        r.m_index.clear();
        return std::move(r);
    };
    QuaZip zip(device);
    zip.setAutoClose(false);
    if (!zip.open(QuaZip::mdUnzip))
        return fail(BundleError::NotAnArchive, "not a readable zip archive (truncated or not a zip)");
    const QList<QuaZipFileInfo64> infos = zip.getFileInfoList64();
    if (zip.getZipError() != 0)
        return fail(BundleError::NotAnArchive, "the archive's directory cannot be read");
    if (static_cast<std::size_t>(infos.size()) > limits.maxEntries)
        return fail(BundleError::TooManyEntries, std::to_string(infos.size()) + " entries");
    std::set<std::string> seen;
    std::uint64_t declared = 0, compressed = 0;
    for (const QuaZipFileInfo64& info : infos) {
        const QByteArray raw = info.name.toUtf8();
        const std::string name(raw.constData(), static_cast<std::size_t>(raw.size()));
        if (const std::string why = unsafeNameReason(name, limits.maxNameBytes); !why.empty())
            return fail(BundleError::UnsafeName, name + ": " + why);
        if (!seen.insert(name).second)
            return fail(BundleError::Duplicate, name);
        const quint32 mode = info.externalAttr >> 16;
        if ((mode & 0170000u) == 0120000u)
            return fail(BundleError::Symlink, name);
        if (info.flags & 1u)
            return fail(BundleError::Encrypted, name);
        if (info.method != 0 && info.method != 8) // stored or deflated: what we write, what minizip inflates
            return fail(BundleError::Corrupt, name + ": compression method " + std::to_string(info.method));
        compressed += info.compressedSize;
        if (info.uncompressedSize > limits.maxMemberBytes)
            return fail(BundleError::TooLarge, name + ": " + std::to_string(info.uncompressedSize) + " bytes");
        declared += info.uncompressedSize;
        if (declared > limits.maxTotalBytes)
            return fail(BundleError::TooLarge, "more than " + std::to_string(limits.maxTotalBytes) + " bytes in all");
        if (info.uncompressedSize > limits.ratioFloorBytes &&
            static_cast<double>(info.uncompressedSize) > limits.maxRatio * static_cast<double>(std::max<quint64>(1, info.compressedSize)))
            return fail(BundleError::CompressionRatio, name);
    }
    // several directory entries pointing at the same data, or lying compressed
    // sizes, would multiply a small archive: the compressed sizes must fit in it
    if (device->size() > 0 && compressed > static_cast<std::uint64_t>(device->size()))
        return fail(BundleError::CompressionRatio, "the entries claim more compressed bytes than the archive holds");
    // every byte of the file must belong to the archive: nothing smuggled around it
    if (const std::string stray = zipFramingProblem(device); !stray.empty())
        return fail(BundleError::StrayBytes, stray);
    r.entries.resize(static_cast<std::size_t>(infos.size()));
    for (std::size_t k = 0; k < r.entries.size(); ++k) {
        const QByteArray rawName = infos[static_cast<qsizetype>(k)].name.toUtf8();
        r.entries[k].name.assign(rawName.constData(), static_cast<std::size_t>(rawName.size()));
        r.m_index.emplace(r.entries[k].name, k);
    }
    // read members in directory order (no lookup by name: minizip's is
    // limited to 256 bytes), trusting no header: buffers grow as data
    // arrives. With a plan, its first members in a first pass, then the rest.
    std::vector<char> done(r.entries.size(), 0);
    std::string error;
    auto pass = [&](bool firstPass) {
        std::size_t i = 0;
        for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile(), ++i) {
            if (i >= r.entries.size()) {
                error = "the directory changed while reading";
                return false;
            }
            BundleEntry& entry = r.entries[i];
            if (done[i])
                continue;
            const std::uint64_t want = infos[static_cast<qsizetype>(i)].uncompressedSize;
            MemberRead how = MemberRead::Keep;
            if (plan) {
                const bool early = std::find(plan->first.begin(), plan->first.end(), entry.name) != plan->first.end();
                if (firstPass != early)
                    continue;
                if (!firstPass && plan->decide)
                    how = plan->decide(entry.name, want, r);
            } else if (!firstPass) {
                continue;
            }
            done[i] = 1;
            if (how == MemberRead::Skip) {
                r.digests[entry.name] = MemberDigest{want, false, 0, {}};
                continue;
            }
            QuaZipFile file(&zip);
            if (!file.open(QIODevice::ReadOnly)) {
                error = entry.name + ": cannot be opened";
                return false;
            }
            std::unique_ptr<Sha256> sha = how == MemberRead::HashOnly ? std::make_unique<Sha256>() : nullptr;
            std::uint64_t got = 0;
            if (!sha) {
                if (plan && plan->spare) {
                    // the smallest spare buffer that holds the member
                    auto best = plan->spare->end();
                    for (auto it = plan->spare->begin(); it != plan->spare->end(); ++it)
                        if (it->capacity() >= want && (best == plan->spare->end() || it->capacity() < best->capacity()))
                            best = it;
                    if (best != plan->spare->end()) {
                        entry.bytes = std::move(*best);
                        entry.bytes.clear();
                        plan->spare->erase(best);
                    }
                }
                entry.bytes.reserve(static_cast<std::size_t>(want)); // declared size, already within the limits
            }
            // a big kept member is hashed as it is inflated (its buffer holds `want` bytes without moving)
            std::unique_ptr<FollowingHasher> follower =
                !sha && want >= (4u << 20) ? std::make_unique<FollowingHasher>(entry.bytes.data()) : nullptr;
            char chunk[1 << 16];
            while (got < want) {
                const qint64 n = file.read(chunk, static_cast<qint64>(std::min<std::uint64_t>(want - got, sizeof chunk)));
                if (n <= 0)
                    break;
                got += static_cast<std::uint64_t>(n);
                if (sha) {
                    sha->update(std::string_view(chunk, static_cast<std::size_t>(n)));
                } else {
                    entry.bytes.append(chunk, static_cast<std::size_t>(n));
                    if (follower)
                        follower->grew(entry.bytes.size());
                }
            }
            if (follower)
                r.digests[entry.name] = MemberDigest{entry.bytes.size(), true, entry.bytes.size(), follower->finish()};
            r.inflatedBytes += got;
            file.close();
            if (sha)
                r.digests[entry.name] = MemberDigest{want, true, got, sha->finishHex()};
            if (got != want || file.getZipError() != 0) {
                error = entry.name + ": truncated or bad CRC";
                return false;
            }
        }
        if (i != r.entries.size()) {
            error = "fewer entries than the directory lists";
            return false;
        }
        return true;
    };
    if (!pass(true) || !pass(false))
        return fail(BundleError::Corrupt, error);
    zip.close();
    // the kept members hashed now, on every core: the audit members are hundreds of MiB
    std::vector<const BundleEntry*> kept;
    for (const BundleEntry& e : r.entries)
        if (!r.digests.count(e.name))
            kept.push_back(&e);
    std::vector<std::string> hashes(kept.size());
    parallelFor(kept.size(), 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k)
            hashes[k] = sha256Hex(kept[k]->bytes);
    });
    for (std::size_t k = 0; k < kept.size(); ++k)
        r.digests[kept[k]->name] = MemberDigest{kept[k]->bytes.size(), true, kept[k]->bytes.size(), std::move(hashes[k])};
    return r;
}

} // namespace rw
