#pragma once

// The keys the line parser reads, and a perfect-enough hash table over them:
// one probe per key of a record on the hot path. Internal to lineparser.cpp.
#include "model/eventrecord.h"

#include <array>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace rw::linekeys {


enum class Key : std::uint8_t {
    None,
    Str,             // a plain string field, see m_field
    UniqueStr,       // a string field that is not interned
    Timestamp,
    Allowed,
    Provenance,
    RequestedCaps,
    PlanSteps,
    RuntimeUsage,
    RuntimeBudget,
    RuntimeViolations,
    Context,
    BudgetContext,
    RunId,     // a run document's keys: a line holding both is a run trace,
    RunSteps,  // not an interceptor event (detected by structure, top level only)
};

struct KeyInfo
{
    std::string_view name;
    Key key;
    Field field;
};

constexpr KeyInfo kTopKeys[] = {
    {"timestamp", Key::Timestamp, Field::Timestamp},
    {"run_id", Key::RunId, Field::Count},
    {"steps", Key::RunSteps, Field::Count},
    {"event_type", Key::Str, Field::EventType},
    {"decision", Key::Str, Field::Decision},
    {"schema_version", Key::Str, Field::SchemaVersion},
    {"event_id", Key::UniqueStr, Field::EventId},
    {"trace_id", Key::Str, Field::TraceId},
    {"parent_trace_id", Key::Str, Field::ParentTraceId},
    {"execution_plan_id", Key::Str, Field::ExecutionPlanId},
    {"plan_id", Key::Str, Field::PlanId},
    {"plan_intent", Key::Str, Field::PlanIntent},
    {"plan_risk_level", Key::Str, Field::PlanRiskLevel},
    {"requested_capabilities", Key::RequestedCaps, Field::Count},
    {"plan_steps", Key::PlanSteps, Field::Count},
    {"decision_stage", Key::Str, Field::DecisionStage},
    {"reason", Key::Str, Field::Reason},
    {"context", Key::Context, Field::Count},
    {"agent_name", Key::Str, Field::AgentName},
    {"agent_id", Key::Str, Field::AgentId},
    {"agent_trust_level", Key::Str, Field::AgentTrustLevel},
    {"agent_environment", Key::Str, Field::AgentEnvironment},
    {"tool_name", Key::Str, Field::ToolName},
    {"allowed", Key::Allowed, Field::Count},
    {"framework", Key::Str, Field::Framework},
    {"risk_level", Key::Str, Field::RiskLevel},
    {"matched_rule", Key::Str, Field::MatchedRule},
    {"approval_id", Key::Str, Field::ApprovalId},
    {"provenance", Key::Provenance, Field::Count},
    {"protocol", Key::Str, Field::Protocol},
    {"client_id", Key::Str, Field::ClientId},
    {"server_name", Key::Str, Field::ServerName},
    {"capability", Key::Str, Field::Capability},
    {"budget_status", Key::Str, Field::BudgetStatus},
    {"runtime_budget", Key::RuntimeBudget, Field::Count},
    {"runtime_usage", Key::RuntimeUsage, Field::Count},
    {"runtime_violations", Key::RuntimeViolations, Field::Count},
    {"tenant_id", Key::Str, Field::TenantId},
    {"policy_bundle", Key::Str, Field::PolicyBundle},
    {"runtime_mode", Key::Str, Field::RuntimeMode},
    {"budget_context", Key::BudgetContext, Field::BudgetContext},
    {"arguments", Key::BudgetContext, Field::Arguments},
};

// Keys read from `context`: identity fields the seed documents name, plus the
// request facts the policy engine needs.
constexpr KeyInfo kContextKeys[] = {
    {"tenant_id", Key::Str, Field::TenantId},
    {"policy_bundle", Key::Str, Field::PolicyBundle},
    {"runtime_mode", Key::Str, Field::RuntimeMode},
    {"budget_context", Key::BudgetContext, Field::BudgetContext},
    {"sensitivity_level", Key::Str, Field::SensitivityLevel},
    {"allowed_capabilities", Key::RequestedCaps, Field::Count}, // stored as granted caps
};

// A tiny open-addressing table from key text to KeyInfo, built once.
template <std::size_t N> class KeyTable
{
public:
    explicit KeyTable(const KeyInfo (&keys)[N])
    {
        for (const KeyInfo& k : keys) {
            std::size_t i = slotOf(k.name);
            while (m_slots[i])
                i = (i + 1) & (kSize - 1);
            m_slots[i] = &k;
        }
    }
    const KeyInfo* find(std::string_view name) const
    {
        if (name.empty())
            return nullptr;
        std::size_t i = slotOf(name);
        while (const KeyInfo* k = m_slots[i]) {
            if (k->name == name)
                return k;
            i = (i + 1) & (kSize - 1);
        }
        return nullptr;
    }

private:
    static constexpr std::size_t kSize = 256;
    static std::size_t slotOf(std::string_view s)
    {
        const auto a = static_cast<unsigned char>(s[0]);
        const auto b = static_cast<unsigned char>(s[s.size() - 1]);
        const auto c = static_cast<unsigned char>(s[s.size() / 2]);
        return (s.size() * 37 + a * 5 + b * 11 + c * 3) & (kSize - 1);
    }
    std::array<const KeyInfo*, kSize> m_slots{};
};

inline const KeyTable<std::size(kTopKeys)> kTopTable(kTopKeys);
inline const KeyTable<std::size(kContextKeys)> kContextTable(kContextKeys);

} // namespace rw::linekeys
