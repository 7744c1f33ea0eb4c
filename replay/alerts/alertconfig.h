#pragma once

// alerts.yaml (reference §3.15) as plain values: where anomalies found by the
// live watch are sent, from which severity, what is suppressed, and how
// delivery retries and spools. Secrets (Slack URLs, PagerDuty routing keys,
// authorisation headers) are written in the file only as `env:NAME` and
// resolved from the environment at load: `shown` keeps the reference, the
// only form any message, listing or spool file ever carries.
#include "replay/analysis/analysisconfig.h"
#include "replay/policy/yamltree.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rw::alerts {

enum class ChannelType : std::uint8_t { Webhook, Slack, PagerDuty, File, Command };
const char* channelTypeName(ChannelType type); // webhook, slack, pagerduty, file, command

// A value that may come from the environment: `value` is what is used,
// `shown` what may be printed (the env: reference, or the value itself when
// it is not secret).
struct ConfigValue
{
    std::string value;
    std::string shown;
};

struct AlertChannel
{
    std::string id;
    ChannelType type = ChannelType::File;
    analysis::Severity minSeverity = analysis::Severity::Info;
    ConfigValue url;                                         // webhook, slack; pagerduty's endpoint
    std::vector<std::pair<std::string, ConfigValue>> headers; // webhook
    ConfigValue routingKey;                                  // pagerduty
    std::string path;                                        // file: absolute once loaded
    std::vector<std::string> argv;                           // command
    bool redact = true;                                      // the file's `redact`, or the channel's own
    int line = 0;                                            // where the channel is written

    bool network() const { return type == ChannelType::Webhook || type == ChannelType::Slack || type == ChannelType::PagerDuty; }
};

// One suppression rule: anomalies equal in `fields` within `windowMs` of the
// first one sent are sent once (Zeek's identifier and interval).
struct SuppressRule
{
    std::vector<std::string> fields;
    std::int64_t windowMs = 0;
};

struct DeliveryConfig
{
    int retries = 5;               // attempts after the first, before an alert waits in the spool for the next start
    std::int64_t backoffMinMs = 1000;
    std::int64_t backoffMaxMs = 60000;
    std::int64_t timeoutMs = 10000; // one attempt: connect, send, answer (a command: run to its end)
    std::string spool;              // absolute once loaded
};

struct AlertConfig
{
    analysis::ConfigSource source;
    std::vector<AlertChannel> channels;
    std::vector<SuppressRule> suppress;
    DeliveryConfig delivery;

    bool network() const;
};

// The record fields a suppression rule may name.
const std::vector<std::string_view>& suppressibleFields();

// How a loader finds what the file refers to: the environment (for env:NAME)
// and the user's home and state folders (for ~ and the default spool).
struct AlertEnvironment
{
    std::function<std::optional<std::string>(const std::string&)> variable;
    std::string home;
    std::string stateHome; // $XDG_STATE_HOME, or empty for ~/.local/state
    static AlertEnvironment process();
};

// Parses alerts.yaml. Relative paths (a file channel, the spool) are taken
// from the folder of `file`. Every problem is a diagnostic with its line;
// nullopt when any is an error.
std::optional<AlertConfig> parseAlertConfig(std::string_view bytes, const std::string& file,
                                            const AlertEnvironment& env, std::vector<BundleDiagnostic>& diagnostics);
std::optional<AlertConfig> loadAlertConfig(const std::string& path, const AlertEnvironment& env,
                                           std::vector<BundleDiagnostic>& diagnostics);

} // namespace rw::alerts
