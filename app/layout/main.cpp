// rw-graph-layout FORMAT: reads a DOT graph on stdin, lays it out with
// Graphviz `dot` and writes FORMAT (plain, svg or png) to stdout. A process of
// its own because a Graphviz layout can neither be interrupted nor run on two
// threads at once; the workbench and the CLI kill it when it runs too long.
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    if (argc != 2 || (std::strcmp(argv[1], "plain") && std::strcmp(argv[1], "svg") && std::strcmp(argv[1], "png"))) {
        std::fprintf(stderr, "usage: rw-graph-layout plain|svg|png < graph.dot\n");
        return 2;
    }
    // backstops in case the parent cannot kill us: memory and CPU. (AddressSanitizer
    // reserves terabytes of address space for its shadow, so no address limit there.)
#if !defined(__SANITIZE_ADDRESS__) && !defined(RW_ASAN)
    const rlimit memory{4ull << 30, 4ull << 30};
    setrlimit(RLIMIT_AS, &memory);
#endif
    const rlimit cpu{600, 600};
    setrlimit(RLIMIT_CPU, &cpu);

    std::string dot;
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
        dot.append(buffer, n);
        if (dot.size() > (16u << 20)) {
            std::fprintf(stderr, "graph larger than 16 MiB\n");
            return 2;
        }
    }
    GVC_t* gvc = gvContext();
    Agraph_t* g = agmemread(dot.c_str());
    if (!g) {
        std::fprintf(stderr, "not a DOT graph\n");
        gvFreeContext(gvc);
        return 3;
    }
    if (gvLayout(gvc, g, "dot") != 0) {
        std::fprintf(stderr, "layout failed\n");
        agclose(g);
        gvFreeContext(gvc);
        return 4;
    }
    char* data = nullptr;
    unsigned int length = 0;
    const int rc = gvRenderData(gvc, g, argv[1], &data, &length);
    if (rc == 0 && data)
        std::fwrite(data, 1, length, stdout);
    gvFreeRenderData(data);
    gvFreeLayout(gvc, g);
    agclose(g);
    gvFreeContext(gvc);
    if (rc != 0)
        std::fprintf(stderr, "rendering %s failed\n", argv[1]);
    std::fflush(stdout);
    std::fflush(stderr);
    // Graphviz and fontconfig keep allocations until exit; leaving with _exit
    // skips the sanitizer presets' leak check, which would fail the layout.
    _exit(rc != 0 ? 5 : 0);
}
