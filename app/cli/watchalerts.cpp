#include "app/cli/watchalerts.h"

#include "app/text/alerttext.h"
#include "app/text/replaydifftext.h"
#include "app/text/terminaltext.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace rw {

namespace {

// the longest the end of a watch waits for deliveries under way (Ctrl+C should not hang on a slow receiver)
constexpr std::int64_t kFinishGraceMs = 3000;

std::optional<alerts::AlertConfig> loadConfig(const std::string& path, std::ostream& diag, bool warnings)
{
    std::vector<BundleDiagnostic> diagnostics;
    std::optional<alerts::AlertConfig> config = alerts::loadAlertConfig(path, alerts::AlertEnvironment::process(), diagnostics);
    for (const BundleDiagnostic& d : diagnostics)
        if (warnings || d.level == BundleDiagnostic::Level::Error)
            diag << bundleDiagnosticLine(d) << '\n';
    return config;
}

// the path with every symlink resolved, also for a file not there yet (through its folder)
std::string canonical(const std::string& path)
{
    const QFileInfo info(QString::fromStdString(path));
    QString c = info.canonicalFilePath();
    if (c.isEmpty()) {
        const QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
        c = folder.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : folder + QLatin1Char('/') + info.fileName();
    }
    return c.toStdString();
}

// A file channel (or the spool) that writes the watched file, or into the watched folder
// (whose files, or later ones, the watch reads), would write evidence and read
// its own alerts back. (At write time the file channel also refuses symlinks
// and files with other names: alerttransport.cpp.)
std::string writesSource(const alerts::AlertConfig& config, const CliOptions& o)
{
    if (o.watch == "-")
        return {};
    const std::string source = canonical(o.watch);
    const bool folder = QFileInfo(QString::fromStdString(o.watch)).isDir();
    const auto inside = [&](const std::string& path) {
        const std::string target = canonical(path);
        return target == source || (folder && (target.rfind(source + "/", 0) == 0 || target == source));
    };
    for (const alerts::AlertChannel& ch : config.channels)
        if (ch.type == alerts::ChannelType::File && inside(ch.path))
            return "alert channel '" + terminalText(ch.id) + "'";
    // the spool too: its files (and its lock) would be written among the evidence
    if (inside(config.delivery.spool))
        return "the alert spool " + terminalText(config.delivery.spool);
    return {};
}

} // namespace

WatchAlerts::WatchAlerts(const CliOptions& options, std::ostream& err, alerts::AlertConfig config)
    : m_options(options), m_err(err), m_dispatcher(std::move(config))
{
}

WatchAlerts::~WatchAlerts() = default;

std::unique_ptr<WatchAlerts> WatchAlerts::start(const CliOptions& o, std::ostream& err, int& exitCode)
{
    exitCode = 2;
    std::optional<alerts::AlertConfig> config = loadConfig(o.alerts, err, !o.quiet);
    if (!config) {
        err << "Error: the alerts file is not valid\n";
        return nullptr;
    }
    if (const std::string what = writesSource(*config, o); !what.empty()) {
        err << "Error: " << what << " would write into what is watched (" << terminalText(o.watch)
            << "): sources are never written; give it a path outside\n";
        return nullptr;
    }
    std::unique_ptr<WatchAlerts> alerts(new WatchAlerts(o, err, std::move(*config)));
    std::string error;
    if (!alerts->m_dispatcher.start(error)) {
        err << "Error: the alert spool " << terminalText(alerts->m_dispatcher.config().delivery.spool)
            << " cannot be used: " << terminalText(error) << '\n';
        exitCode = 1;
        return nullptr;
    }
    return alerts;
}

void WatchAlerts::offer(const analysis::Anomaly& anomaly, const std::string& file, std::uint64_t line, std::uint64_t offset)
{
    m_dispatcher.submit(alertRecord(anomaly, {file, line, offset}));
}

void WatchAlerts::report()
{
    for (const alerts::DeliveryEvent& e : m_dispatcher.takeEvents()) {
        // what did not go as it should is said even with --quiet: an alert not delivered is news
        const bool trouble = e.kind == alerts::DeliveryEvent::Kind::Kept || e.kind == alerts::DeliveryEvent::Kind::Rejected ||
                             e.kind == alerts::DeliveryEvent::Kind::SpoolFailed || e.kind == alerts::DeliveryEvent::Kind::Lost;
        const std::string line = deliveryEventLine(e, m_dispatcher.config());
        if (!line.empty() && (trouble || !m_options.quiet))
            m_err << line << '\n';
    }
}

void WatchAlerts::finish()
{
    m_dispatcher.finish(std::min(kFinishGraceMs, m_dispatcher.config().delivery.timeoutMs));
    report();
    const alerts::DeliveryTotals totals = m_dispatcher.totals();
    if (!m_options.quiet || totals.kept || totals.rejected || totals.lost)
        m_err << alertTotalsLine(totals, m_dispatcher.config()) << '\n';
}

int runCheckAlerts(const CliOptions& o, std::ostream& out)
{
    const std::optional<alerts::AlertConfig> config = loadConfig(o.alerts, out, !o.quiet);
    if (!config)
        return 2;
    out << alertConfigText(*config);
    return 0;
}

} // namespace rw
