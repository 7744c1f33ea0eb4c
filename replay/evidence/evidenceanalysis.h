#pragma once

// The run-trace analysis an evidence bundle may carry, and its verification.
//
// analysis/report.json: {"schema": kAnalysisSchema, "version": 1, "tool",
// "config" (each configuration file's path and SHA-256, as --analyze --json
// gives it), "runs" (each exported run's analysis, every anomaly with its
// witnesses: file, sha256, line, offset, length, pointer, value)}.
// analysis/config/NAME: the exact bytes of each configuration file it names.
//
// Verification fails closed: every configuration member must be a file the
// report names (by SHA-256) and every file the report names must be there;
// every witness must be an exported record (same source file by SHA-256,
// same byte offset and length) whose bytes still hold, at the witness's JSON
// pointer, the value the witness recorded.
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidencerecords.h"
#include "replay/evidence/evidenceverify.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace rw {

inline constexpr const char* kAnalysisReportMember = "analysis/report.json";
inline constexpr const char* kAnalysisConfigPrefix = "analysis/config/";
inline constexpr const char* kAnalysisSchema = "replay-workbench/evidence-analysis";
// what a verifier reads of a hostile report: its size (a JSON tree of it costs
// several times that) and its witnesses; an export refuses a report past them
inline constexpr std::size_t kMaxAnalysisReportBytes = 256u << 20;
inline constexpr std::size_t kMaxAnalysisWitnesses = 4'000'000;

// Adds the items "analysis report", "analysis configuration" and "analysis
// witnesses" to `r`, or nothing when the bundle carries no analysis.
// `records` are the exported records as the index slices them, null when
// the lines could not be read (then the witnesses fail).
void checkBundleAnalysis(VerifyReport& r, const BundleRead& bundle, const nlohmann::json& manifest,
                         const std::vector<IndexEntry>* index, const std::vector<std::string_view>* records);

} // namespace rw
