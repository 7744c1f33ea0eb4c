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

// run-incidents.jsonl as a run stream (reference §3.2): run_started, a line a
// step, run_completed; `lastOpen`: the last run without its run_completed
inline QByteArray incidentStream(bool lastOpen = false)
{
    using Json = nlohmann::json;
    QByteArray out;
    QList<QByteArray> docs;
    for (const QByteArray& line : readAll(sample("run-incidents.jsonl")).split('\n'))
        if (!line.trimmed().isEmpty())
            docs << line;
    for (qsizetype d = 0; d < docs.size(); ++d) {
        const Json run = Json::parse(docs[d].toStdString());
        const Json started = {{"event", "run_started"}, {"run_id", run["run_id"]}, {"agent_id", run["agent_id"]},
                              {"trigger", run["trigger"]}, {"started_at", run["started_at"]},
                              {"policy_version", run["policy_version"]}};
        out += QByteArray::fromStdString(started.dump()) + '\n';
        for (Json step : run["steps"]) {
            step["event"] = "step";
            step["run_id"] = run["run_id"];
            out += QByteArray::fromStdString(step.dump()) + '\n';
        }
        if (lastOpen && d == docs.size() - 1)
            break;
        const Json completed = {{"event", "run_completed"}, {"run_id", run["run_id"]}, {"status", run["status"]},
                                {"completed_at", run["completed_at"]}, {"permissions_summary", run["permissions_summary"]}};
        out += QByteArray::fromStdString(completed.dump()) + '\n';
    }
    return out;
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
