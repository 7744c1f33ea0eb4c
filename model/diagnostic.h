#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rw {

// How bad a finding is. Info findings describe the file (BOM, CRLF) and never
// drop a record; warnings keep the record; errors mean the record could not be
// read and is kept only as raw bytes.
enum class Severity : std::uint8_t { Info, Warning, Error };

// Stable finding codes. Their names (diagnosticCodeName) are part of our output
// formats and tests; user-facing wording lives in app/ and views/.
enum class DiagnosticCode : std::uint8_t {
    EmptyFile,
    BomSkipped,
    BomInside,
    Utf16Encoding,
    CrlfLineEndings,
    NoFinalNewline,
    IncompleteLastLine,
    InvalidJson,
    InvalidUtf8,
    NulBytes,
    NulPadding,
    LineTooLong,
    DepthExceeded,
    NotAnObject,
    WrongFieldType,
    MissingTimestamp,
    UnparseableTimestamp,
    MissingDecision,
    DuplicateEventId,
    RunTraceInvalid,
    Utf32Encoding,     // UTF-32 (with or without a byte order mark)
    BinaryFile,        // not text: the detail names what it is (gzip, ZIP archive, PNG image, ...)
    CrOnlyLineEndings, // carriage returns and no line feed: lines cannot be told apart
    MixedFormat,       // a record of the other format (run document in a JSONL log, or the reverse)
    NoEvents,          // a non-empty file gave no event; the detail says why
    FileChanged,       // the file changed on disk while it was read
    Compressed,        // read through a decompressor: offsets are in the decompressed stream
    DuplicateKey,      // a known key twice in one record: the last value wins, as in Python
    // run-trace consistency (reference §3.1, seed: reasoning is "the primary audit artifact")
    RunStepIndexGap,       // a step_index that does not follow the previous one (or a first one that is not 0)
    RunStepIndexDuplicate, // a step_index given twice in one run
    RunStepEndsEarly,      // a step ends before the previous step ended
    RunCompletedEarly,     // completed_at before the last step's end
    RunStepNoReasoning,    // reasoning missing or empty
    RunStepStartsEarly,    // a step starts (timestamp - duration_ms) before the run's started_at
    Count
};

inline constexpr std::size_t kDiagnosticCodeCount = static_cast<std::size_t>(DiagnosticCode::Count);

struct Diagnostic
{
    std::uint64_t line = 0;   // 1-based physical line (0: the whole file)
    std::uint64_t offset = 0; // 0-based byte offset in the file
    DiagnosticCode code = DiagnosticCode::InvalidJson;
    std::string detail;       // technical detail: parser error, field name, sizes
    std::int64_t record = -1; // index of the event record it concerns, -1 if none
};

const char* diagnosticCodeName(DiagnosticCode code);
Severity diagnosticSeverity(DiagnosticCode code);
// True when a record with this finding is kept as raw bytes only and is not
// replayed (upstream skips such lines too).
bool diagnosticRejectsRecord(DiagnosticCode code);

} // namespace rw
