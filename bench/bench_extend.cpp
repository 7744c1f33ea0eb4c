// The live view's append path: a grown audit log extended from its previous
// model (AuditLoader::extendFile, then the rows of the traces it touched:
// Workspace::addExtendedFile) against loading it again with all its rows, in
// the same process. The file is
// copied to a temporary one without its last TAIL bytes (cut at a line),
// loaded, then the tail appended, as View ▸ Follow Growing Files sees it.
// Figures: docs/performance.md.
//
//   bench_extend FILE [--tail BYTES] [--runs N]
#include "bench/benchtime.h"
#include "model/auditloader.h"
#include "model/workspace.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [--tail BYTES] [--runs N]\n", argv[0]);
        return 2;
    }
    const std::string source = argv[1];
    std::size_t tail = 1u << 20;
    int runs = 5;
    for (int i = 2; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--tail") && i + 1 < argc)
            tail = std::strtoull(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
    }
    std::ifstream in(source, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() <= tail) {
        std::fprintf(stderr, "%s is not longer than the tail\n", source.c_str());
        return 1;
    }
    // the head ends at a line break: what a writer has flushed so far
    const std::size_t cut = bytes.rfind('\n', bytes.size() - tail - 1) + 1;
    char name[] = "/tmp/rw-bench-extend-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd < 0 || ::write(fd, bytes.data(), cut) != static_cast<ssize_t>(cut))
        return 1;
    ::close(fd);
    const std::string path = name;

    rw::Workspace headWs; // the list as it was before the growth
    headWs.addFile(rw::AuditLoader::loadFile(path).model);
    {
        std::ofstream out(path, std::ios::binary | std::ios::app);
        out.write(bytes.data() + cut, static_cast<std::streamsize>(bytes.size() - cut));
    }
    std::vector<double> extendMs, fullMs;
    std::size_t extendedEvents = 0, fullEvents = 0;
    bool extended = true;
    for (int r = 0; r < runs; ++r) {
        // in turns, so that both see the same machine; timed until the rows are
        // there (what the list waits for), the workspace freed after the clock stops
        // (a model waits for its SHA-256 before it goes)
        auto t0 = rwbench::Clock::now();
        auto ws = std::make_unique<rw::Workspace>();
        {
            rw::LoadResult grown = rw::AuditLoader::extendFile(headWs.file(0));
            extended = extended && grown.extended;
            extendedEvents = grown.model->eventCount();
            ws->addExtendedFile(std::move(grown.model), headWs, 0, grown.keptEvents);
        }
        extendMs.push_back(rwbench::ms(t0));
        ws.reset();
        t0 = rwbench::Clock::now();
        ws = std::make_unique<rw::Workspace>();
        {
            rw::LoadResult full = rw::AuditLoader::loadFile(path);
            fullEvents = full.model->eventCount();
            ws->addFile(std::move(full.model));
        }
        fullMs.push_back(rwbench::ms(t0));
        ws.reset();
    }
    ::unlink(path.c_str());
    std::sort(extendMs.begin(), extendMs.end());
    std::sort(fullMs.begin(), fullMs.end());
    const double e = extendMs[extendMs.size() / 2], f = fullMs[fullMs.size() / 2];
    std::printf("file: %s, %zu bytes, %zu appended (%zu events in all)\n", source.c_str(), bytes.size(), bytes.size() - cut,
                fullEvents);
    std::printf("extend + rows: %.1f ms (median of %d)%s\n", e, runs, extended ? "" : "  NOT EXTENDED");
    std::printf("load + rows:   %.1f ms\n", f);
    std::printf("ratio:         %.3f of a full load\n", e / f);
    return extended && extendedEvents == fullEvents ? 0 : 1;
}
