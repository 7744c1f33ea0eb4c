#pragma once

#include "app/cli/clioptions.h"
#include "model/outputfile.h"

#include <functional>
#include <optional>
#include <ostream>
#include <string_view>

namespace rw {

// Chooses a file this call writes (chooseOutputFile with every input and key
// of the call); on a refusal prints "Error: ..." and returns nullopt (exit 2).
// An in-place rewrite (the bundle of --verify --record-custody) may be that input.
std::optional<OutputTarget> chooseCliOutput(const CliOptions& options, const std::string& path, OutputKind kind,
                                            std::ostream& err);
// Writes a chosen output; on a failure prints "Error: ..." and returns false (exit 1).
bool writeCliOutput(const OutputTarget& target, std::string_view bytes, std::ostream& err);
// The same for what `produce` passes to its sink, in order, through a
// buffer: a gigabyte report is never one string in memory.
using OutputSink = std::function<void(std::string_view)>;
bool writeCliOutputStreamed(const OutputTarget& target, const std::function<void(const OutputSink&)>& produce,
                            std::ostream& err);
// The exit code of an executable once its standard output is flushed: output
// that never arrived (a full disk, a closed pipe, /dev/full) is a failure, 1
// when the command had succeeded, with "Error: ..." on `err`.
int finishStandardOutput(int code, std::ostream& out, std::ostream& err);

} // namespace rw
