#include "app/cli/partialtrace.h"

#include "app/cli/clioutput.h"
#include "app/text/terminaltext.h"
#include "model/sourcefile.h"
#include "model/timestamp.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace rw {

using Json = nlohmann::ordered_json;

std::string partialTraceText(const analysis::OpenRunLines& run, const std::vector<FollowSegment>& segments)
{
    Json doc;
    doc[run.run.trace ? "trace_id" : "run_id"] = run.run.runId;
    doc["agent_id"] = run.run.agentId;
    Json items = Json::array();
    for (const std::string& line : run.lines) {
        Json j = Json::parse(line, nullptr, false);
        if (!j.is_object())
            continue; // the analyzer read it: it parses; anything else is left out, not guessed at
        if (run.run.trace) {
            items.push_back(std::move(j));
            continue;
        }
        const std::string event = j.value("event", std::string());
        if (event == "run_started") {
            // the run's own fields (trigger, started_at, policy_version, ...)
            for (auto& [key, value] : j.items())
                if (key != "event" && !doc.contains(key))
                    doc[key] = value;
        } else if (event == "step") {
            j.erase("event");
            j.erase("run_id");
            items.push_back(std::move(j));
        }
    }
    doc["status"] = "partial";
    doc[run.run.trace ? "events" : "steps"] = std::move(items);
    Json source = Json::array();
    for (const FollowSegment& s : segments)
        source.push_back({{"path", s.path},
                          {"device", s.device},
                          {"inode", s.inode},
                          {"begin", s.begin},
                          {"end", s.end},
                          {"sha256", s.sha256},
                          {"closed", !s.open}});
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    doc["partial"] = {{"saved_at", formatTimestampUtc(now)},
                      {"tool", {{"name", "aisecops-replay"}, {"version", RW_VERSION}}},
                      {"file", run.run.file},
                      {"segments", std::move(source)}};
    return doc.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

std::string partialTraceFolder(const CliOptions& o)
{
    if (!o.savePartial.empty())
        return o.savePartial;
    const char* data = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    const std::string base = data && *data ? std::string(data) : std::string(home && *home ? home : ".") + "/.local/share";
    return base + "/replay-workbench/traces";
}

std::optional<std::string> savePartialTrace(const CliOptions& o, const analysis::OpenRunLines& run,
                                            const std::vector<FollowSegment>& segments, std::ostream& err)
{
    // a run id is the trace's word: only letters, digits, '-', '_' and '.' (not leading) go into a file name
    std::string name;
    for (const char c : run.run.runId.substr(0, 120))
        name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || (c == '.' && !name.empty())) ? c : '_';
    // two ids that read the same once made safe (or cut) keep apart by a hash of the id as written
    if (name != run.run.runId)
        name = (name.empty() ? std::string("run") : name) + "-" + sha256Hex(run.run.runId).substr(0, 12);
    const std::string folder = partialTraceFolder(o);
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
        err << "Error: cannot make " << terminalText(folder) << ": " << ec.message() << '\n';
        return std::nullopt;
    }
    // an earlier session's partial trace of the same run is kept: this one gets the next number
    std::string path = folder + "/" + name + "-partial.json";
    for (int n = 2; std::filesystem::exists(path, ec) && n < 10000; ++n)
        path = folder + "/" + name + "-partial-" + std::to_string(n) + ".json";
    CliOptions inputs = o;
    if (o.watch != "-")
        inputs.auditFiles.push_back(o.watch); // never written over
    for (const FollowSegment& s : segments)
        inputs.auditFiles.push_back(s.path);
    const std::optional<OutputTarget> target = chooseCliOutput(inputs, path, OutputKind::Ordinary, err);
    if (!target || !writeCliOutput(*target, partialTraceText(run, segments), err))
        return std::nullopt;
    return path;
}

} // namespace rw
