#pragma once

#include "model/auditloader.h"
#include "model/replaymodel.h"

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
// One trace "big" of `plans` execution plans p0..p{plans-1}, each one decision
// event (blocked for every third plan), tools tool0..tool{tools-1},
// provenance sources s0.. with trust levels t0..t{trusts-1}; the last event
// repeats plan p0. For checks that would time out if quadratic.
std::string manyPlansTrace(std::size_t plans, std::size_t tools, std::size_t trusts);
// One "plan"/"pending" event line of trace `trace` with event id `id` (no
// newline); `extra` is spliced in before the closing brace (", \"key\": ...").
// Its timestamp's seconds digit is id.size() % 10.
std::string planLine(const std::string& trace, const std::string& id, const std::string& extra = {});

} // namespace rwtest
