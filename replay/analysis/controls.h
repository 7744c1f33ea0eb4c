#pragma once

// controls.yaml (reference §3.13): the user's own mapping of compliance
// controls (Essential Eight, APRA CPS 234, the Privacy Act, SOC 2, ...) to
// what the analysis finds, so a batch report can say, per control, how many
// runs were examined, how many passed and which anomalies (with their
// witnesses) and policy checks count against it. We ship an example, not
// legal text: the identifiers and the mapping are the user's.
//
//   version: 1
//   framework: Essential Eight            # default for the controls below
//   controls:
//     - id: E8-RAP
//       title: Restrict administrative privileges
//       evidence: [detector:permission_escalation, policy:SOP-114/escalation-approval, fleet:over_provisioned]
//
// Evidence selectors (globs, `*` any characters): detector:NAME, rule:RULE_ID,
// policy:POLICY/CHECK, fleet:over_provisioned | fleet:frequent_escalations
// (heatmap:over_provisioned is read as the fleet one).
#include "replay/analysis/analysisconfig.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rw::analysis {

struct ControlEvidence
{
    enum class Kind : std::uint8_t { Detector, Rule, Policy, Fleet } kind = Kind::Detector;
    std::string pattern; // detector, rule or policy glob; the fleet finding's name
    std::string check;   // policy: the check glob
    std::string text;    // as written, for the report
};

struct Control
{
    std::string id, title, framework;
    std::vector<ControlEvidence> evidence;
};

struct ControlSet
{
    ConfigSource source;
    std::string framework;
    std::vector<Control> controls;
};

std::optional<ControlSet> parseControls(std::string_view bytes, const std::string& file,
                                        std::vector<BundleDiagnostic>& diagnostics);
std::optional<ControlSet> loadControls(const std::string& path, std::vector<BundleDiagnostic>& diagnostics);

} // namespace rw::analysis
