#include "replay/analysis/profilebuilder.h"

#include "model/globmatcher.h"
#include "model/querylexer.h"
#include "model/sourcefile.h"
#include "model/timestamp.h"

#include <algorithm>

namespace rw::analysis {

SequenceProfileBuilder::SequenceProfileBuilder(std::string agentGlob) : m_glob(std::move(agentGlob)) {}

bool SequenceProfileBuilder::add(const RunAnalysis& run)
{
    if (!GlobMatcher(querylex::lowered(m_glob)).matches(run.agentId)) {
        ++m_skipped;
        return false;
    }
    ++m_runs;
    ++m_agents[run.agentId];
    if (const auto start = parseTimestamp(run.startedAt)) {
        if (m_first.empty() || *start < m_firstUs) {
            m_firstUs = *start;
            m_first = run.startedAt;
        }
        if (m_last.empty() || *start > m_lastUs) {
            m_lastUs = *start;
            m_last = run.startedAt;
        }
    }
    // as the detector walks a run: steps without a tool are not part of the sequence
    std::string from = "<start>";
    for (const std::string& tool : run.tools) {
        if (tool.empty())
            continue;
        ++m_tools[tool];
        if (from == "<start>")
            ++m_firstTools[tool];
        ++m_transitions[from + '|' + tool];
        from = tool;
    }
    for (std::size_t i = 0; i < run.used.size(); ++i)
        m_permissions[run.used[i]] += i < run.uses.size() ? run.uses[i] : 1;
    for (const auto& [cls, n] : run.destinations)
        m_destinations[cls] += n;
    return true;
}

void SequenceProfileBuilder::addInput(const std::string& path, const std::string& sha256)
{
    m_inputs.emplace_back(path, sha256);
}

nlohmann::ordered_json SequenceProfileBuilder::json() const
{
    // the inputs as sha256sum lists them, sorted: the same files give the same hash
    std::vector<std::pair<std::string, std::string>> inputs = m_inputs;
    std::sort(inputs.begin(), inputs.end());
    std::string listing;
    for (const auto& [path, sha] : inputs)
        listing += sha + "  " + path + '\n';
    nlohmann::ordered_json j;
    j["schema"] = "replay-workbench/sequence-profile";
    j["version"] = 1;
    j["agent"] = m_glob;
    nlohmann::ordered_json from;
    from["runs"] = m_runs;
    if (!m_first.empty()) {
        from["first"] = m_first;
        from["last"] = m_last;
    }
    from["inputs_sha256"] = sha256Hex(listing);
    j["built_from"] = std::move(from);
    j["ngram"] = 2;
    j["tools"] = m_tools;
    j["first_tools"] = m_firstTools;
    j["transitions"] = m_transitions;
    j["permissions"] = m_permissions;
    j["destinations"] = m_destinations;
    return j;
}

} // namespace rw::analysis
