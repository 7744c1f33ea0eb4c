#pragma once

#include <cstdint>
#include <functional>
#include <memory>
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
    StrayBytes, // bytes outside the members: before, between, after, or an archive comment
};
const char* bundleErrorName(BundleError error);

struct BundleEntry
{
    std::string name;
    std::string bytes;
};

// What is known of a member whose bytes were not kept in memory.
struct MemberDigest
{
    std::uint64_t declaredBytes = 0; // by the archive's directory
    bool inflated = false;           // false: left compressed, unread
    std::uint64_t bytes = 0;         // inflated
    std::string sha256;              // of the inflated bytes
};

struct BundleRead;

// How to read: the `first` members are read (and kept) before any other, then
// `decide` says for each other member, given what was read so far, whether to
// keep its bytes, only hash them while inflating in chunks, or not inflate it
// at all. The verifier reads the manifest first and inflates only what it
// lists, at the sizes it lists. Without a plan every member is kept.
enum class MemberRead : std::uint8_t { Keep, HashOnly, Skip };
struct BundleReadPlan
{
    std::vector<std::string> first;
    std::function<MemberRead(const std::string& name, std::uint64_t declaredBytes, const BundleRead& soFar)> decide;
    // empty strings with capacity a kept member may take instead of a fresh allocation
    std::shared_ptr<std::vector<std::string>> spare;
};

struct BundleRead
{
    BundleError error = BundleError::None;
    std::string detail; // the member concerned, or the reason
    // in directory order; a member read by a plan without keeping it has empty bytes and a digest
    std::vector<BundleEntry> entries;
    std::unordered_map<std::string, MemberDigest> digests;
    std::uint64_t inflatedBytes = 0;
    // by name, built once: a manifest may list hundreds of thousands of members
    const BundleEntry* find(const std::string& name) const;
    // a member's digest, whether it was kept (hashed at the end of the read) or only hashed
    MemberDigest digest(const BundleEntry& entry) const;

private:
    friend BundleRead readBundle(QIODevice*, const BundleLimits&, const BundleReadPlan*);
    std::unordered_map<std::string, std::size_t> m_index;
};

BundleRead readBundle(const std::string& path, const BundleLimits& limits = {}, const BundleReadPlan* plan = nullptr);
BundleRead readBundle(QIODevice* device, const BundleLimits& limits = {}, const BundleReadPlan* plan = nullptr);

// Why a member name is unsafe, or empty: absolute paths, drive letters,
// backslashes, "." and ".." components, empty components, control bytes.
std::string unsafeNameReason(const std::string& name, std::size_t maxBytes = 512);

} // namespace rw
