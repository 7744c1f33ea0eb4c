#pragma once

// What the batch suites share: the CLI called in process as main() calls it,
// the sample traces copied to a folder, and runs made from the samples.
#include "app/cli/clioptions.h"
#include "app/cli/clirunner.h"

#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

#include <functional>
#include <ostream>
#include <sstream>
#include <string>

namespace batchtest {

struct Result
{
    int exitCode = -1;
    std::string out, err;
};

inline Result cli(const QStringList& args, std::ostream* outStream = nullptr)
{
    std::vector<std::string> words;
    for (const QString& a : args)
        words.push_back(a.toStdString());
    const rw::CliParse parsed = rw::parseCli(words);
    Result r;
    if (!parsed.error.empty()) {
        r.exitCode = 2;
        r.err = parsed.error;
        return r;
    }
    std::ostringstream out, err;
    r.exitCode = rw::runCli(parsed.options, outStream ? *outStream : out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline QString sample(const char* rel)
{
    return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + QLatin1String(rel);
}

inline QString sample(const QString& rel)
{
    return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + rel;
}

// six sample files under `dir`/traces (run documents in traces/a), the paths in path order
inline QStringList copySampleTraces(const QDir& dir)
{
    QStringList out;
    dir.mkpath(QStringLiteral("traces/a"));
    for (const char* rel : {"traces/a/run-12345.json", "traces/a/run-incidents.jsonl", "traces/budget-breach.jsonl",
                            "traces/legacy-lines.jsonl", "traces/mcp-call.jsonl", "traces/ops-restart-approval.jsonl"}) {
        const QString to = dir.filePath(QLatin1String(rel));
        QFile::copy(sample(rel + QByteArray(rel).lastIndexOf('/') + 1), to);
        out << to;
    }
    return out;
}

// the runs of one line of run-incidents.jsonl, `copies` times under new ids, `edit` applied to each
inline QString runCopies(const QString& file, const std::string& runId, int copies,
                  const std::function<void(nlohmann::json&)>& edit = {})
{
    QFile in(sample("run-incidents.jsonl"));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    nlohmann::json run;
    for (const QByteArray& line : in.readAll().split('\n'))
        if (!line.isEmpty() && nlohmann::json::parse(line.toStdString())["run_id"] == runId)
            run = nlohmann::json::parse(line.toStdString());
    QFile out(file);
    if (run.is_null() || !out.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i < copies; ++i) {
        nlohmann::json copy = run;
        copy["run_id"] = runId + "-" + std::to_string(i);
        if (edit)
            edit(copy);
        out.write(QByteArray::fromStdString(copy.dump() + "\n"));
    }
    return file;
}


} // namespace batchtest
