// Evidence export benchmark: 1,000 traces of a generated audit file (spread
// over the whole file) written as a signed bundle, with and without the graph
// SVGs (each one is a Graphviz layout in the helper process). Baseline in the
// same process: copying and hashing those traces' original lines alone, the
// part no export can skip.
//   bench_evidence FILE [TRACES]
#include "app/pdf/reportpdf.h"
#include "model/auditloader.h"
#include "model/sourcefile.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidenceverify.h"

#include <QFile>

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv)
{
    rw::ensureGuiApplication(); // the report's PDF, as the CLI makes it
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [TRACES]\n", argv[0]);
        return 2;
    }
    const std::size_t wanted = argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 1000;
    using Clock = std::chrono::steady_clock;
    auto seconds = [](Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    auto t0 = Clock::now();
    rw::LoadResult loaded = rw::AuditLoader::loadFile(argv[1]);
    if (!loaded.model)
        return 1;
    rw::Workspace ws;
    ws.addFile(std::move(loaded.model));
    (void)ws.file(0).sha256();
    std::printf("load + rows: %.2f s (%zu traces)\n", seconds(t0), ws.rows().size());

    std::vector<std::uint32_t> rows;
    const std::size_t step = std::max<std::size_t>(1, ws.rows().size() / wanted);
    for (std::size_t r = 0; r < ws.rows().size() && rows.size() < wanted; r += step)
        rows.push_back(static_cast<std::uint32_t>(r));

    t0 = Clock::now();
    std::string copy;
    std::size_t lines = 0;
    for (const std::uint32_t r : rows) {
        const rw::TraceRow& row = ws.row(r);
        const rw::ReplayModel& m = ws.fileOf(row);
        for (const std::uint32_t e : m.traceEvents(row.trace)) {
            const std::string_view raw = m.raw(m.event(e));
            copy.append(raw.data(), raw.size());
            copy += rw::sha256Hex(raw).substr(0, 1);
            ++lines;
        }
    }
    const double baseline = seconds(t0);
    std::printf("baseline: copy + SHA-256 of %zu original lines of %zu traces: %.3f s\n", lines, rows.size(), baseline);

    rw::EvidenceRequest req;
    req.ws = &ws;
    req.rows = rows;
    req.examiner = "bench";
    req.signKey = rw::generateMinisignKey();
    struct Variant
    {
        bool svg, pdf;
    };
    for (const Variant v : {Variant{false, false}, Variant{false, true}, Variant{true, true}}) {
        const bool svg = v.svg;
        req.graphSvg = svg;
        req.renderPdf = v.pdf ? std::function<std::string(const std::string&)>(rw::renderReportPdf) : nullptr;
        const std::string out = svg ? "/tmp/bench-evidence-svg.zip" : "/tmp/bench-evidence.zip";
        t0 = Clock::now();
        const rw::EvidenceResult r = rw::writeEvidenceBundle(req, out);
        const double s = seconds(t0);
        if (!r.ok) {
            std::fprintf(stderr, "export failed: %s\n", r.error.c_str());
            return 1;
        }
        std::printf("export %zu traces%s%s: %.2f s, %.1f MB bundle, %zu members (%.0fx the baseline)\n", rows.size(),
                    svg ? " with graph SVGs" : " (DOT graphs, no SVG)", v.pdf ? ", report PDF" : ", no PDF", s, static_cast<double>(r.bytes) / 1e6, r.members,
                    s / baseline);
        if (!svg && v.pdf) {
            t0 = Clock::now();
            rw::VerifyOptions o;
            o.publicKey = req.signKey->pub();
            const bool passed = rw::verifyBundle(out, o).passed();
            std::printf("verify it: %.2f s (%s)\n", seconds(t0), passed ? "PASS" : "FAIL");
        }
        QFile::remove(QString::fromStdString(out));
    }
    return 0;
}
