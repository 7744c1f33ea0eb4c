#include "app/cli/cliload.h"

#include "app/text/diagnostictext.h"
#include "model/auditloader.h"

namespace rw {

namespace {

constexpr std::size_t kMaxPrintedWarnings = 200;

void printWarnings(const ReplayModel& model, std::ostream& err)
{
    std::size_t printed = 0;
    for (const Diagnostic& d : model.diagnostics()) {
        if (diagnosticSeverity(d.code) == Severity::Info)
            continue;
        if (printed == kMaxPrintedWarnings)
            break;
        err << diagnosticWarningLine(d) << '\n';
        ++printed;
    }
    std::uint64_t total = 0;
    for (std::size_t c = 0; c < kDiagnosticCodeCount; ++c)
        if (diagnosticSeverity(static_cast<DiagnosticCode>(c)) != Severity::Info)
            total += model.stats().diagnosticCounts[c];
    if (total > printed)
        err << "Warning: " << (total - printed) << " more finding(s) not shown; see --stats\n";
}

} // namespace

std::unique_ptr<ReplayModel> loadAuditForCli(const std::string& path, const CliOptions& o, std::ostream& err,
                                             const std::atomic<bool>* cancel, bool hashWhenAsked)
{
    LoadOptions loadOptions;
    loadOptions.limits.threads = o.threads;
    loadOptions.hashWhenAsked = hashWhenAsked;
    LoadResult loaded = AuditLoader::loadFile(path, loadOptions, {}, cancel);
    if (loaded.cancelled)
        return nullptr;
    if (!loaded.model) {
        err << "Error: " << describeOpenError(loaded.error, loaded.errnoValue, path) << '\n';
        return nullptr;
    }
    if (!o.quiet)
        printWarnings(*loaded.model, err);
    return std::move(loaded.model);
}

} // namespace rw
