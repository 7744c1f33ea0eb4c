#pragma once

#include <string>
#include <string_view>

namespace rwfuzz {

// Reads `bytes` as the body of a streaming run trace (reference §3.2): a
// run_started line is put before them, so every input goes down the stream
// importer rather than the interceptor parser. The loader's invariants
// (checkInput) must hold, and the analysis of the runs it gives, with the
// built-in rules and a profile, must keep its promises: anomalies in step
// order, witnesses inside the file, fingerprints of 64 hex digits, the
// same result twice. Returns "" when every invariant holds. Shared by
// fuzz_runstream and tst_fuzzcorpus.
std::string checkRunStreamInput(std::string_view bytes);

} // namespace rwfuzz
