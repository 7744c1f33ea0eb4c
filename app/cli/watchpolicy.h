#pragma once

// --watch --policy B.yaml: each decision point appended to the watched log
// (an execution plan's decision, an MCP decision, a run step) is evaluated
// under bundle B as it arrives; where B decides otherwise, the step's line
// says so (or a line of its own, for a point no step line shows), and the
// count is printed when the watch ends.
#include "app/cli/clioptions.h"
#include "app/cli/policyrunner.h"
#include "app/text/watchtext.h"
#include "model/replaymodel.h"
#include "replay/analysis/liveanalyzer.h"
#include "replay/policy/policyengine.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace rw {

class WatchPolicy
{
public:
    // nullptr after printing why (an invalid bundle)
    static std::unique_ptr<WatchPolicy> start(const CliOptions& options, std::ostream& err);
    ~WatchPolicy();

    // A batch as the loader indexed it, before its steps are fed: its points
    // evaluated under B. `counted`: the batch is printed (not a backlog);
    // `shown`: whether an agent is shown (--agent).
    void batch(const ReplayModel& model, const analysis::LiveBatch& batch, const std::string& file, bool counted,
               const std::function<bool(const std::string& id, const std::string& name)>& shown);
    // What B decides otherwise at the line at `offset` of `file`, taken once.
    std::optional<PolicyVerdict> take(const std::string& file, std::uint64_t offset);
    // Those of the last batch no step line took, in file order (then forgotten).
    std::vector<PolicyVerdict> rest();
    const PolicyWatchTotals& totals() const { return m_totals; }
    const std::string& path() const { return m_path; }

private:
    WatchPolicy(std::string path, const LoadedBundles& bundles);

    std::string m_path;
    PolicyEngine m_engine;
    // of the current batch, by the line that shows them (two may share one: none is dropped)
    std::multimap<std::pair<std::string, std::uint64_t>, PolicyVerdict> m_pending;
    struct Started
    {
        std::string line;
        analysis::LiveBatch::Place place;
    };
    std::map<std::string, Started> m_started; // run id -> its run_started line, as read
    PolicyWatchTotals m_totals;
};

} // namespace rw
