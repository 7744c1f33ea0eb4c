#include "tests/fuzz/evidencefuzzcheck.h"

#include "replay/evidence/evidenceverify.h"

#include <QBuffer>

namespace rwfuzz {

std::string checkBundleInput(std::string_view bytes)
{
    QByteArray data(bytes.data(), static_cast<qsizetype>(bytes.size()));
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    rw::BundleLimits limits;
    limits.maxMemberBytes = 16u << 20;
    limits.maxTotalBytes = 64u << 20;
    const rw::BundleRead read = rw::readBundle(&buffer, limits);
    if (read.error != rw::BundleError::None && !read.entries.empty())
        return "a failed read kept entries";
    std::uint64_t total = 0;
    for (const rw::BundleEntry& e : read.entries) {
        if (!rw::unsafeNameReason(e.name).empty())
            return "an unsafe name was accepted: " + e.name;
        total += e.bytes.size();
    }
    if (total > limits.maxTotalBytes)
        return "more bytes read than the limit";
    const rw::VerifyReport report = rw::verifyBundle(read, rw::VerifyOptions{});
    if (report.items.empty())
        return "no verification items";
    if (read.error != rw::BundleError::None && report.passed())
        return "an unreadable archive passed";
    if (report.passed() && report.manifest.is_null())
        return "passed without a manifest";
    // the verifier's own way in (manifest first, members inflated only as listed) reaches the same verdict
    rw::VerifyOptions bounded;
    bounded.limits = limits;
    const rw::VerifyReport planned = rw::verifyBundle(&buffer, bounded);
    if (planned.passed() != report.passed())
        return "the manifest-first verification disagrees with the full read";
    return {};
}

} // namespace rwfuzz
