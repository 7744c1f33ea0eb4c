#pragma once

// The words of alert delivery (aisecops-replay --watch --alerts,
// --check-alerts): the record an anomaly is alerted as, what happened to a
// delivery, the totals at the end, and a channel listing that names secrets
// only by their env: reference.
#include "replay/alerts/alertconfig.h"
#include "replay/alerts/alertdispatcher.h"
#include "replay/alerts/alertrecord.h"
#include "replay/analysis/anomaly.h"

#include <string>

namespace rw {

// the §3.10 record, its message without parameter values, and where its step's line lies
alerts::AlertRecord alertRecord(const analysis::Anomaly& anomaly, const alerts::AlertSource& source);
// "Data exfiltration (exfil.large-read-external) at step 4 of run-c891f": no value a tool was given
std::string redactedAnomalyMessage(const analysis::Anomaly& anomaly);
// "connection refused", "HTTP 503", "no answer within 10 s", ...
std::string failureText(const alerts::Outcome& outcome, std::int64_t timeoutMs);
// one line for what happened, or "" for what is not worth a line (a delivery that worked)
std::string deliveryEventLine(const alerts::DeliveryEvent& event, const alerts::AlertConfig& config);
// "Alerts: 3 sent, 1 suppressed, 2 kept in the spool for the next start (~/.local/state/...)"
std::string alertTotalsLine(const alerts::DeliveryTotals& totals, const alerts::AlertConfig& config);
// --check-alerts: each channel with its type, min severity and destination, the suppression and delivery
std::string alertConfigText(const alerts::AlertConfig& config);

} // namespace rw
