#pragma once

#include <cstdint>
#include <string>
#include <vector>

class QIODevice;

namespace rw {

// Reading a bundle is reading hostile input: names are checked before
// anything is read, sizes and compression ratios are bounded before and while
// reading, and nothing is extracted to disk — members are read into memory.
struct BundleLimits
{
    std::size_t maxEntries = 200000;
    std::uint64_t maxMemberBytes = 2ull << 30; // 2 GiB
    std::uint64_t maxTotalBytes = 8ull << 30;
    std::uint64_t ratioFloorBytes = 1ull << 20; // ratios are checked above 1 MiB
    double maxRatio = 200;                       // deflate on JSONL rarely passes 20:1
    std::size_t maxNameBytes = 512;
};

enum class BundleError : std::uint8_t {
    None,
    CannotOpen,
    NotAnArchive,
    TooManyEntries,
    UnsafeName,
    Symlink,
    Duplicate,
    Encrypted,
    TooLarge,
    CompressionRatio,
    Corrupt,
};
const char* bundleErrorName(BundleError error);

struct BundleEntry
{
    std::string name;
    std::string bytes;
};

struct BundleRead
{
    BundleError error = BundleError::None;
    std::string detail; // the member concerned, or the reason
    std::vector<BundleEntry> entries;
    const BundleEntry* find(const std::string& name) const;
};

BundleRead readBundle(const std::string& path, const BundleLimits& limits = {});
BundleRead readBundle(QIODevice* device, const BundleLimits& limits = {});

// Why a member name is unsafe, or empty: absolute paths, drive letters,
// backslashes, "." and ".." components, empty components, control bytes.
std::string unsafeNameReason(const std::string& name, std::size_t maxBytes = 512);

} // namespace rw
