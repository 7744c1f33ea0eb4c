#pragma once

// A tool-sequence baseline built from analysed runs (reference §3.8), in the
// format the sequence-profile loader reads and unusual_tool_sequence judges
// against: per agent glob, how often each tool was called, which tools
// started runs, the bigram transitions ("<start>|a" included), the
// permissions used and the destination classes written to, with the runs'
// time range and a hash of the inputs it was built from. The runs must come
// from an analysis with AnalysisConfig::recordSequences.
#include "replay/analysis/anomaly.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rw::analysis {

class SequenceProfileBuilder
{
public:
    explicit SequenceProfileBuilder(std::string agentGlob);

    // false (and nothing counted) when the run's agent does not match the glob
    bool add(const RunAnalysis& run);
    void addInput(const std::string& path, const std::string& sha256);

    std::int64_t runs() const { return m_runs; }
    std::int64_t skipped() const { return m_skipped; }
    // the agents of the runs counted, with their run counts
    const std::map<std::string, std::int64_t>& agents() const { return m_agents; }

    // schema replay-workbench/sequence-profile, version 1, keys sorted within each map
    nlohmann::ordered_json json() const;

private:
    std::string m_glob;
    std::int64_t m_runs = 0;
    std::int64_t m_skipped = 0;
    std::int64_t m_firstUs = 0, m_lastUs = 0;
    std::string m_first, m_last;
    std::map<std::string, std::int64_t> m_agents, m_tools, m_firstTools, m_transitions, m_permissions, m_destinations;
    std::vector<std::pair<std::string, std::string>> m_inputs; // path, SHA-256
};

} // namespace rw::analysis
