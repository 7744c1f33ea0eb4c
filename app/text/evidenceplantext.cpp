#include "app/text/evidenceplantext.h"

#include "app/text/queryerrortext.h"

namespace rw {

namespace {

std::string commandLineText(const EvidencePlanFailure& f)
{
    switch (f.error) {
    case EvidencePlanError::None: return {};
    case EvidencePlanError::NoWorkspace: return "nothing is loaded";
    case EvidencePlanError::SigningKey: return f.path + ": " + f.detail;
    case EvidencePlanError::UnknownTrace: return "No audit events found for trace_id '" + f.detail + "'";
    case EvidencePlanError::BadFilter: return "--filter: " + queryErrorText(f.query).toStdString();
    case EvidencePlanError::NoTraces: return "no trace is selected";
    case EvidencePlanError::NoTraceMatches: return "no trace matches the filter";
    case EvidencePlanError::PolicyUnreadable: return f.path + " cannot be read: " + readFailureReason(f.read);
    case EvidencePlanError::PolicyChanged: return f.path + " changed since it was loaded; load it again before exporting";
    case EvidencePlanError::Analysis: return "the analysis cannot be added: " + f.detail;
    }
    return {};
}

std::string windowText(const EvidencePlanFailure& f)
{
    switch (f.error) {
    case EvidencePlanError::None: return {};
    case EvidencePlanError::NoWorkspace: return "nothing is open";
    case EvidencePlanError::SigningKey: return "the signing key " + f.path + " cannot be used: " + f.detail;
    case EvidencePlanError::UnknownTrace: return "no trace has the id " + f.detail;
    case EvidencePlanError::BadFilter: return "the filter does not parse: " + queryErrorText(f.query).toStdString();
    case EvidencePlanError::NoTraces: return "no trace is selected";
    case EvidencePlanError::NoTraceMatches: return "no trace matches the filter";
    case EvidencePlanError::PolicyUnreadable:
        return "the policy bundle " + f.path + " cannot be read again: " + readFailureReason(f.read);
    case EvidencePlanError::PolicyChanged:
        return "the policy bundle " + f.path + " changed on disk since it was loaded; load it again to export its replay diff";
    case EvidencePlanError::Analysis: return "the run-trace analysis cannot be included: " + f.detail;
    }
    return {};
}

} // namespace

std::string evidencePlanText(const EvidencePlanFailure& failure, Reader reader)
{
    return reader == Reader::CommandLine ? commandLineText(failure) : windowText(failure);
}

} // namespace rw
