#include "replay/alerts/alertconfig.h"

#include "replay/analysis/configchecker.h"
#include "replay/analysis/configvalues.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

namespace rw::alerts {

using analysis::ConfigChecker;

namespace {

constexpr std::string_view kPagerDutyEndpoint = "https://events.pagerduty.com/v2/enqueue";

bool isEnvName(std::string_view s)
{
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front())))
        return false;
    return std::all_of(s.begin(), s.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
}

// Header names whose values are credentials: they are taken from env: only.
bool secretHeader(std::string name)
{
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return name == "authorization" || name == "proxy-authorization" || name == "cookie" ||
           name.find("token") != std::string::npos || name.find("secret") != std::string::npos ||
           name.find("key") != std::string::npos || name.find("auth") != std::string::npos ||
           name.find("pass") != std::string::npos || name.find("sig") != std::string::npos ||
           name.find("session") != std::string::npos;
}

// An error here, not the other files' warning: a misspelt key (min_severty)
// would silently change who is paged.
void unknownKey(ConfigChecker& c, const YamlNode& key, const std::vector<std::string_view>& known, const std::string& where)
{
    c.error(key, "unknown key '" + key.value + "' in " + where + didYouMean(key.value, known));
}

std::optional<bool> boolean(ConfigChecker& c, const YamlNode& n, const std::string& what)
{
    if (n.kind == YamlNode::Kind::Scalar && !n.quoted && (n.value == "true" || n.value == "false"))
        return n.value == "true";
    c.error(n, "'" + what + "' must be true or false");
    return std::nullopt;
}

// `redact: true|false` or `redact: {parameters: true|false}`
std::optional<bool> redaction(ConfigChecker& c, const YamlNode& n, const std::string& what)
{
    if (n.kind != YamlNode::Kind::Map)
        return boolean(c, n, what);
    std::optional<bool> out = true;
    for (const auto& [key, value] : n.entries) {
        if (key.value == "parameters")
            out = boolean(c, value, what + ".parameters");
        else
            unknownKey(c, key, {"parameters"}, what);
    }
    return out;
}

class Reader
{
public:
    Reader(ConfigChecker& c, const AlertEnvironment& env, QString folder) : m_c(c), m_env(env), m_folder(std::move(folder)) {}

    // env:NAME resolved; a literal allowed only when `secret` is false
    std::optional<ConfigValue> value(const YamlNode& n, const std::string& what, bool secret)
    {
        const std::optional<std::string> s = m_c.string(n, what);
        if (!s)
            return std::nullopt;
        if (s->rfind("env:", 0) != 0) {
            if (secret) {
                m_c.error(n, "'" + what + "' is a secret: write it as env:NAME and set NAME in the environment, "
                                          "never in the file");
                return std::nullopt;
            }
            return ConfigValue{*s, *s};
        }
        const std::string name = s->substr(4);
        if (!isEnvName(name)) {
            m_c.error(n, "'" + what + "': '" + name + "' is not an environment variable name");
            return std::nullopt;
        }
        const std::optional<std::string> v = m_env.variable ? m_env.variable(name) : std::nullopt;
        if (!v || v->empty()) {
            m_c.error(n, "'" + what + "': the environment variable " + name + " is not set");
            return std::nullopt;
        }
        return ConfigValue{*v, *s};
    }

    // an http(s) URL with a host; the value itself is not repeated when it came from env:
    std::optional<ConfigValue> url(const YamlNode& n, const std::string& what, bool secret)
    {
        std::optional<ConfigValue> v = value(n, what, secret);
        if (!v)
            return std::nullopt;
        const QUrl u(QString::fromStdString(v->value), QUrl::StrictMode);
        const QString scheme = u.scheme().toLower();
        if (!u.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) || u.host().isEmpty() || !u.userInfo().isEmpty()) {
            const std::string said = v->shown == v->value ? "'" + v->value + "'" : "the value of " + v->shown;
            m_c.error(n, "'" + what + "': " + said + " is not an http:// or https:// URL with a host (and no user:password@)");
            return std::nullopt;
        }
        if (v->shown == v->value && (u.hasQuery() || u.hasFragment()))
            m_c.warning(n, "'" + what + "' has a query: if it carries a token, write the URL as env:NAME, or it is shown "
                                        "by --check-alerts and kept in this file");
        return v;
    }

    std::string path(const std::string& written) const
    {
        QString p = QString::fromStdString(written);
        if (p == QLatin1String("~") || p.startsWith(QLatin1String("~/")))
            p = QString::fromStdString(m_env.home) + p.mid(1);
        return QDir::cleanPath(QDir(m_folder).absoluteFilePath(p)).toStdString();
    }

    std::optional<std::int64_t> millis(const YamlNode& n, const std::string& what)
    {
        const std::optional<std::int64_t> us = m_c.word(n, what, analysis::durationFromText);
        if (!us)
            return std::nullopt;
        return std::max<std::int64_t>(1, *us / 1000);
    }

    ConfigChecker& m_c;
    const AlertEnvironment& m_env;
    QString m_folder;
};

void readChannelKeys(Reader& r, const YamlNode& n, const std::string& where, AlertChannel& ch, const YamlNode*& typeNode)
{
    ConfigChecker& c = r.m_c;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        const std::string at = where + "." + k;
        if (k == "id") {
            ConfigChecker::assign(ch.id, c.string(value, at));
        } else if (k == "type") {
            typeNode = &value;
        } else if (k == "min_severity") {
            ConfigChecker::assign(ch.minSeverity, c.word(value, at, analysis::severityFromWord));
        } else if (k == "redact") {
            ConfigChecker::assign(ch.redact, redaction(c, value, at));
        } else if (k == "url" || k == "endpoint") {
            // a Slack incoming-webhook URL is itself the credential
            const bool secret = k == "url" && typeNode && typeNode->value == "slack";
            ConfigChecker::assign(ch.url, r.url(value, at, secret));
        } else if (k == "routing_key") {
            ConfigChecker::assign(ch.routingKey, r.value(value, at, true));
        } else if (k == "headers") {
            if (!c.optionalMapping(value, at))
                continue;
            for (const auto& [name, v] : value.entries)
                if (auto hv = r.value(v, at + "." + name.value, secretHeader(name.value)))
                    ch.headers.emplace_back(name.value, std::move(*hv));
        } else if (k == "path") {
            if (auto p = c.string(value, at))
                ch.path = r.path(*p);
        } else if (k == "argv") {
            const std::optional<std::vector<std::string>> argv = c.strings(value, at);
            if (argv && argv->empty())
                c.error(value, "'" + at + "' is empty: the program to run, then its arguments");
            ConfigChecker::assign(ch.argv, argv);
        } else {
            unknownKey(c, key, {"id", "type", "min_severity", "redact", "url", "endpoint", "routing_key", "headers", "path", "argv"}, where);
        }
    }
}

// what each type needs, and the keys that belong to another type
bool checkChannel(ConfigChecker& c, const YamlNode& n, const std::string& where, AlertChannel& ch)
{
    const auto has = [&](std::string_view key) {
        return std::any_of(n.entries.begin(), n.entries.end(), [&](const YamlEntry& e) { return e.key.value == key; });
    };
    const auto needs = [&](bool ok, const char* key) {
        if (!ok && !has(key))
            c.error(n, "'" + where + "' (" + channelTypeName(ch.type) + ") needs '" + key + "'");
        return ok;
    };
    std::vector<std::string_view> own;
    switch (ch.type) {
    case ChannelType::Webhook: own = {"url", "headers"}; needs(!ch.url.value.empty(), "url"); break;
    case ChannelType::Slack: own = {"url"}; needs(!ch.url.value.empty(), "url"); break;
    case ChannelType::PagerDuty:
        own = {"routing_key", "endpoint"};
        needs(!ch.routingKey.value.empty(), "routing_key");
        if (!has("endpoint"))
            ch.url = {std::string(kPagerDutyEndpoint), std::string(kPagerDutyEndpoint)};
        break;
    case ChannelType::File: own = {"path"}; needs(!ch.path.empty(), "path"); break;
    case ChannelType::Command: own = {"argv"}; needs(!ch.argv.empty(), "argv"); break;
    }
    for (const YamlEntry& e : n.entries) {
        const std::string& k = e.key.value;
        const bool typed = k == "url" || k == "endpoint" || k == "routing_key" || k == "headers" || k == "path" || k == "argv";
        if (typed && std::find(own.begin(), own.end(), k) == own.end())
            c.error(e.key, "'" + where + "': a " + channelTypeName(ch.type) + " channel does not take '" + k + "'");
    }
    return !ch.id.empty();
}

std::optional<AlertChannel> readChannel(Reader& r, const YamlNode& n, std::size_t index, bool redact)
{
    ConfigChecker& c = r.m_c;
    const std::string where = "channels[" + std::to_string(index) + "]";
    if (!c.entryMapping(n, "channels"))
        return std::nullopt;
    AlertChannel ch;
    ch.redact = redact;
    ch.line = n.line;
    const YamlNode* typeNode = nullptr;
    // the type first: whether a url is a secret depends on it
    for (const YamlEntry& e : n.entries)
        if (e.key.value == "type")
            typeNode = &e.value;
    readChannelKeys(r, n, where, ch, typeNode);
    if (!typeNode) {
        c.error(n, "'" + where + "' has no type (webhook, slack, pagerduty, file or command)");
        return std::nullopt;
    }
    static const std::vector<std::pair<std::string_view, ChannelType>> kTypes = {
        {"webhook", ChannelType::Webhook}, {"slack", ChannelType::Slack}, {"pagerduty", ChannelType::PagerDuty},
        {"file", ChannelType::File}, {"command", ChannelType::Command}};
    const auto t = std::find_if(kTypes.begin(), kTypes.end(), [&](const auto& p) { return p.first == typeNode->value; });
    if (t == kTypes.end()) {
        std::vector<std::string_view> words;
        for (const auto& p : kTypes)
            words.push_back(p.first);
        c.error(*typeNode, "'" + where + ".type' must be webhook, slack, pagerduty, file or command, got '" +
                               typeNode->value + "'" + didYouMean(typeNode->value, words));
        return std::nullopt;
    }
    ch.type = t->second;
    if (!checkChannel(c, n, where, ch)) {
        c.error(n, "'" + where + "' has no id");
        return std::nullopt;
    }
    return ch;
}

void readDelivery(Reader& r, const YamlNode& n, DeliveryConfig& d)
{
    ConfigChecker& c = r.m_c;
    if (!c.optionalMapping(n, "delivery"))
        return;
    for (const auto& [key, value] : n.entries) {
        const std::string& k = key.value;
        if (k == "retries") {
            if (auto v = c.integer(value, "delivery.retries", 0)) {
                if (*v > 20)
                    c.error(value, "'delivery.retries' is at most 20 (the spool keeps what is not delivered)");
                else
                    d.retries = *v;
            }
        } else if (k == "backoff") {
            const std::optional<std::string> s = c.string(value, "delivery.backoff");
            const std::size_t dots = s ? s->find("..") : std::string::npos;
            if (s && dots == std::string::npos) {
                c.error(value, "'delivery.backoff' is MIN..MAX, e.g. 1s..60s");
                continue;
            }
            if (!s)
                continue;
            std::string why;
            const auto lo = analysis::durationFromText(s->substr(0, dots), why);
            const auto hi = lo ? analysis::durationFromText(s->substr(dots + 2), why) : std::nullopt;
            if (!lo || !hi)
                c.error(value, "'delivery.backoff' " + why);
            else if (*hi < *lo)
                c.error(value, "'delivery.backoff': the longest wait is shorter than the first");
            else if (*hi > 3600LL * 1000 * 1000)
                c.error(value, "'delivery.backoff': the longest wait is at most 1h (the spool keeps the rest for the next start)");
            else {
                d.backoffMinMs = std::max<std::int64_t>(1, *lo / 1000);
                d.backoffMaxMs = std::max<std::int64_t>(1, *hi / 1000);
            }
        } else if (k == "timeout") {
            if (auto ms = r.millis(value, "delivery.timeout")) {
                if (*ms > 300000)
                    c.error(value, "'delivery.timeout' is at most 5m");
                else
                    d.timeoutMs = *ms;
            }
        } else if (k == "spool") {
            if (auto p = c.string(value, "delivery.spool"))
                d.spool = r.path(*p);
        } else {
            unknownKey(c, key, {"retries", "backoff", "timeout", "spool"}, "delivery");
        }
    }
}

void readSuppress(Reader& r, const YamlNode& n, std::vector<SuppressRule>& out)
{
    ConfigChecker& c = r.m_c;
    if (!c.optionalList(n, "suppress"))
        return;
    for (std::size_t i = 0; i < n.items.size(); ++i) {
        const YamlNode& item = n.items[i];
        const std::string where = "suppress[" + std::to_string(i) + "]";
        if (!c.entryMapping(item, "suppress"))
            continue;
        SuppressRule rule;
        bool hasFor = false;
        for (const auto& [key, value] : item.entries) {
            if (key.value == "fields") {
                ConfigChecker::assign(rule.fields, c.strings(value, where + ".fields"));
                for (const std::string& f : rule.fields)
                    if (std::find(suppressibleFields().begin(), suppressibleFields().end(), f) == suppressibleFields().end())
                        c.error(value, "'" + where + ".fields': '" + f + "' is not a field of an anomaly record" +
                                           didYouMean(f, suppressibleFields()));
            } else if (key.value == "for") {
                hasFor = true;
                ConfigChecker::assign(rule.windowMs, r.millis(value, where + ".for"));
            } else {
                unknownKey(c, key, {"fields", "for"}, where);
            }
        }
        if (rule.fields.empty() || !hasFor)
            c.error(item, "'" + where + "' needs fields and for (e.g. {fields: [detector, agent_id], for: 30m})");
        else
            out.push_back(std::move(rule));
    }
}

} // namespace

const char* channelTypeName(ChannelType type)
{
    switch (type) {
    case ChannelType::Webhook: return "webhook";
    case ChannelType::Slack: return "slack";
    case ChannelType::PagerDuty: return "pagerduty";
    case ChannelType::File: return "file";
    case ChannelType::Command: return "command";
    }
    return "?";
}

bool AlertConfig::network() const
{
    return std::any_of(channels.begin(), channels.end(), [](const AlertChannel& ch) { return ch.network(); });
}

const std::vector<std::string_view>& suppressibleFields()
{
    static const std::vector<std::string_view> kFields = {"detector", "rule_id", "agent_id", "run_id", "step_index",
                                                          "severity", "category", "fingerprint", "file"};
    return kFields;
}

AlertEnvironment AlertEnvironment::process()
{
    AlertEnvironment env;
    env.variable = [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
    };
    env.home = QDir::homePath().toStdString();
    if (const char* s = std::getenv("XDG_STATE_HOME"); s && *s == '/')
        env.stateHome = s;
    return env;
}

std::optional<AlertConfig> parseAlertConfig(std::string_view bytes, const std::string& file, const AlertEnvironment& env,
                                            std::vector<BundleDiagnostic>& diagnostics)
{
    ConfigChecker c(file, diagnostics);
    const std::optional<YamlNode> root = c.mappingRoot(bytes, "an alerts mapping (channels, suppress, delivery)");
    if (!root)
        return std::nullopt;
    Reader r(c, env, QFileInfo(QString::fromStdString(file)).absolutePath());
    AlertConfig config;
    config.source = c.source(bytes);
    bool redact = true;
    const YamlNode* channels = nullptr;
    for (const auto& [key, value] : root->entries) {
        if (key.value == "channels")
            channels = &value;
        else if (key.value == "suppress")
            readSuppress(r, value, config.suppress);
        else if (key.value == "delivery")
            readDelivery(r, value, config.delivery);
        else if (key.value == "redact")
            ConfigChecker::assign(redact, redaction(c, value, "redact"));
        else
            unknownKey(c, key, {"channels", "suppress", "delivery", "redact"}, "the alerts file");
    }
    if (!channels || channels->kind != YamlNode::Kind::Sequence || channels->items.empty()) {
        c.error(channels ? *channels : *root, "the alerts file names no channel: 'channels' is a list of "
                                               "{id, type, ...} (webhook, slack, pagerduty, file or command)");
        return std::nullopt;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < channels->items.size(); ++i) {
        std::optional<AlertChannel> ch = readChannel(r, channels->items[i], i, redact);
        if (!ch)
            continue;
        if (!ids.insert(ch->id).second)
            c.error(channels->items[i], "channel id '" + ch->id + "' is used twice");
        config.channels.push_back(std::move(*ch));
    }
    if (config.delivery.spool.empty()) {
        const std::string state = env.stateHome.empty() ? env.home + "/.local/state" : env.stateHome;
        config.delivery.spool = state + "/replay-workbench/alert-spool";
    }
    if (c.failed())
        return std::nullopt;
    return config;
}

std::optional<AlertConfig> loadAlertConfig(const std::string& path, const AlertEnvironment& env,
                                           std::vector<BundleDiagnostic>& diagnostics)
{
    const std::optional<std::string> bytes = readConfigFile(path, YamlLimits().maxBytes, diagnostics);
    if (!bytes)
        return std::nullopt;
    return parseAlertConfig(*bytes, path, env, diagnostics);
}

} // namespace rw::alerts
