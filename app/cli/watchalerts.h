#pragma once

// The watch's side of alerting (--watch --alerts alerts.yaml) and
// --check-alerts: the file loaded and checked against the watched source (a
// file channel must never write what is watched), the delivery started, each
// printed anomaly offered, what delivery did worded on stderr as it happens,
// and the totals at the end.
#include "app/cli/clioptions.h"
#include "replay/alerts/alertdispatcher.h"
#include "replay/analysis/anomaly.h"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace rw {

class WatchAlerts
{
public:
    // nullptr after printing why, `exitCode` set: 2 for an invalid file or a
    // channel (or spool) that would write the watched source, 1 for a spool
    // that cannot be used
    static std::unique_ptr<WatchAlerts> start(const CliOptions& options, std::ostream& err, int& exitCode);
    ~WatchAlerts();

    // `file`, `line`, `offset`: the line of the step that showed it
    void offer(const analysis::Anomaly& anomaly, const std::string& file, std::uint64_t line, std::uint64_t offset);
    // prints what delivery did since the last call
    void report();
    // the end of the watch: the attempts under way get a moment, then the totals line
    void finish();

private:
    WatchAlerts(const CliOptions& options, std::ostream& err, alerts::AlertConfig config);

    const CliOptions& m_options;
    std::ostream& m_err;
    alerts::AlertDispatcher m_dispatcher;
};

// --check-alerts alerts.yaml: its findings, then what it configures; 0, or 2 for an invalid file
int runCheckAlerts(const CliOptions& options, std::ostream& out);

} // namespace rw
