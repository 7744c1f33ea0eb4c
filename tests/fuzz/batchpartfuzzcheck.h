#pragma once

#include <string>
#include <string_view>

namespace rwfuzz {

// Reads `bytes` as a batch part file (the map step's output, which a merge
// takes from other machines) and merges it alone: a hostile part is refused
// or read as neutral values, never a crash; the reader never throws (the
// CLI refuses the parts when the merge does); a merge that
// succeeds gives a report that is one JSON object, holding every run the part
// held, and an index line per run. Returns "" when that holds. Shared by
// fuzz_batchpart and tst_fuzzcorpus.
std::string checkBatchPartInput(std::string_view bytes);

} // namespace rwfuzz
