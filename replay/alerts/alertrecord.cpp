#include "replay/alerts/alertrecord.h"

#include "model/timestamp.h"

#include <array>
#include <string_view>

namespace rw::alerts {

using Json = nlohmann::ordered_json;

namespace {

std::string stringAt(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json sourceJson(const AlertSource& s)
{
    Json j = Json::object();
    j["file"] = s.file;
    j["line"] = s.line;
    j["offset"] = s.offset;
    return j;
}

// the members a redacted record keeps: what it is, whose, where; never what a tool was given
Json redacted(const AlertRecord& r)
{
    static constexpr std::array<std::string_view, 12> kKept = {"anomaly_id", "fingerprint", "detector", "rule_id",
                                                               "detector_version", "category", "severity", "score",
                                                               "run_id", "agent_id", "step_index", "time"};
    Json j = Json::object();
    for (std::string_view key : kKept)
        if (const auto it = r.anomaly.find(key); it != r.anomaly.end())
            j[std::string(key)] = *it;
    j["message"] = r.redactedMessage;
    Json witness = Json::array();
    if (const auto w = r.anomaly.find("witness"); w != r.anomaly.end() && w->is_array())
        for (const Json& item : *w) {
            Json kept = item.is_object() ? item : Json::object();
            kept.erase("value");
            witness.push_back(std::move(kept));
        }
    j["witness"] = std::move(witness);
    j["redacted"] = true;
    return j;
}

// Slack's mrkdwn: &, < and > are its only control characters
std::string slackEscape(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        if (ch == '&')
            out += "&amp;";
        else if (ch == '<')
            out += "&lt;";
        else if (ch == '>')
            out += "&gt;";
        else
            out += ch;
    }
    return out;
}

std::string upper(std::string s)
{
    for (char& ch : s)
        if (ch >= 'a' && ch <= 'z')
            ch = static_cast<char>(ch - 'a' + 'A');
    return s;
}

std::string where(const AlertRecord& r)
{
    std::string out = "agent " + stringAt(r.anomaly, "agent_id") + " · run " + stringAt(r.anomaly, "run_id");
    if (const auto s = r.anomaly.find("step_index"); s != r.anomaly.end() && s->is_number_integer())
        out += " · step " + std::to_string(s->get<std::int64_t>());
    out += " · " + r.source.file + ":" + std::to_string(r.source.line) + " (byte " + std::to_string(r.source.offset) + ")";
    out += " · " + stringAt(r.anomaly, "fingerprint").substr(0, 12);
    return out;
}

std::string slackBody(const AlertRecord& r, bool redact)
{
    const std::string message = redact ? r.redactedMessage : stringAt(r.anomaly, "message");
    const std::string category = stringAt(r.anomaly, "category");
    const std::string head = "[" + upper(stringAt(r.anomaly, "severity")) + "] " + category;
    Json j = Json::object();
    // the notification's own text (and what clients without blocks show); a redacted message names its category already
    j["text"] = slackEscape(message.rfind(category, 0) == 0 ? "[" + upper(stringAt(r.anomaly, "severity")) + "] " + message
                                                               : head + ": " + message);
    Json section = {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "*" + slackEscape(head) + "*\n" + slackEscape(message)}}}};
    Json context = {{"type", "context"}, {"elements", Json::array({{{"type", "mrkdwn"}, {"text", slackEscape(where(r))}}})}};
    j["blocks"] = Json::array({std::move(section), std::move(context)});
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string pagerDutyBody(const AlertChannel& ch, const AlertRecord& r)
{
    const std::string message = ch.redact ? r.redactedMessage : stringAt(r.anomaly, "message");
    std::string summary = "[" + upper(stringAt(r.anomaly, "severity")) + "] " + message;
    if (summary.size() > 1024) { // the Events API's limit; cut at a UTF-8 boundary
        std::size_t cut = 1024;
        while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80)
            --cut; // summary[cut] is the first byte not kept: back to a character's first byte
        summary.resize(cut);
    }
    Json payload = Json::object();
    payload["summary"] = summary;
    const std::string agent = stringAt(r.anomaly, "agent_id");
    payload["source"] = agent.empty() ? std::string("replay-workbench") : agent;
    payload["severity"] = pagerDutySeverity(r.severity());
    const std::string time = stringAt(r.anomaly, "time");
    if (parseTimestamp(time))
        payload["timestamp"] = time;
    payload["component"] = stringAt(r.anomaly, "run_id");
    payload["group"] = stringAt(r.anomaly, "detector");
    payload["class"] = stringAt(r.anomaly, "rule_id");
    payload["custom_details"] = alertBody(r, ch.redact);
    Json j = Json::object();
    j["routing_key"] = ch.routingKey.value;
    j["event_action"] = "trigger";
    j["dedup_key"] = r.fingerprint();
    j["payload"] = std::move(payload);
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace

analysis::Severity AlertRecord::severity() const
{
    const std::string s = stringAt(anomaly, "severity");
    return s == "critical" ? analysis::Severity::Critical : s == "warn" ? analysis::Severity::Warn : analysis::Severity::Info;
}

std::string AlertRecord::fingerprint() const
{
    return stringAt(anomaly, "fingerprint");
}

Json recordJson(const AlertRecord& r)
{
    Json j = Json::object();
    j["anomaly"] = r.anomaly;
    j["redacted_message"] = r.redactedMessage;
    j["source"] = sourceJson(r.source);
    return j;
}

std::optional<AlertRecord> recordFromJson(const Json& j)
{
    if (!j.is_object() || !j.contains("anomaly") || !j["anomaly"].is_object() || !j.contains("source") ||
        !j["source"].is_object())
        return std::nullopt;
    const Json& s = j["source"];
    if (!s.contains("file") || !s["file"].is_string() || !s.contains("line") || !s["line"].is_number_unsigned() ||
        !s.contains("offset") || !s["offset"].is_number_unsigned())
        return std::nullopt;
    AlertRecord r;
    r.anomaly = j["anomaly"]; // in the order written
    if (j.contains("redacted_message") && j["redacted_message"].is_string())
        r.redactedMessage = j["redacted_message"].get<std::string>();
    r.source.file = s["file"].get<std::string>();
    r.source.line = s["line"].get<std::uint64_t>();
    r.source.offset = s["offset"].get<std::uint64_t>();
    if (r.fingerprint().empty())
        return std::nullopt;
    return r;
}

Json alertBody(const AlertRecord& r, bool redact)
{
    Json j = redact ? redacted(r) : r.anomaly;
    j["source"] = sourceJson(r.source);
    return j;
}

AlertRequest alertRequest(const AlertChannel& ch, const AlertRecord& r)
{
    AlertRequest out;
    switch (ch.type) {
    case ChannelType::Slack:
        out.body = slackBody(r, ch.redact);
        break;
    case ChannelType::PagerDuty:
        out.body = pagerDutyBody(ch, r);
        break;
    case ChannelType::Webhook:
        for (const auto& [name, value] : ch.headers)
            out.headers.emplace_back(name, value.value);
        [[fallthrough]];
    case ChannelType::File:
    case ChannelType::Command:
        out.body = alertBody(r, ch.redact).dump(-1, ' ', false, Json::error_handler_t::replace);
        break;
    }
    return out;
}

const char* pagerDutySeverity(analysis::Severity s)
{
    switch (s) {
    case analysis::Severity::Critical: return "critical";
    case analysis::Severity::Warn: return "warning";
    case analysis::Severity::Info: return "info";
    }
    return "info";
}

} // namespace rw::alerts
