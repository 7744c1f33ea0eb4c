#pragma once

// The trace files of a batch analysis (fleet analysis, reference §3.11):
// every regular file under the given folders whose name matches a glob,
// found recursively, in path order. A folder that cannot be read, a symlink
// loop or a dangling link is a problem to report, never the end of the walk.
#include <cstdint>
#include <string>
#include <vector>

namespace rw::analysis {

struct BatchProblem
{
    enum class Code : std::uint8_t { Unreadable, SymlinkLoop, Dangling, NotAFolder } code = Code::Unreadable;
    std::string path;
    std::string detail; // the system's words (strerror), when it gave some
};

struct BatchFiles
{
    std::vector<std::string> files; // sorted, each once (a file reached by two links counts once)
    std::vector<std::uint64_t> sizes; // of each file when the walk saw it: the batch's progress in bytes
    std::vector<BatchProblem> problems;
};

// `glob` is matched against file names, case-insensitively (`*.json*` takes
// .json, .jsonl and .json.gz). A path given that is a file is taken as is.
BatchFiles collectBatchFiles(const std::vector<std::string>& roots, const std::string& glob);

} // namespace rw::analysis
