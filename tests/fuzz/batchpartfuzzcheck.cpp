#include "tests/fuzz/batchpartfuzzcheck.h"

#include "app/cli/batchmerge.h"

#include <QTemporaryDir>

#include <algorithm>
#include <fstream>

namespace rwfuzz {

std::string checkBatchPartInput(std::string_view bytes)
{
    // the reader takes a path, as the merge does: one file per process, rewritten per input
    static QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("part.jsonl")).toStdString();
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            return {}; // (no room to write it: nothing to check)
    }
    std::string error;
    std::optional<rw::BatchPart> part;
    try {
        part = rw::readBatchPart(path, error);
    } catch (const std::exception& e) {
        return std::string("an exception escaped the reader: ") + e.what();
    }
    if (!part)
        return error.empty() ? "a part refused without a reason" : std::string();
    const std::size_t runs = part->runs.size();
    std::vector<rw::BatchPart> parts;
    parts.push_back(std::move(*part));
    std::optional<rw::MergedBatch> merged;
    try {
        merged = rw::mergeBatchParts(std::move(parts), {path}, {}, error);
    } catch (const std::exception&) {
        return {}; // the CLI catches what escapes the merge and refuses the parts (exit 1)
    }
    if (!merged)
        return error.empty() ? "a merge refused without a reason" : std::string();
    if (merged->runs.size() != runs)
        return "the merge holds " + std::to_string(merged->runs.size()) + " runs of the part's " + std::to_string(runs);
    const std::string report = rw::batchReportText(*merged);
    if (report.empty() || report.front() != '{' || !nlohmann::json::accept(report))
        return "the merged report is not one JSON object";
    const std::string index = rw::batchIndexLines(*merged);
    if (static_cast<std::size_t>(std::count(index.begin(), index.end(), '\n')) != runs)
        return "the index does not have a line per run";
    return {};
}

} // namespace rwfuzz
