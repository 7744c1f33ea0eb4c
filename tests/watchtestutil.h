#pragma once

// What the live-watch suites share: the watch run in process as main() runs
// it (timed actions, then Ctrl+C), and the lines of its output and inputs.
#include "app/cli/interrupt.h"
#include "tests/batchtestutil.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace watchtest {

using batchtest::Result;

inline QList<QByteArray> linesOf(const QByteArray& bytes)
{
    QList<QByteArray> out;
    for (const QByteArray& l : bytes.split('\n'))
        if (!l.isEmpty())
            out << l + '\n';
    return out;
}

inline bool append(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::Append) && f.write(bytes) == bytes.size();
}

// the watch run in process: `actions` at their times (ms) once it has started, then Ctrl+C
inline Result watch(const QStringList& args, const std::vector<std::pair<int, std::function<void()>>>& actions, int stopAfterMs)
{
    for (const auto& [at, action] : actions)
        QTimer::singleShot(at, action);
    QTimer::singleShot(stopAfterMs, [] { rw::InterruptScope::request(); });
    return batchtest::cli(QStringList{QStringLiteral("--watch")} + args);
}

inline std::vector<std::string> outLines(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t nl = text.find('\n', at);
        out.push_back(text.substr(at, nl - at));
        at = nl == std::string::npos ? text.size() : nl + 1;
    }
    return out;
}

} // namespace watchtest
