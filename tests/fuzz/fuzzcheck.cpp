#include "tests/fuzz/fuzzcheck.h"

#include "app/cli/textreport.h"
#include "model/auditloader.h"
#include "model/intracediff.h"
#include "model/tracesummary.h"
#include "model/upstreamjson.h"

namespace rwfuzz {

namespace {

std::string checkModel(const rw::ReplayModel& m, std::size_t size)
{
    std::uint64_t lastOffset = 0;
    std::uint32_t lastLine = 0;
    for (std::size_t i = 0; i < m.eventCount(); ++i) {
        const rw::EventRecord& e = m.event(i);
        if (e.offset + e.length > size)
            return "record outside the file";
        if (e.format == rw::Format::Interceptor && (e.offset < lastOffset || e.line <= lastLine))
            return "records out of file order";
        lastOffset = e.offset;
        lastLine = e.line;
        for (const rw::StrId s : e.str)
            if (s >= m.pool().size())
                return "dangling string id";
    }
    for (const rw::Diagnostic& d : m.diagnostics())
        if (d.offset > size || (d.record >= 0 && static_cast<std::size_t>(d.record) >= m.eventCount()))
            return "diagnostic outside the file";
    std::size_t inTraces = 0;
    for (std::size_t t = 0; t < m.traceCount(); ++t) {
        for (const std::uint32_t i : m.traceEvents(t))
            if (i >= m.eventCount() || m.event(i).s(rw::Field::TraceId) != m.trace(t).id)
                return "event grouped under the wrong trace";
        inTraces += m.traceEvents(t).size();
    }
    if (inTraces + m.stats().rejected + m.stats().withoutTrace != m.eventCount())
        return "events lost between traces, rejected and trace-less records";
    const auto summaries = rw::summarizeAll(m, 1);
    for (const rw::TraceSummary& s : summaries) {
        const rw::InTraceDiff d = rw::computeInTraceDiff(m, s);
        (void)rw::upstream::dump(rw::upstream::traceResult(m, s));
        (void)rw::upstream::dump(rw::upstream::summary(m, s));
        (void)rw::upstream::dumpSorted(rw::upstream::diff(d, true));
        (void)rw::timelineText(m, s);
    }
    rw::upstream::ListFilter filter;
    (void)rw::upstream::dump(rw::upstream::list(m, summaries, rw::upstream::listTraces(m, summaries, filter), 50));
    return {};
}

} // namespace

std::string checkInput(std::string_view bytes)
{
    rw::LoadOptions options;
    options.limits.threads = 1;
    options.limits.maxLineBytes = 1 << 20;
    const auto serial = rw::AuditLoader::loadBytes(bytes, "<fuzz>", options);
    if (!serial)
        return "no model";
    if (std::string problem = checkModel(*serial, bytes.size()); !problem.empty())
        return problem;
    if (serial->sha256().size() != 64)
        return "no SHA-256";
    return {};
}

} // namespace rwfuzz
