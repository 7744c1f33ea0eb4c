#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

class QIODevice;

namespace rw {

// Reading a bundle is reading hostile input: names are checked before
// anything is read, sizes and compression ratios are bounded before and while
// reading, and nothing is extracted to disk — members are read into memory.
struct BundleLimits
{
    std::size_t maxEntries = 200000;
    std::uint64_t maxMemberBytes = 1ull << 30; // 1 GiB: the original lines of ~200k traces
    std::uint64_t maxTotalBytes = 3ull << 30;  // everything is held in memory
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
    // by name, built once: a manifest may list hundreds of thousands of members
    const BundleEntry* find(const std::string& name) const;

private:
    friend BundleRead readBundle(QIODevice*, const BundleLimits&);
    std::unordered_map<std::string, std::size_t> m_index;
};

BundleRead readBundle(const std::string& path, const BundleLimits& limits = {});
BundleRead readBundle(QIODevice* device, const BundleLimits& limits = {});

// Why a member name is unsafe, or empty: absolute paths, drive letters,
// backslashes, "." and ".." components, empty components, control bytes.
std::string unsafeNameReason(const std::string& name, std::size_t maxBytes = 512);

} // namespace rw
