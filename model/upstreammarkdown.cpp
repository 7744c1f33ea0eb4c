// Upstream's evidence document as Markdown, byte for byte (the peer-compat
// goldens check it), with quoted values escaped so they cannot act as markup.
#include "model/upstreamjson.h"

#include "model/markdowntext.h"

namespace rw::upstream {

std::string evidenceMarkdown(const Json& e)
{
    // Python's str(): None for null, the text of a string, numbers as json prints them
    auto py = [](const Json& v) -> std::string {
        if (v.is_null())
            return "None";
        if (v.is_string())
            return v.get<std::string>();
        if (v.is_array()) {
            std::string out;
            for (const Json& item : v)
                out += (out.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : item.dump());
            return out;
        }
        return v.dump();
    };
    auto at = [&](const char* section, const char* key) -> Json {
        const auto it = e.find(section);
        if (it == e.end() || !it->is_object())
            return Json();
        return it->value(key, Json());
    };
    // values are quoted for Markdown (markdowntext.h): unchanged when ordinary
    std::string out = "# AISecOps Governance Evidence\n\n";
    out += "- Trace ID: " + markdownCode(py(e.value("trace_id", Json()))) + "\n";
    out += "- Generated At: " + markdownCode(py(e.value("generated_at", Json()))) + "\n";
    out += "- Final Governance Result: " + markdownCode(py(e.value("final_governance_result", Json()))) + "\n\n";
    out += "## Agent Identity\n\n";
    out += "- Agent ID: " + markdownCode(py(at("agent_identity", "agent_id"))) + "\n";
    out += "- Agent Name: " + markdownCode(py(at("agent_identity", "agent_name"))) + "\n";
    out += "- Trust Level: " + markdownCode(py(at("agent_identity", "trust_level"))) + "\n";
    out += "- Environment: " + markdownCode(py(at("agent_identity", "environment"))) + "\n\n";
    out += "## Plan Summary\n\n";
    out += "- Plan ID: " + markdownCode(py(at("plan_summary", "plan_id"))) + "\n";
    out += "- Intent: " + markdownCode(py(at("plan_summary", "intent"))) + "\n";
    out += "- Risk Level: " + markdownCode(py(at("plan_summary", "risk_level"))) + "\n";
    const Json caps = at("plan_summary", "requested_capabilities");
    out += "- Requested Capabilities: " + markdownCode(caps.is_null() ? std::string() : py(caps)) + "\n\n";
    out += "## Policy Decision\n\n";
    out += "- Final Decision: " + markdownCode(py(at("policy_decision", "final_decision"))) + "\n";
    out += "- Reason: " + markdownText(py(at("policy_decision", "final_reason"))) + "\n\n";
    out += "## Runtime Budget\n\n";
    out += "- Budget Status: " + markdownCode(py(at("runtime_budget_usage", "budget_status"))) + "\n";
    const Json violations = at("runtime_budget_usage", "violations");
    out += "- Violations: " + markdownCode(violations.is_null() ? std::string() : py(violations)) + "\n\n";
    out += "## Replay Diff\n\n";
    out += "- Governance Result: " + markdownCode(py(at("replay_diff_summary", "governance_result"))) + "\n";
    out += "- Execution Outcome: " + markdownCode(py(at("replay_diff_summary", "execution_outcome"))) + "\n";
    out += "- Summary: " + markdownText(py(at("replay_diff_summary", "summary"))) + "\n";
    return out;
}

} // namespace rw::upstream
