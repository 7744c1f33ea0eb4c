#include "replay/evidence/zipframing.h"

#include <QIODevice>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace rw {

namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50u;
constexpr std::uint32_t kCentralHeader = 0x02014b50u;
constexpr std::uint32_t kEndRecord = 0x06054b50u;
constexpr std::uint32_t kZip64EndRecord = 0x06064b50u;
constexpr std::uint32_t kZip64Locator = 0x07064b50u;
constexpr std::uint32_t kDescriptor = 0x08074b50u;

std::uint64_t le(const std::string& b, std::size_t at, int bytes)
{
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
    return v;
}

std::optional<std::string> readAt(QIODevice* device, std::uint64_t offset, std::uint64_t length)
{
    if (!device->seek(static_cast<qint64>(offset)))
        return std::nullopt;
    std::string out(static_cast<std::size_t>(length), '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        const qint64 n = device->read(out.data() + got, static_cast<qint64>(out.size() - got));
        if (n <= 0)
            return std::nullopt;
        got += static_cast<std::size_t>(n);
    }
    return out;
}

struct Member
{
    std::uint64_t offset = 0;
    std::uint64_t compressed = 0;
    std::uint32_t crc = 0;
    bool descriptor = false;
    std::string name;
};

std::string bytesText(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

} // namespace

std::string zipFramingProblem(QIODevice* device)
{
    const qint64 signedSize = device->size();
    if (signedSize < 22)
        return "shorter than a ZIP end record";
    const auto size = static_cast<std::uint64_t>(signedSize);
    // the end record must be the last 22 bytes; otherwise say what follows it
    const std::uint64_t window = std::min<std::uint64_t>(size, 22 + 65535 + 4096);
    const auto tail = readAt(device, size - window, window);
    if (!tail)
        return "the end of the archive cannot be read";
    const std::size_t last = tail->size() - 22;
    if (le(*tail, last, 4) != kEndRecord || le(*tail, last + 20, 2) != 0) {
        for (std::size_t p = last; p-- > 0;) {
            if (le(*tail, p, 4) != kEndRecord)
                continue;
            const std::uint64_t comment = le(*tail, p + 20, 2);
            const std::uint64_t after = tail->size() - (p + 22);
            if (comment > 0)
                return "an archive comment of " + bytesText(comment) + " (the bundle is exactly its members)";
            return bytesText(after) + " after the end of the archive";
        }
        return "no ZIP end record at the end of the file";
    }
    std::uint64_t entries = le(*tail, last + 10, 2);
    std::uint64_t cdSize = le(*tail, last + 12, 4);
    std::uint64_t cdOffset = le(*tail, last + 16, 4);
    std::uint64_t cdEnd = size - 22; // where the central directory must end
    const bool zip64 = last >= 20 && le(*tail, last - 20, 4) == kZip64Locator;
    if (zip64) {
        const std::uint64_t recordAt = le(*tail, last - 20 + 8, 8);
        const std::uint64_t locatorAt = size - 22 - 20;
        if (recordAt + 56 != locatorAt)
            return "the ZIP64 end record is not directly before its locator";
        const auto record = readAt(device, recordAt, 56);
        if (!record || le(*record, 0, 4) != kZip64EndRecord || le(*record, 4, 8) != 44)
            return "the ZIP64 end record is malformed or carries extra data";
        entries = le(*record, 32, 8);
        cdSize = le(*record, 40, 8);
        cdOffset = le(*record, 48, 8);
        cdEnd = recordAt;
    } else if (entries == 0xffff || cdSize == 0xffffffffu || cdOffset == 0xffffffffu) {
        return "ZIP64 values without a ZIP64 end record";
    }
    if (cdOffset > cdEnd || cdSize != cdEnd - cdOffset) {
        // a directory found right before the end record, later than declared: bytes in front of the archive
        const auto actual = cdSize <= cdEnd ? readAt(device, cdEnd - cdSize, std::min<std::uint64_t>(cdSize, 4)) : std::nullopt;
        if (cdOffset < cdEnd && cdSize < cdEnd - cdOffset && actual && actual->size() == 4 && le(*actual, 0, 4) == kCentralHeader)
            return bytesText(cdEnd - cdOffset - cdSize) + " before the archive (its offsets do not start at 0)";
        return "the central directory is not where the end record says";
    }
    const auto cd = readAt(device, cdOffset, cdSize);
    if (!cd)
        return "the central directory cannot be read";

    std::vector<Member> members;
    std::size_t at = 0;
    while (at < cd->size()) {
        if (cd->size() - at < 46 || le(*cd, at, 4) != kCentralHeader)
            return "the central directory holds something other than entries";
        Member m;
        m.descriptor = (le(*cd, at + 8, 2) & 8u) != 0;
        m.crc = static_cast<std::uint32_t>(le(*cd, at + 16, 4));
        m.compressed = le(*cd, at + 20, 4);
        const std::uint64_t uncompressed = le(*cd, at + 24, 4);
        const std::size_t nameLen = le(*cd, at + 28, 2), extraLen = le(*cd, at + 30, 2), commentLen = le(*cd, at + 32, 2);
        m.offset = le(*cd, at + 42, 4);
        if (cd->size() - at - 46 < nameLen + extraLen + commentLen)
            return "a central directory entry runs past the directory";
        m.name = cd->substr(at + 46, nameLen);
        if (commentLen != 0)
            return m.name + ": a file comment (the bundle is exactly its members)";
        // ZIP64 extra field: the 8-byte values, in this order, for the fields set to all ones
        for (std::size_t e = at + 46 + nameLen; e + 4 <= at + 46 + nameLen + extraLen;) {
            const std::uint64_t id = le(*cd, e, 2), len = le(*cd, e + 2, 2);
            if (e + 4 + len > at + 46 + nameLen + extraLen)
                return m.name + ": a malformed extra field";
            if (id == 1) {
                std::size_t v = e + 4;
                auto take = [&](std::uint64_t& field) {
                    if (field == 0xffffffffu && v + 8 <= e + 4 + len) {
                        field = le(*cd, v, 8);
                        v += 8;
                    }
                };
                std::uint64_t u = uncompressed;
                take(u);
                take(m.compressed);
                take(m.offset);
            }
            e += 4 + len;
        }
        members.push_back(std::move(m));
        at += 46 + nameLen + extraLen + commentLen;
    }
    if (members.size() != entries)
        return "the end record counts " + std::to_string(entries) + " entries, the directory holds " + std::to_string(members.size());

    // the members must tile the bytes from 0 to the central directory
    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.offset < b.offset; });
    std::uint64_t expected = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const Member& m = members[i];
        if (m.offset != expected)
            return m.offset > expected ? bytesText(m.offset - expected) + (i == 0 ? " before the first member" : " before " + m.name)
                                       : m.name + " overlaps the member before it";
        const auto header = readAt(device, m.offset, 30);
        if (!header || le(*header, 0, 4) != kLocalHeader)
            return m.name + ": no local header where the directory says";
        const std::uint64_t dataEnd = m.offset + 30 + le(*header, 26, 2) + le(*header, 28, 2) + m.compressed;
        const std::uint64_t next = i + 1 < members.size() ? members[i + 1].offset : cdOffset;
        if (dataEnd > next)
            return m.name + " runs into what follows it";
        const std::uint64_t gap = next - dataEnd;
        if (m.descriptor) {
            // data descriptor: CRC and sizes, with or without its signature, 32- or 64-bit sizes
            const auto d = readAt(device, dataEnd, std::min<std::uint64_t>(gap, 24));
            const bool signedDescriptor = (gap == 16 || gap == 24) && d && le(*d, 0, 4) == kDescriptor && le(*d, 4, 4) == m.crc;
            const bool bareDescriptor = (gap == 12 || gap == 20) && d && le(*d, 0, 4) == m.crc;
            if (!signedDescriptor && !bareDescriptor)
                return bytesText(gap) + " after " + m.name + " that are not its data descriptor";
        } else if (gap != 0) {
            return bytesText(gap) + " after " + m.name;
        }
        expected = next;
    }
    if (members.empty() && cdOffset != 0)
        return bytesText(cdOffset) + " before the archive";
    return {};
}

} // namespace rw
