#pragma once

#include "auditloader.h"
#include "replaymodel.h"

#include <QString>
#include <memory>
#include <string>
#include <vector>

namespace rwtest {

std::unique_ptr<rw::ReplayModel> load(std::string_view bytes, unsigned threads = 1);
std::string readFile(const QString& path);
// Codes of every stored diagnostic, in order.
std::vector<rw::DiagnosticCode> codes(const rw::ReplayModel& model);
// Compares text with a golden file (RW_UPDATE_GOLDEN=1 rewrites it instead). On mismatch writes <golden>.actual (in
// actualDir when the golden lives in a read-only place),
// prints a unified diff and returns false.
bool matchesGolden(const std::string& actual, const QString& goldenPath, const QString& actualDir = {});

} // namespace rwtest
