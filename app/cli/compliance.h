#pragma once

// The report's `compliance` section (reference §3.13): each control of a
// controls.yaml judged on the report's run rows and fleet section. Runs
// examined: every run when the control names a detector or a rule (every
// detector looks at every run), else the runs where one of its policy checks
// applied. A run fails a control when one of its anomalies at warn or above
// matches the control's detector or rule selectors, or one of its matching
// checks ended WARN or FAIL. A control passes when no run fails it and none
// of its fleet findings is present; `not_examined` when no run was. Each
// anomaly held against a control is named by run, anomaly id and fingerprint:
// its witnesses are in the report's run rows, once.
#include "app/cli/batchmerge.h"
#include "replay/analysis/controls.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace rw {

nlohmann::ordered_json complianceJson(const analysis::ControlSet& controls, const std::vector<BatchRun>& runs,
                                      const nlohmann::ordered_json& fleet);

} // namespace rw
