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

std::string csvField(std::string s)
{
    // agent and tool names come from traces: a spreadsheet must not read one as a formula
    if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
        s.insert(s.begin(), '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (const char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + '"';
}

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
            if (row[i] != 0)
                r[governanceCounterName(counter(i))] = row[i];
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
        for (std::size_t i = 0; i < kGovernanceCounters; ++i) {
            const char* name = governanceCounterName(counter(i));
            if (r.contains(name) && r[name].is_number_integer())
                out.add(key, counter(i), r[name].get<std::int64_t>());
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

std::string governanceCsv(const GovernanceCounts& counts)
{
    std::string out = "hour,agent,tool,tenant";
    for (std::size_t i = 0; i < kGovernanceCounters; ++i)
        out += std::string(",") + governanceCounterName(counter(i));
    out += "\r\n";
    for (const auto& [key, row] : counts.rows) {
        out += csvField(key.hour) + ',' + csvField(key.agent) + ',' + csvField(key.tool) + ',' + csvField(key.tenant);
        for (std::size_t i = 0; i < kGovernanceCounters; ++i)
            out += ',' + std::to_string(row[i]);
        out += "\r\n";
    }
    return out;
}

} // namespace rw
