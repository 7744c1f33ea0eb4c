#include "model/diagnostic.h"

namespace rw {

const char* diagnosticCodeName(DiagnosticCode code)
{
    switch (code) {
    case DiagnosticCode::EmptyFile: return "EMPTY_FILE";
    case DiagnosticCode::BomSkipped: return "BOM_SKIPPED";
    case DiagnosticCode::BomInside: return "BOM_INSIDE";
    case DiagnosticCode::Utf16Encoding: return "ENCODING_UTF16";
    case DiagnosticCode::CrlfLineEndings: return "CRLF_LINE_ENDINGS";
    case DiagnosticCode::NoFinalNewline: return "NO_FINAL_NEWLINE";
    case DiagnosticCode::IncompleteLastLine: return "INCOMPLETE_LAST_LINE";
    case DiagnosticCode::InvalidJson: return "INVALID_JSON";
    case DiagnosticCode::InvalidUtf8: return "INVALID_UTF8";
    case DiagnosticCode::NulBytes: return "NUL_BYTES";
    case DiagnosticCode::NulPadding: return "NUL_PADDING";
    case DiagnosticCode::LineTooLong: return "LINE_TOO_LONG";
    case DiagnosticCode::DepthExceeded: return "DEPTH_EXCEEDED";
    case DiagnosticCode::NotAnObject: return "NOT_OBJECT";
    case DiagnosticCode::WrongFieldType: return "WRONG_FIELD_TYPE";
    case DiagnosticCode::MissingTimestamp: return "MISSING_TIMESTAMP";
    case DiagnosticCode::UnparseableTimestamp: return "UNPARSEABLE_TIMESTAMP";
    case DiagnosticCode::MissingDecision: return "MISSING_DECISION";
    case DiagnosticCode::DuplicateEventId: return "DUPLICATE_EVENT_ID";
    case DiagnosticCode::RunTraceInvalid: return "RUN_TRACE_INVALID";
    case DiagnosticCode::Utf32Encoding: return "ENCODING_UTF32";
    case DiagnosticCode::BinaryFile: return "BINARY_FILE";
    case DiagnosticCode::CrOnlyLineEndings: return "CR_LINE_ENDINGS";
    case DiagnosticCode::MixedFormat: return "MIXED_FORMAT";
    case DiagnosticCode::NoEvents: return "NO_EVENTS";
    case DiagnosticCode::FileChanged: return "FILE_CHANGED";
    case DiagnosticCode::Compressed: return "COMPRESSED";
    case DiagnosticCode::DuplicateKey: return "DUPLICATE_KEY";
    case DiagnosticCode::RunStepIndexGap: return "RUN_STEP_INDEX_GAP";
    case DiagnosticCode::RunStepIndexDuplicate: return "RUN_STEP_INDEX_DUPLICATE";
    case DiagnosticCode::RunStepEndsEarly: return "RUN_STEP_ENDS_EARLY";
    case DiagnosticCode::RunCompletedEarly: return "RUN_COMPLETED_EARLY";
    case DiagnosticCode::RunStepStartsEarly: return "RUN_STEP_STARTS_EARLY";
    case DiagnosticCode::RunStepNoReasoning: return "RUN_STEP_NO_REASONING";
    case DiagnosticCode::Count: break;
    }
    return "UNKNOWN";
}

Severity diagnosticSeverity(DiagnosticCode code)
{
    switch (code) {
    case DiagnosticCode::EmptyFile:
    case DiagnosticCode::BomSkipped:
    case DiagnosticCode::CrlfLineEndings:
    case DiagnosticCode::NoFinalNewline:
    case DiagnosticCode::Compressed:
        return Severity::Info;
    case DiagnosticCode::BomInside:
    case DiagnosticCode::WrongFieldType:
    case DiagnosticCode::UnparseableTimestamp:
    case DiagnosticCode::MissingDecision:
    case DiagnosticCode::DuplicateEventId:
    case DiagnosticCode::MixedFormat:
    case DiagnosticCode::DuplicateKey:
    case DiagnosticCode::RunStepIndexGap:
    case DiagnosticCode::RunStepIndexDuplicate:
    case DiagnosticCode::RunStepEndsEarly:
    case DiagnosticCode::RunCompletedEarly:
    case DiagnosticCode::RunStepNoReasoning:
    case DiagnosticCode::RunStepStartsEarly:
        return Severity::Warning;
    default:
        return Severity::Error;
    }
}

bool diagnosticRejectsRecord(DiagnosticCode code)
{
    switch (code) {
    case DiagnosticCode::Utf16Encoding:
    case DiagnosticCode::IncompleteLastLine:
    case DiagnosticCode::InvalidJson:
    case DiagnosticCode::InvalidUtf8:
    case DiagnosticCode::NulBytes:
    case DiagnosticCode::NulPadding:
    case DiagnosticCode::LineTooLong:
    case DiagnosticCode::DepthExceeded:
    case DiagnosticCode::NotAnObject:
    case DiagnosticCode::MissingTimestamp:
    case DiagnosticCode::RunTraceInvalid:
    case DiagnosticCode::Utf32Encoding:
    case DiagnosticCode::BinaryFile:
    case DiagnosticCode::CrOnlyLineEndings:
        return true;
    default:
        return false;
    }
}

} // namespace rw
