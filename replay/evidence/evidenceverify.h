#pragma once

#include "replay/evidence/evidencereader.h"
#include "replay/evidence/minisign.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rw {

enum class CheckStatus : std::uint8_t { Pass, Fail, NotApplicable };
const char* checkStatusName(CheckStatus status); // PASS, FAIL, NOT APPLICABLE

// What the one who asked for the verification could add to settle an item.
// The core does not know the front end: the CLI words it as its flags, the
// window as its dialog (app/common/checktext).
enum class CheckHint : std::uint8_t { None, NeedsPublicKey, NeedsSourceFiles };

struct CheckItem
{
    std::string item;   // "archive", "manifest", "member traces/1-x/summary.json", "signature", ...
    CheckStatus status = CheckStatus::Pass;
    std::string detail; // what was found, in words that name no command-line flag
    CheckHint hint = CheckHint::None;
};

struct VerifyOptions
{
    std::optional<MinisignPublicKey> publicKey;
    std::vector<std::string> sourceFiles; // audit files to check the exported lines against
    BundleLimits limits;
    bool keepLines = true; // copy audit/lines.jsonl into the report (an exporter checking itself does not)
    // buffers the members kept in memory may reuse (an exporter's own, just written): their
    // pages are already mapped, where hundreds of fresh MiB cost more than inflating them
    std::shared_ptr<std::vector<std::string>> spareBuffers;
};

struct VerifyReport
{
    std::vector<CheckItem> items;
    nlohmann::json manifest;    // when it could be read
    std::string manifestSha256;
    std::string lines;          // audit/lines.jsonl, for opening the bundle as evidence
    std::size_t custodyEntries = 0;
    std::uint64_t inflatedBytes = 0; // members inflated to check them (bounded by what the manifest lists)

    bool passed() const; // fails closed: no item may fail, and the archive and manifest must have been read
    // a valid signature was checked: without one, a pass shows consistency, not who made the bundle
    bool authenticated() const;
};

// Checks item by item: the archive, the manifest, each member's size and
// hash, members not listed, members missing, the signature (required when a
// public key is given or the manifest says it is signed), the exported lines
// against the index, the custody log's hash chain, and — when source files
// are given — their hashes and each line at its byte offset.
// From a file or a device, the manifest is read first and only the members it
// lists, at the sizes it lists, are inflated (hashed in chunks); from a
// BundleRead, what it holds is checked.
VerifyReport verifyBundle(const std::string& path, const VerifyOptions& options);
VerifyReport verifyBundle(QIODevice* device, const VerifyOptions& options);
VerifyReport verifyBundle(const BundleRead& bundle, const VerifyOptions& options);

// Appends a custody entry (who verified, when, with what result) as a new
// member; entries chain by hash from the manifest. Returns an error or empty.
std::string appendCustodyEntry(const std::string& path, const VerifyReport& report, const std::string& action,
                               const std::string& by, const std::string& tool);

} // namespace rw
