#pragma once

// The words of one anomaly (reference §3.10): its category, its severity
// label and its one-line message, made from the rule id and the context the
// engine records (the table in replay/analysis/anomaly.h). Values from
// traces and configuration files are shown in their visible form
// (model/visibletext.h), so a message is safe to print anywhere.
#include "replay/analysis/anomaly.h"

#include <QString>

namespace rw {

// "Permission escalation", "Unusual tool sequence", "Excessive retries", ...
// (the category of reports and of the anomaly feed)
QString anomalyCategory(analysis::Detector detector);
// INFO, WARN, CRITICAL as reports print them in brackets
QString severityLabel(analysis::Severity severity);
// One line, "<headline> — <detail>": "Permission escalation — ssh:exec:write
// not in baseline grant", "Retry detected — metrics.query called 2x with
// identical params". Never empty: a rule id this version does not know, or
// a context without the values its rule needs, is worded from the detector,
// the rule id and every context value.
QString anomalyMessage(const analysis::Anomaly& anomaly);

} // namespace rw
