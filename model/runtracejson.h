#pragma once

// Reading helpers shared by the run-trace importers (documents and the
// streaming form). Private to model/: it pulls in simdjson, so include it
// from .cpp files only.
#include "model/simdjsonutil.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rw::runjson {

namespace od = simdjson::ondemand;

// The value's own JSON text, pointing into the parsed input: objects and
// arrays whole, scalars as their token without trailing space.
simdjson::error_code rawValue(od::value v, std::string_view& out);

// An integer, or a double with no fraction (some writers emit 1441.0).
bool readInteger(od::value v, std::int64_t& out);

// A string value copied out of the parser's buffer; false when not a string.
bool readString(od::value v, std::string& out);

// One entry of permissions_summary.granted / denied / escalated.
struct PermissionEntry
{
    std::string permission;
    std::string approvedBy;
    std::string approvalId;
    std::string reason;
    std::string_view raw; // the object's JSON; empty for a plain string
};

// A list of strings or objects {permission, approved_by, approval_id, reason};
// other items and a value that is no list are skipped.
simdjson::error_code readPermissions(od::value v, std::vector<PermissionEntry>& out);

// What a run says about itself: the run document's fields, or those of a
// stream's run_started / run_completed events. Strings are copies: the
// parser's buffer is reused by the next document.
struct RunFields
{
    std::string runId;
    std::string agentId;
    std::string agentName;
    std::string trigger;
    std::string status;
    std::string policyVersion;
    std::string startedAt;
    std::string completedAt;
    std::vector<PermissionEntry> granted, denied, escalated;
    bool hasSummary = false; // permissions_summary is an object
    std::size_t offset = 0;  // where the document (or event) starts in the file
};

// Reads `key` into `run` when it is a run-level field (true), else false.
// Values of the wrong type are ignored; `err` is set when the JSON is broken.
bool readRunField(std::string_view key, od::value value, RunFields& run, simdjson::error_code& err);

// The result text says the call was refused (a heuristic for results that
// carry no status).
bool mentionsDenial(std::string_view text);

} // namespace rw::runjson
