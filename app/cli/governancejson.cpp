#include "app/cli/governancejson.h"

namespace rw {

using namespace analysis;
using Json = nlohmann::ordered_json;

namespace {

GovernanceCounter counter(std::size_t i)
{
    return static_cast<GovernanceCounter>(i);
}

Json ratio(std::int64_t part, std::int64_t whole)
{
    return whole > 0 ? Json(static_cast<double>(part) / static_cast<double>(whole)) : Json(nullptr);
}

constexpr std::uint64_t kMaxCount = 1ull << 40;

} // namespace

Json governanceRowsJson(const GovernanceCounts& counts)
{
    Json rows = Json::array();
    for (const auto& [key, row] : counts.rows) {
        Json r;
        r["hour"] = key.hour.empty() ? Json(nullptr) : Json(key.hour);
        r["agent"] = key.agent;
        r["tool"] = key.tool;
        r["tenant"] = key.tenant;
        for (std::size_t i = 0; i < kGovernanceCounters; ++i)
            if (row[i] > 0)
                r[governanceCounterName(counter(i))] = static_cast<std::uint64_t>(row[i]); // as a parsed part reads it
        rows.push_back(std::move(r));
    }
    return rows;
}

GovernanceCounts governanceFromJson(const Json& rows)
{
    GovernanceCounts out;
    if (!rows.is_array())
        return out;
    const auto text = [](const Json& r, const char* k) {
        return r.contains(k) && r[k].is_string() ? r[k].get<std::string>() : std::string();
    };
    for (const Json& r : rows) {
        if (!r.is_object())
            continue;
        const GovernanceKey key{text(r, "hour"), text(r, "agent"), text(r, "tool"), text(r, "tenant")};
        if (!key.hour.empty() && !isGovernanceHour(key.hour))
            continue;
        for (std::size_t i = 0; i < kGovernanceCounters; ++i) {
            const char* name = governanceCounterName(counter(i));
            // counts only: no negative or absurd number from a part moves a total
            if (r.contains(name) && r[name].is_number_unsigned() && r[name].get<std::uint64_t>() <= kMaxCount)
                out.add(key, counter(i), static_cast<std::int64_t>(r[name].get<std::uint64_t>()));
        }
    }
    return out;
}

Json governanceReportJson(const GovernanceCounts& counts)
{
    const GovernanceRow t = counts.total();
    const auto n = [&](GovernanceCounter c) { return t[static_cast<std::size_t>(c)]; };
    Json j;
    Json totals = Json::object();
    for (std::size_t i = 0; i < kGovernanceCounters; ++i)
        totals[governanceCounterName(counter(i))] = t[i];
    j["totals"] = std::move(totals);
    const std::int64_t provenance = n(GovernanceCounter::ProvenanceTrusted) + n(GovernanceCounter::ProvenanceInternal) +
                                    n(GovernanceCounter::ProvenanceExternal) +
                                    n(GovernanceCounter::ProvenanceUnverified) + n(GovernanceCounter::ProvenanceOther);
    j["ratios"] = {{"blocked_share", ratio(n(GovernanceCounter::Blocked), n(GovernanceCounter::DecisionPoints))},
                   {"approval_share", ratio(n(GovernanceCounter::ApprovalRequired), n(GovernanceCounter::DecisionPoints))},
                   {"replay_coverage", ratio(n(GovernanceCounter::ReplayableTraces), n(GovernanceCounter::Traces))},
                   {"graph_coverage", ratio(n(GovernanceCounter::ReconstructableTraces), n(GovernanceCounter::Traces))},
                   {"untrusted_provenance_share",
                    ratio(n(GovernanceCounter::ProvenanceExternal) + n(GovernanceCounter::ProvenanceUnverified), provenance)}};
    j["policy_drift"] = nullptr; // needs two policies: --policy B --baseline A --diff
    j["rows"] = governanceRowsJson(counts);
    return j;
}

} // namespace rw
