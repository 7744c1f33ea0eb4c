#include "evidencereader.h"

#include "regularfile.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipfileinfo.h>

#include <QFile>

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

BundleRead readBundle(const std::string& path, const BundleLimits& limits)
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
    return readBundle(&file, limits);
}

BundleRead readBundle(QIODevice* device, const BundleLimits& limits)
{
    BundleRead r;
    auto fail = [&](BundleError e, std::string detail) {
        r.error = e;
        r.detail = std::move(detail);
        r.entries.clear();
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
    // read each member in directory order (no lookup by name: minizip's is
    // limited to 256 bytes), trusting no header: buffers grow as data arrives
    std::size_t i = 0;
    for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile(), ++i) {
        if (i >= static_cast<std::size_t>(infos.size()))
            return fail(BundleError::Corrupt, "the directory changed while reading");
        const QuaZipFileInfo64& info = infos[static_cast<qsizetype>(i)];
        const QByteArray rawName = info.name.toUtf8();
        const std::string name(rawName.constData(), static_cast<std::size_t>(rawName.size()));
        QuaZipFile file(&zip);
        if (!file.open(QIODevice::ReadOnly))
            return fail(BundleError::Corrupt, name + ": cannot be opened");
        BundleEntry entry;
        entry.name = name;
        const std::uint64_t want = info.uncompressedSize;
        char chunk[1 << 16];
        while (entry.bytes.size() < want) {
            const qint64 n = file.read(chunk, static_cast<qint64>(std::min<std::uint64_t>(want - entry.bytes.size(), sizeof chunk)));
            if (n <= 0)
                break;
            entry.bytes.append(chunk, static_cast<std::size_t>(n));
        }
        file.close();
        if (entry.bytes.size() != want || file.getZipError() != 0)
            return fail(BundleError::Corrupt, name + ": truncated or bad CRC");
        r.m_index.emplace(name, r.entries.size());
        r.entries.push_back(std::move(entry));
    }
    if (i != static_cast<std::size_t>(infos.size()))
        return fail(BundleError::Corrupt, "fewer entries than the directory lists");
    zip.close();
    return r;
}

} // namespace rw
