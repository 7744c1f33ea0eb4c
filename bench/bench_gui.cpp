// Workbench benchmarks (run offscreen; not part of ctest):
//   1. filter 80k traces with a realistic query       target <= 100 ms
//   2. paint a 10k-event timeline                      target <= 16 ms
//   3. open a big audit file to an interactive list    target <= 1.5 s (1 GB)
// Each prints its baseline from the same process.
//   QT_QPA_PLATFORM=offscreen bench_gui [BIG_FILE.jsonl]
#include "model/auditloader.h"
#include "model/tracequery.h"
#include "model/workspace.h"
#include "views/mainwindow.h"
#include "views/trace/tracepage.h"
#include "views/models/tracelistmodel.h"
#include "views/timelineview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::string syntheticTraces(int traces, int eventsPerTrace)
{
    static const char* kTools[] = {"send_email", "read_customer", "restart_service", "search_docs", "write_file"};
    static const char* kDecisions[] = {"allowed", "blocked", "require_approval", "allowed"};
    static const char* kTrust[] = {"internal", "external", "unverified", "trusted"};
    std::string out;
    out.reserve(static_cast<std::size_t>(traces) * static_cast<std::size_t>(eventsPerTrace) * 330);
    for (int t = 0; t < traces; ++t)
        for (int e = 0; e < eventsPerTrace; ++e) {
            const long long us = 1772719200000000LL + static_cast<long long>(t) * 1000 + e * 137;
            char ts[64];
            std::snprintf(ts, sizeof ts, "2026-03-05T14:%02lld:%02lld.%06lldZ", (us / 60000000) % 60,
                          (us / 1000000) % 60, us % 1000000);
            out += std::string(R"({"timestamp": ")") + ts + R"(", "event_type": ")" + (e == 0 ? "plan" : "decision") +
                   R"(", "decision": ")" + kDecisions[(t + e) % 4] + R"(", "trace_id": "trace-)" + std::to_string(t) +
                   R"(", "agent_name": "agent-)" + std::to_string(t % 37) + R"(", "tool_name": ")" + kTools[t % 5] +
                   R"(", "decision_stage": ")" + (e == 0 ? "plan" : "evaluate") +
                   R"(", "provenance": [{"source_type": "skill", "trust_level": ")" + kTrust[t % 4] + R"("}]})" + "\n";
        }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);

    // 1. filter
    {
        const std::string data = syntheticTraces(80000, 3);
        rw::Workspace ws;
        ws.addFile(rw::AuditLoader::loadBytes(data, "<synthetic>"));
        rw::QueryError error;
        const auto query = rw::TraceQuery::parse(
            "(decision:blocked OR trust:unverified) tool:send* -agent:agent-3 events>=2", &error);
        std::vector<double> times, base;
        std::size_t hits = 0, sink = 0;
        for (int r = 0; r < 7; ++r) {
            QElapsedTimer t;
            t.start();
            hits = query.filter(ws).size();
            times.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
            t.restart();
            // baseline: the simplest filter there is, one string compare per row
            for (const rw::TraceRow& row : ws.rows())
                sink += ws.str(row, row.finalDecision) == "blocked";
            base.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        }
        std::printf("filter %zu traces: %.2f ms (%zu match); baseline one-compare scan %.2f ms; ratio %.1fx  [target <= 100 ms]\n",
                    ws.rows().size(), median(times), hits, median(base), median(times) / std::max(0.001, median(base)));
        std::printf("  (baseline checksum %zu)\n", sink);
    }

    // 2. timeline paint
    {
        const std::string data = syntheticTraces(1, 10000);
        auto model = rw::AuditLoader::loadBytes(data, "<synthetic>");
        const auto ev = model->traceEvents(0);
        std::vector<std::uint32_t> events(ev.begin(), ev.end());
        rw::TimelineView view;
        view.resize(1600, 320);
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        std::vector<double> full, empty, zoomed;
        auto paintOnce = [&] {
            QElapsedTimer t;
            t.start();
            view.render(&image);
            return static_cast<double>(t.nsecsElapsed()) / 1e6;
        };
        view.setTrace(nullptr, {});
        for (int r = 0; r < 21; ++r)
            empty.push_back(paintOnce());
        view.setTrace(model.get(), events);
        for (int r = 0; r < 21; ++r)
            full.push_back(paintOnce());
        for (int z = 0; z < 6; ++z)
            view.zoomIn();
        for (int r = 0; r < 21; ++r)
            zoomed.push_back(paintOnce());
        std::printf("paint 10,000-event timeline: %.2f ms fitted, %.2f ms zoomed in; baseline empty timeline %.2f ms; "
                    "ratio %.1fx  [target <= 16 ms]\n",
                    median(full), median(zoomed), median(empty), median(full) / std::max(0.001, median(empty)));
    }

    // 3. open a big file to an interactive list
    if (argc > 1) {
        const QString path = QString::fromLocal8Bit(argv[1]);
        QElapsedTimer t;
        rw::MainWindow window(rw::MainWindow::Options{false});
        window.resize(1600, 1000);
        window.show();
        std::vector<double> opens, loads;
        for (int r = 0; r < 3; ++r) {
            t.start();
            window.openFiles({path});
            window.waitUntilIdle(120000);
            opens.push_back(static_cast<double>(t.nsecsElapsed()) / 1e9);
            // baseline: the same load and trace rows without the window
            t.restart();
            rw::Workspace ws;
            ws.addFile(rw::AuditLoader::loadFile(argv[1]).model);
            loads.push_back(static_cast<double>(t.nsecsElapsed()) / 1e9);
        }
        const double open = median(opens), loadOnly = median(loads);
        std::printf("open %s to an interactive trace list: %.3f s (%d traces); baseline load + rows without the window %.3f s; "
                    "ratio %.2fx  [target <= 1.5 s]\n",
                    argv[1], open, window.tracePage().traceModel()->rowCount(), loadOnly, open / loadOnly);
    }
    return 0;
}
