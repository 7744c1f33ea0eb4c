// Permission heatmap benchmark (issue 15): 500 agents x 300 permissions
// (6,727 x 11,070 px at the default cell size) painted as a frame is, a
// 1600 x 1000 window onto it at its middle and at its top-left corner (names
// included), and whole; the count that builds it from 20,000 analysed runs;
// as ratios to a baseline in the same run: the same cells filled plainly, one
// fillRect each. Target: a frame of the heatmap painted within 16 ms.
//   QT_QPA_PLATFORM=offscreen bench_heatmap
#include "bench/benchtime.h"
#include "replay/analysis/permissionheatmap.h"
#include "views/heatmap/heatmapview.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using rwbench::best;
using rwbench::Clock;
using rwbench::ms;
using namespace rw;
using namespace rw::analysis;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    // 20,000 runs of 500 agents, each using 12 of 300 permissions and granted 16
    WorkspaceAnalysis an;
    an.files.resize(1);
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        RunAnalysis r;
        r.agentId = "agent-" + std::to_string(rng() % 500);
        for (int k = 0; k < 16; ++k) {
            const std::string p = "perm:" + std::to_string(rng() % 300);
            r.granted.push_back(p);
            if (k < 12) {
                r.used.push_back(p);
                r.uses.push_back(1 + static_cast<std::int64_t>(rng() % 5));
                if (rng() % 10 == 0)
                    r.escalated.push_back(p);
            }
        }
        an.files[0].push_back(std::move(r));
    }
    std::shared_ptr<const PermissionHeatmap> map;
    const double build = best(3, [&] { map = std::make_shared<const PermissionHeatmap>(buildPermissionHeatmap(an)); });
    HeatmapView view;
    view.setHeatmap(map);
    const HeatmapGeometry& g = view.geometry();
    std::printf("%zu agents x %zu permissions (%dx%d px), built from 20,000 runs in %.1f ms\n", map->agents.size(),
                map->permissions.size(), g.size().width(), g.size().height(), build);
    const QSize frame(1600, 1000);
    const QRect middle(QPoint(g.size().width() / 2, g.size().height() / 2) - QPoint(800, 500), frame);
    for (const auto& [name, area] : {std::pair{"a frame at the middle", middle}, std::pair{"a frame at the top left", QRect(QPoint(0, 0), frame)},
                                     std::pair{"the whole map", QRect(QPoint(0, 0), g.size())}}) {
        QImage image(area.size(), QImage::Format_ARGB32_Premultiplied);
        const HeatmapGeometry::Range r = g.visible(area);
        const double baseline = best(5, [&] {
            QPainter p(&image);
            p.translate(-area.topLeft());
            for (int row = r.firstRow; row < r.endRow; ++row)
                for (int column = r.firstColumn; column < r.endColumn; ++column)
                    p.fillRect(g.cellRect(row, column), QColor(0x00, 0x72, 0xB2));
        });
        const double paint = best(5, [&] { view.render(&image, QPoint(), QRegion(area)); });
        std::printf("%-24s %6d cells: baseline (one fillRect a cell) %7.2f ms, the heatmap %7.2f ms (%.1fx)%s\n", name,
                    (r.endRow - r.firstRow) * (r.endColumn - r.firstColumn), baseline, paint, paint / baseline,
                    area.size() == frame ? ", target <= 16 ms" : "");
    }
    return 0;
}
