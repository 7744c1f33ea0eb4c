#include "app/text/diagnostictext.h"

#include "app/text/terminaltext.h"

#include <cstring>

namespace rw {

namespace {

// Details quote the file (a duplicate event_id, a parser's view of a line):
// they go through the terminal writer, as does every path.
std::string withDetail(const char* text, const std::string& detail)
{
    return detail.empty() ? std::string(text) : std::string(text) + " (" + terminalText(detail) + ")";
}

const char* codeText(DiagnosticCode code)
{
    switch (code) {
    case DiagnosticCode::EmptyFile: return "The file is empty";
    case DiagnosticCode::BomSkipped: return "UTF-8 byte order mark skipped";
    case DiagnosticCode::BomInside: return "Byte order mark inside the file, possibly concatenated files";
    case DiagnosticCode::Utf16Encoding: return "The file is UTF-16 text; convert it to UTF-8 JSONL first";
    case DiagnosticCode::Utf32Encoding: return "The file is UTF-32 text; convert it to UTF-8 JSONL first";
    case DiagnosticCode::BinaryFile: return "Not an audit log: the file is binary";
    case DiagnosticCode::CrOnlyLineEndings:
        return "Lines end with a carriage return only (no line feed); convert the line ends to LF first";
    case DiagnosticCode::MixedFormat: return "Record of the other format in this file, read as such";
    case DiagnosticCode::NoEvents: return "No event in this file";
    case DiagnosticCode::RunStepIndexGap: return "Step numbers skip: this step_index does not follow the previous step's";
    case DiagnosticCode::RunStepIndexDuplicate: return "Step number used twice in the run";
    case DiagnosticCode::RunStepEndsEarly:
        return "Step ends before the previous step ended (its timestamp is its end time)";
    case DiagnosticCode::RunCompletedEarly: return "The run's completed_at is before its last step ended";
    case DiagnosticCode::RunStepStartsEarly: return "A step starts (timestamp - duration_ms) before the run's started_at";
    case DiagnosticCode::RunStepNoReasoning:
        return "Step without reasoning: the agent's stated intent is missing from the audit record";
    case DiagnosticCode::DuplicateKey:
        return "Key given twice in the record; the last value is used, as upstream's reader does";
    case DiagnosticCode::FileChanged:
        return "The file changed on disk while it was read; what was read is not the file as it is now";
    case DiagnosticCode::Compressed: return "Read through a decompressor; byte offsets are in the decompressed data";
    case DiagnosticCode::CrlfLineEndings: return "CRLF line endings";
    case DiagnosticCode::NoFinalNewline: return "The last line has no line break";
    case DiagnosticCode::IncompleteLastLine:
        return "Incomplete last line: no line break and not complete JSON (the file may still be written)";
    case DiagnosticCode::InvalidJson: return "Invalid JSON";
    case DiagnosticCode::InvalidUtf8: return "Invalid UTF-8";
    case DiagnosticCode::NulBytes: return "NUL byte in the line";
    case DiagnosticCode::NulPadding: return "Run of NUL bytes (preallocated or crashed writer)";
    case DiagnosticCode::LineTooLong: return "Line longer than the size limit";
    case DiagnosticCode::DepthExceeded: return "JSON nested deeper than the limit";
    case DiagnosticCode::NotAnObject: return "The line is valid JSON but not an object";
    case DiagnosticCode::WrongFieldType: return "Field of the wrong type";
    case DiagnosticCode::MissingTimestamp: return "No timestamp";
    case DiagnosticCode::UnparseableTimestamp: return "Timestamp is not an ISO-8601 date-time";
    case DiagnosticCode::MissingDecision: return "Event_type without decision";
    case DiagnosticCode::DuplicateEventId: return "Duplicate event_id";
    case DiagnosticCode::RunTraceInvalid: return "Run trace is not in the expected shape";
    case DiagnosticCode::Count: break;
    }
    return "Unknown finding";
}

} // namespace

std::string describeDiagnostic(const Diagnostic& d)
{
    std::string text = withDetail(codeText(d.code), d.detail);
    if (diagnosticRejectsRecord(d.code))
        text = "Skipped malformed audit line: " + text;
    return text;
}

std::string diagnosticWarningLine(const Diagnostic& d)
{
    return diagnosticWarningLine(d, {});
}

std::string diagnosticWarningLine(const Diagnostic& d, std::string_view file)
{
    std::string out = "Warning: ";
    if (!file.empty())
        out += terminalText(file) + ": ";
    if (d.line > 0)
        out += "line " + std::to_string(d.line) + ": ";
    out += describeDiagnostic(d);
    out += " [" + std::string(diagnosticCodeName(d.code)) + " at byte " + std::to_string(d.offset) + "]";
    return out;
}

std::string describeOpenError(OpenError error, int errnoValue, const std::string& rawPath)
{
    const std::string path = terminalText(rawPath);
    switch (error) {
    case OpenError::NotFound: return "Audit file not found: " + path;
    case OpenError::IsDirectory: return "Audit file is a directory: " + path;
    case OpenError::NotRegularFile: return "Audit file is not a regular file: " + path;
    case OpenError::PermissionDenied: return "Audit file is not readable (permission denied): " + path;
    case OpenError::MapFailed:
        return "Audit file could not be mapped into memory: " + path + " (" + std::strerror(errnoValue) + ")";
    case OpenError::Other:
        return "Audit file could not be opened: " + path + (errnoValue ? std::string(" (") + std::strerror(errnoValue) + ")" : std::string());
    case OpenError::SizeUnknown:
        return "Audit file reports a size of 0 bytes but has content (a /proc or /sys pseudo-file?); copy it to a "
               "regular file first: " + path;
    case OpenError::OutOfMemory:
        return "Audit file needs more memory to load than this machine has (out of memory): " + path;
    case OpenError::Decompress: return "Compressed audit file could not be decompressed: " + path;
    case OpenError::None: break;
    }
    return "Audit file could not be opened: " + path;
}

} // namespace rw
