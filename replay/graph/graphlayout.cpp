#include "replay/graph/graphlayout.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>

#include <charconv>
#include <cstdlib>

namespace rw {

namespace {

// Tokens of one `plain` line: words, or double-quoted strings with \" escapes.
std::vector<std::string> tokens(std::string_view line)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ')
            ++i;
        if (i >= line.size())
            break;
        std::string t;
        if (line[i] == '"') {
            ++i;
            while (i < line.size() && line[i] != '"') {
                if (line[i] == '\\' && i + 1 < line.size())
                    ++i;
                t += line[i++];
            }
            ++i;
        } else {
            while (i < line.size() && line[i] != ' ')
                t += line[i++];
        }
        out.push_back(std::move(t));
    }
    return out;
}

bool number(const std::string& s, double& out)
{
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

bool nodeIndex(const std::string& id, std::size_t count, std::size_t& out)
{
    if (id.size() < 2 || id[0] != 'n')
        return false;
    const auto [ptr, ec] = std::from_chars(id.data() + 1, id.data() + id.size(), out);
    return ec == std::errc() && ptr == id.data() + id.size() && out < count;
}

LayoutRun failed(LayoutRun run, LayoutError error)
{
    run.error = error;
    return run;
}

} // namespace

std::string layoutHelperPath(bool* fromEnvironment)
{
    const char* env = std::getenv("RW_GRAPH_LAYOUT");
    if (fromEnvironment)
        *fromEnvironment = env && *env;
    if (env && *env)
        return env;
    // next to the running executable (the CLI has no QCoreApplication)
    const QString self = QCoreApplication::instance() ? QCoreApplication::applicationDirPath()
                                                      : QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath().section(QLatin1Char('/'), 0, -2);
    return QString(self + QStringLiteral("/rw-graph-layout")).toStdString();
}

std::string findLayoutHelper()
{
    std::string path = layoutHelperPath();
    return QFileInfo::exists(QString::fromStdString(path)) ? path : std::string();
}

std::string layoutRecordText(const LayoutRun& run)
{
    switch (run.error) {
    case LayoutError::None: return {};
    case LayoutError::HelperMissing: return "the layout program is missing (expected at " + run.helper + ")";
    case LayoutError::HelperNotStarted: return "the layout program " + run.helper + " could not be started";
    case LayoutError::Timeout: return "layout took longer than " + std::to_string(run.timeoutMs) + " ms and was stopped";
    case LayoutError::Crashed: return "the layout program crashed" + (run.detail.empty() ? std::string() : ": " + run.detail);
    case LayoutError::Failed: return "layout failed: " + run.detail;
    case LayoutError::BadOutput: return "the layout could not be read: " + run.detail;
    case LayoutError::Cancelled: return "layout cancelled";
    }
    return {};
}

LayoutRun runLayoutHelper(const std::string& dot, const std::string& format, int timeoutMs, const std::atomic<bool>* cancel)
{
    LayoutRun run;
    run.timeoutMs = timeoutMs;
    run.helper = layoutHelperPath(&run.helperFromEnvironment);
    if (!QFileInfo::exists(QString::fromStdString(run.helper)))
        return failed(std::move(run), LayoutError::HelperMissing);
    QElapsedTimer timer;
    timer.start();
    QProcess p;
    p.start(QString::fromStdString(run.helper), {QString::fromStdString(format)});
    if (!p.waitForStarted(5000))
        return failed(std::move(run), LayoutError::HelperNotStarted);
    p.write(dot.data(), static_cast<qint64>(dot.size()));
    p.closeWriteChannel();
    // waited for in slices, so a cancel is seen while Graphviz works
    while (!p.waitForFinished(50) && p.state() != QProcess::NotRunning) {
        const bool cancelled = cancel && cancel->load();
        if (!cancelled && timer.elapsed() < timeoutMs)
            continue;
        p.kill(); // the only way to stop a layout
        p.waitForFinished(2000);
        return failed(std::move(run), cancelled ? LayoutError::Cancelled : LayoutError::Timeout);
    }
    run.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        run.detail = p.readAllStandardError().trimmed().toStdString();
        run.exitCode = p.exitCode();
        return failed(std::move(run), p.exitStatus() != QProcess::NormalExit ? LayoutError::Crashed : LayoutError::Failed);
    }
    run.output = p.readAllStandardOutput().toStdString();
    return run;
}

std::optional<GraphLayout> parsePlainLayout(std::string_view plain, std::size_t nodeCount, std::string* error)
{
    auto fail = [&](const std::string& why) {
        if (error)
            *error = why;
        return std::optional<GraphLayout>();
    };
    GraphLayout layout;
    layout.nodes.resize(nodeCount);
    std::vector<bool> seen(nodeCount, false);
    bool stopped = false;
    std::size_t pos = 0;
    while (pos < plain.size() && !stopped) {
        std::size_t end = plain.find('\n', pos);
        if (end == std::string_view::npos)
            end = plain.size();
        const std::vector<std::string> t = tokens(plain.substr(pos, end - pos));
        pos = end + 1;
        if (t.empty())
            continue;
        if (t[0] == "graph") {
            if (t.size() < 4 || !number(t[2], layout.width) || !number(t[3], layout.height))
                return fail("bad graph line");
        } else if (t[0] == "node") {
            std::size_t i = 0;
            GraphLayout::Node n;
            if (t.size() < 6 || !nodeIndex(t[1], nodeCount, i) || !number(t[2], n.x) || !number(t[3], n.y) ||
                !number(t[4], n.width) || !number(t[5], n.height))
                return fail("bad node line");
            n.y = layout.height - n.y; // Graphviz's origin is at the bottom
            layout.nodes[i] = n;
            seen[i] = true;
        } else if (t[0] == "edge") {
            GraphLayout::Edge e;
            double count = 0;
            if (t.size() < 4 || !nodeIndex(t[1], nodeCount, e.from) || !nodeIndex(t[2], nodeCount, e.to) ||
                !number(t[3], count) || count < 0 || count > 10000 || t.size() < 4 + 2 * static_cast<std::size_t>(count))
                return fail("bad edge line");
            for (std::size_t k = 0; k < static_cast<std::size_t>(count); ++k) {
                double x = 0, y = 0;
                if (!number(t[4 + 2 * k], x) || !number(t[5 + 2 * k], y))
                    return fail("bad edge point");
                e.points.emplace_back(x, layout.height - y);
            }
            layout.edges.push_back(std::move(e));
        } else if (t[0] == "stop") {
            stopped = true;
        }
    }
    if (!stopped)
        return fail("layout output ends before 'stop'");
    for (std::size_t i = 0; i < nodeCount; ++i)
        if (!seen[i])
            return fail("node n" + std::to_string(i) + " missing from the layout");
    return layout;
}

} // namespace rw
