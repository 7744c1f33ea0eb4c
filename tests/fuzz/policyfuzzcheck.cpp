#include "tests/fuzz/policyfuzzcheck.h"

#include "replay/policy/policyengine.h"

namespace rwfuzz {

std::string checkPolicyInput(std::string_view bytes)
{
    rw::YamlLimits limits;
    limits.timeLimitMs = 5000;
    std::vector<rw::BundleDiagnostic> d;
    const auto policy = rw::parsePolicyBundle(bytes, "fuzz.yaml", d, limits);
    if (policy.has_value() == rw::hasErrors(d))
        return "a bundle loaded with errors, or failed without one";
    for (const rw::BundleDiagnostic& x : d)
        if (x.message.empty() || x.line < 0 || x.column < 0)
            return "a diagnostic without a message or with a bad position";
    std::vector<rw::BundleDiagnostic> cd;
    const auto caps = rw::parseCapabilityBundle(bytes, "fuzz.yaml", cd, limits);
    if (caps.has_value() == rw::hasErrors(cd))
        return "a capability bundle loaded with errors, or failed without one";
    if (policy) {
        const rw::PolicyEngine engine(*policy, caps ? &*caps : nullptr);
        rw::PolicyRequest r;
        for (const char* tool : {"send_email", "restart_service", "shell_exec", ""}) {
            r.tool = tool;
            r.agent = "ops_agent";
            r.argumentsJson = R"({"to": "a@b.c", "cmd": "rm -rf /", "n": [1, {"x": "drop table"}]})";
            r.hasCapabilities = true;
            r.provenance = {{"skill", "unverified"}};
            const rw::PolicyOutcome o = engine.evaluate(r);
            if (o.decision != "allowed" && o.decision != "blocked" && o.decision != "require_approval")
                return "an outcome outside the decision words";
        }
    }
    return {};
}

} // namespace rwfuzz
