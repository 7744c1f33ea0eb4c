#pragma once

// What is alerted: one anomaly record (reference §3.10, as the watch prints
// it) with the place of the line that showed it, and what each channel sends
// of it. By default a payload carries pointers and hashes (file, line, byte
// offset, SHA-256, JSON pointer), never what a tool was called with: the
// record's `context`, the witnesses' values and a message that may quote a
// parameter are left out unless the channel says `redact: false`.
#include "replay/alerts/alertconfig.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rw::alerts {

struct AlertSource
{
    std::string file;
    std::uint64_t line = 0;   // 1-based
    std::uint64_t offset = 0; // the line's first byte
};

struct AlertRecord
{
    nlohmann::ordered_json anomaly = nlohmann::ordered_json::object(); // the §3.10 record, `message` included
    std::string redactedMessage; // the message without anything taken from a tool's parameters
    AlertSource source;

    analysis::Severity severity() const;
    std::string fingerprint() const;
};

// The record as a spool file keeps it, and back (nullopt when it is not one).
nlohmann::ordered_json recordJson(const AlertRecord& record);
std::optional<AlertRecord> recordFromJson(const nlohmann::ordered_json& json);

// The webhook's, file's and command's payload: the record with its `source`,
// redacted or not.
nlohmann::ordered_json alertBody(const AlertRecord& record, bool redact);

struct AlertRequest
{
    std::string body; // JSON, UTF-8, no line break inside (the file channel adds one)
    std::vector<std::pair<std::string, std::string>> headers; // besides Content-Type (secrets resolved)
};

// What `channel` sends for `record`: the webhook's record, Slack's incoming
// webhook message, PagerDuty's Events API v2 trigger (dedup_key = the
// anomaly's fingerprint, so that a re-analysis updates the same incident).
AlertRequest alertRequest(const AlertChannel& channel, const AlertRecord& record);

// PagerDuty's severity for ours: critical, warning, info.
const char* pagerDutySeverity(analysis::Severity severity);

} // namespace rw::alerts
