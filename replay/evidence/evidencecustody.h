#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace rw {

// The custody log binds every field of every entry (docs/evidence.md):
// - the export entry (custody/0001-export.json) is fully determined by the
//   signed manifest: its `custody_export` object plus `prev_sha256`, the
//   manifest's SHA-256, in canonical JSON; any other byte fails;
// - each later entry holds exactly the fields a recorded verification has,
//   in canonical JSON, and is bound in full by the next entry's
//   `prev_sha256` (the last one is an unsigned record; the item says so).

// What the manifest records of the export entry (everything but prev_sha256).
nlohmann::json exportCustodyClaims(const std::string& tool, const std::string& version, const std::string& createdAt,
                                   const std::string& examiner, std::size_t traces);

// The exact bytes of the export entry a manifest implies, or empty when the
// manifest does not say (wrong types). Manifests of format 1 carried no
// `custody_export`: the entry is rebuilt from the fields format 1 wrote.
std::string expectedExportEntry(const nlohmann::json& manifest, const std::string& manifestSha256);

// Why custody entry number `n` (1-based) named `name` with `bytes` does not
// belong in the chain after `prevSha256`, or empty.
std::string custodyEntryProblem(const std::string& name, const std::string& bytes, std::size_t n,
                                const nlohmann::json& manifest, const std::string& manifestSha256, const std::string& prevSha256);

} // namespace rw
