#include "app/text/alerttext.h"

#include "app/text/analysisjson.h"
#include "app/text/anomalytext.h"
#include "app/text/plural.h"
#include "app/text/terminaltext.h"

#include <cerrno>
#include <cstring>

namespace rw {

using alerts::DeliveryEvent;
using alerts::Failure;

namespace {

std::string seconds(std::int64_t ms)
{
    if (ms < 1000)
        return std::to_string(ms) + " ms";
    if (ms % 3600000 == 0)
        return std::to_string(ms / 3600000) + " h";
    if (ms % 60000 == 0)
        return std::to_string(ms / 60000) + " min";
    if (ms % 1000 == 0)
        return std::to_string(ms / 1000) + " s";
    return QString::number(static_cast<double>(ms) / 1000.0, 'f', 1).toStdString() + " s";
}

std::string channelNamed(const std::string& id)
{
    return terminalText(id);
}

std::string spool(const alerts::AlertConfig& config)
{
    return terminalText(config.delivery.spool);
}

} // namespace

std::string redactedAnomalyMessage(const analysis::Anomaly& a)
{
    std::string out = anomalyCategory(a.detector).toStdString() + " (" + a.ruleId + ")";
    if (a.stepIndex >= 0)
        out += " at step " + std::to_string(a.stepIndex);
    out += " of " + a.runId;
    return out;
}

alerts::AlertRecord alertRecord(const analysis::Anomaly& anomaly, const alerts::AlertSource& source)
{
    alerts::AlertRecord r;
    r.anomaly = anomalyJson(anomaly);
    r.redactedMessage = redactedAnomalyMessage(anomaly);
    r.source = source;
    return r;
}

std::string failureText(const alerts::Outcome& o, std::int64_t timeoutMs)
{
    switch (o.failure) {
    case Failure::None: return "delivered";
    case Failure::Refused: return "connection refused";
    case Failure::Timeout: return "no answer within " + seconds(timeoutMs);
    case Failure::Unreachable: return "the receiver could not be reached (name, network or TLS)";
    case Failure::HttpStatus: return "HTTP " + std::to_string(o.httpStatus);
    case Failure::Redirect: return "HTTP " + std::to_string(o.httpStatus) + ", a redirect (not followed)";
    case Failure::ProgramFailed:
        return o.exitCode < 0 ? std::string("the command crashed") : "the command exited with " + std::to_string(o.exitCode);
    case Failure::NotStarted: return "the command could not be started";
    case Failure::FileError:
        if (o.systemError == EINVAL)
            return "not a regular file of its own (a FIFO, a device, or a second name of another file)";
        if (o.systemError == ELOOP)
            return "a symbolic link (never followed)";
        return std::strerror(o.systemError);
    case Failure::Stopped: return "the watch ended first";
    case Failure::NoHttp: return "the HTTP module rw-alert-http.so is missing or could not be loaded";
    }
    return "?";
}

std::string deliveryEventLine(const DeliveryEvent& e, const alerts::AlertConfig& config)
{
    // (a replayed alert's fingerprint comes from a spool file: not trusted with the terminal)
    const std::string alert = "Alert " + terminalText(e.fingerprint.substr(0, 12)) + " to " + channelNamed(e.channel);
    switch (e.kind) {
    case DeliveryEvent::Kind::Sent:
        return {};
    case DeliveryEvent::Kind::Retrying:
        return alert + ": attempt " + std::to_string(e.attempt) + " failed (" + failureText(e.outcome, config.delivery.timeoutMs) +
               "); again in " + seconds(e.waitMs);
    case DeliveryEvent::Kind::Kept:
        return alert + " not delivered" +
               (e.attempt > 0 ? " (" + failureText(e.outcome, config.delivery.timeoutMs) +
                                    (e.error.empty() ? std::string() : ": " + terminalText(e.error)) + ")"
                              : std::string()) +
               ": kept in the spool for the next start";
    case DeliveryEvent::Kind::Rejected:
        return alert + " refused for good (" + failureText(e.outcome, config.delivery.timeoutMs) + "): moved to " + spool(config) +
               "/rejected/";
    case DeliveryEvent::Kind::Replaying:
        return "Sending " + counted(e.count, "alert", "alerts").toStdString() + " left in the spool by an earlier watch (" +
               spool(config) + ")";
    case DeliveryEvent::Kind::Orphaned:
        return counted(e.count, "alert", "alerts").toStdString() + " in the spool name channels this alerts file does not have: left in " +
               spool(config);
    case DeliveryEvent::Kind::Unreadable:
        return counted(e.count, "file", "files").toStdString() + " in the spool " + (e.count == 1 ? "is" : "are") +
               " not alerts (" + terminalText(e.error) + "): left alone in " + spool(config);
    case DeliveryEvent::Kind::Lost:
        return alert + " not delivered" +
               (e.attempt > 0 ? " (" + failureText(e.outcome, config.delivery.timeoutMs) + ")" : std::string()) +
               ", and not in the spool either (it could not be written there): lost";
    case DeliveryEvent::Kind::SpoolFailed:
        return alert + " could not be written to the spool (" + terminalText(e.error) + "): sent from memory only";
    }
    return {};
}

std::string alertTotalsLine(const alerts::DeliveryTotals& t, const alerts::AlertConfig& config)
{
    std::string out = "Alerts: " + std::to_string(t.sent) + " sent";
    if (t.replayed)
        out += " (" + std::to_string(t.replayed) + " from the spool)";
    if (t.suppressed)
        out += ", " + std::to_string(t.suppressed) + " suppressed";
    if (t.rejected)
        out += ", " + std::to_string(t.rejected) + " refused for good";
    if (t.kept)
        out += ", " + std::to_string(t.kept) + " kept in the spool for the next start (" + spool(config) + ")";
    if (t.lost)
        out += ", " + std::to_string(t.lost) + " lost (the spool could not take them)";
    return out;
}

std::string alertConfigText(const alerts::AlertConfig& config)
{
    std::string out = "Alerts file: " + terminalText(config.source.path) + " (sha256 " + config.source.sha256.substr(0, 16) + ")\n";
    out += "Channels:\n";
    for (const alerts::AlertChannel& ch : config.channels) {
        out += "  " + terminalText(ch.id) + "  " + alerts::channelTypeName(ch.type) + "  from " +
               analysis::severityName(ch.minSeverity) + "  ";
        switch (ch.type) {
        case alerts::ChannelType::Webhook:
        case alerts::ChannelType::Slack:
            out += terminalText(ch.url.shown);
            break;
        case alerts::ChannelType::PagerDuty:
            out += terminalText(ch.url.shown) + " (routing key " + terminalText(ch.routingKey.shown) + ")";
            break;
        case alerts::ChannelType::File:
            out += terminalText(ch.path);
            break;
        case alerts::ChannelType::Command: {
            std::string argv;
            for (const std::string& a : ch.argv)
                argv += (argv.empty() ? "" : " ") + terminalText(a);
            out += argv;
            break;
        }
        }
        out += ch.redact ? "  (pointers and hashes only)" : "  (whole records, tool parameters included)";
        for (const auto& [name, value] : ch.headers)
            out += "\n      header " + terminalText(name) + ": " + terminalText(value.shown);
        out += '\n';
    }
    for (const alerts::SuppressRule& rule : config.suppress) {
        std::string fields;
        for (const std::string& f : rule.fields)
            fields += (fields.empty() ? "" : ", ") + f;
        out += "Suppress: the same " + fields + " within " + seconds(rule.windowMs) + " is sent once\n";
    }
    const alerts::DeliveryConfig& d = config.delivery;
    out += "Delivery: " + counted(static_cast<std::uint64_t>(d.retries), "retry", "retries").toStdString() + ", waiting " + seconds(d.backoffMinMs) + " to " + seconds(d.backoffMaxMs) +
           ", " + seconds(d.timeoutMs) + " per attempt; spool " + terminalText(d.spool) + "\n";
    out += config.network() ? "Network: yes (a channel sends over HTTP)\n" : "Network: none (no channel opens a socket)\n";
    return out;
}

} // namespace rw
