#pragma once

// Helpers of the analysis configuration tests (tst_analysisconfig,
// tst_analysisconfigfiles): rw_analysis and Qt Core only.
#include "replay/policy/yamltree.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace rwtest {

// The four parsers of replay/analysis/configloader.h, by number.
enum AnalysisLoader { ProfileLoader, BehaviourLoader, ExfilLoader, SequenceProfileLoader };

// Runs one parser on `bytes` (named t.yaml, or t.json for sequence
// profiles); true when it gave a result.
bool parseAnalysisInput(int loader, const QByteArray& bytes, std::vector<rw::BundleDiagnostic>& d);
// "line:column error|warning message", one a line, for failure messages.
QString describe(const std::vector<rw::BundleDiagnostic>& d);
// Some diagnostic is an error and its message contains `part`.
bool hasErrorContaining(const std::vector<rw::BundleDiagnostic>& d, const QByteArray& part);

} // namespace rwtest
