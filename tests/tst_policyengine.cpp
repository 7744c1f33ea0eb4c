// The policy engine, one data row per precedence step (reference §5.4), plus
// rule matching details.
#include "replay/policy/patternset.h"
#include "replay/policy/policyengine.h"

#include <QtTest>

#include <cstring>
#include <random>

using namespace rw;

namespace {

const char* kBundle = R"(
rules:
  - tool: send_email
    effect: deny
    provenance_trust: [external, unverified]
  - tool_name: restart_service
    provenance_source_type: [skill]
    action: require_approval
  - agent_name: trusted_bot
    tool_name: export_data
    action: allow
  - sensitivity_level: Secret
    action: block
blocked_tools: [shell_exec]
monitored_tools: [read_customer]
dangerous_argument_patterns: [rm -rf, DROP TABLE]
high_risk_tools: [wire_money]
data_classification:
  blocked_sensitivity_levels: [high]
agent_limits: {max_tool_calls: 5, max_cost_usd: 1.0}
agents:
  ops_agent:
    allowed_tools: [restart_service, get_status, wire_money, export_data]
    approval_required_tools: [get_status]
    max_tool_calls: 50
  id_agent:
    allowed_capabilities: [cap_read]
)";

const char* kCaps = R"(
capabilities:
  cap_read: {risk: low, tools: [read_customer]}
  cap_ops: {risk: high, tools: [restart_service]}
)";

} // namespace

class TestPolicyEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void precedence_data();
    void precedence();
    void noCapabilityBundleSkipsGate();
    void patternSetAgreesWithNaiveSearch();
    void lowestPatternIndexWins_data();
    void lowestPatternIndexWins();
    void hostilePatternSizes();

private:
    std::optional<PolicyEngine> m_engine;
};

void TestPolicyEngine::initTestCase()
{
    std::vector<BundleDiagnostic> d;
    const auto policy = parsePolicyBundle(kBundle, "test.yaml", d);
    const auto caps = parseCapabilityBundle(kCaps, "caps.yaml", d);
    QVERIFY2(policy && caps && !hasErrors(d), d.empty() ? "" : d.front().message.c_str());
    m_engine.emplace(*policy, &*caps);
}

void TestPolicyEngine::precedence_data()
{
    QTest::addColumn<QByteArray>("agent");
    QTest::addColumn<QByteArray>("tool");
    QTest::addColumn<QByteArray>("args");
    QTest::addColumn<QByteArray>("sensitivity");
    QTest::addColumn<QByteArray>("caps");       // "-" none, else comma list ("" = empty list)
    QTest::addColumn<QByteArray>("provenance"); // "type:trust,..."
    QTest::addColumn<double>("calls");
    QTest::addColumn<double>("cost");
    QTest::addColumn<QByteArray>("decision");
    QTest::addColumn<QByteArray>("rule");
    QTest::addColumn<QByteArray>("control");

    QTest::newRow("0 capability gate denies") << QByteArray("a") << QByteArray("restart_service") << QByteArray("{}") << QByteArray()
                                              << QByteArray("cap_read") << QByteArray() << 0.0 << 0.5
                                              << QByteArray("blocked") << QByteArray("capability_gate") << QByteArray("capability");
    QTest::newRow("0 unmapped tool with capabilities") << QByteArray("a") << QByteArray("mystery") << QByteArray("{}") << QByteArray()
                                                       << QByteArray("") << QByteArray() << 0.0 << 0.5
                                                       << QByteArray("blocked") << QByteArray("capability_gate") << QByteArray("capability");
    QTest::newRow("0 identity injects capabilities") << QByteArray("id_agent") << QByteArray("restart_service") << QByteArray("{}")
                                                     << QByteArray() << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                                     << QByteArray("blocked") << QByteArray("capability_gate") << QByteArray("identity");
    QTest::newRow("0 gate passes, policy continues") << QByteArray("a") << QByteArray("read_customer") << QByteArray("{}") << QByteArray()
                                                     << QByteArray("cap_read") << QByteArray() << 0.0 << 0.5
                                                     << QByteArray("allowed") << QByteArray("monitored_tools") << QByteArray("policy_rule");
    QTest::newRow("1 budget beats allow rules") << QByteArray("trusted_bot") << QByteArray("export_data") << QByteArray("{}")
                                                << QByteArray() << QByteArray("-") << QByteArray() << 5.0 << 0.5
                                                << QByteArray("blocked") << QByteArray("agent_limits") << QByteArray("budget");
    QTest::newRow("1 cost equality counts") << QByteArray("a") << QByteArray("read_customer") << QByteArray("{}") << QByteArray()
                                            << QByteArray("-") << QByteArray() << 0.0 << 1.0
                                            << QByteArray("blocked") << QByteArray("agent_limits") << QByteArray("budget");
    QTest::newRow("1 zero cost takes the heuristic") << QByteArray("a") << QByteArray("restart_x") << QByteArray("{}") << QByteArray()
                                                     << QByteArray("-") << QByteArray() << 0.0 << 0.0
                                                     << QByteArray("allowed") << QByteArray("-") << QByteArray("default");
    QTest::newRow("1 per-agent limit overrides") << QByteArray("ops_agent") << QByteArray("get_status") << QByteArray("{}") << QByteArray()
                                                 << QByteArray("-") << QByteArray() << 10.0 << 0.1
                                                 << QByteArray("require_approval") << QByteArray("agents.ops_agent.approval_required_tools")
                                                 << QByteArray("approval");
    QTest::newRow("2 alias rule with provenance") << QByteArray("a") << QByteArray("send_email") << QByteArray("{}") << QByteArray()
                                                  << QByteArray("-") << QByteArray("user_prompt:EXTERNAL") << 0.0 << 0.5
                                                  << QByteArray("blocked") << QByteArray("rules[0]") << QByteArray("policy_rule");
    QTest::newRow("2 provenance rule needs provenance") << QByteArray("a") << QByteArray("send_email") << QByteArray("{}") << QByteArray()
                                                        << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                                        << QByteArray("allowed") << QByteArray("-") << QByteArray("default");
    QTest::newRow("2 both lists on one item") << QByteArray("ops_agent") << QByteArray("restart_service") << QByteArray("{}")
                                              << QByteArray() << QByteArray("-") << QByteArray("skill:internal") << 0.0 << 0.5
                                              << QByteArray("require_approval") << QByteArray("rules[1]") << QByteArray("approval");
    QTest::newRow("2 agent rule allows") << QByteArray("trusted_bot") << QByteArray("export_data") << QByteArray("{}") << QByteArray()
                                         << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                         << QByteArray("allowed") << QByteArray("rules[2]") << QByteArray("policy_rule");
    QTest::newRow("2 sensitivity rule ignores case") << QByteArray("a") << QByteArray("read_customer") << QByteArray("{}")
                                                     << QByteArray("SECRET") << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                                     << QByteArray("blocked") << QByteArray("rules[3]") << QByteArray("policy_rule");
    QTest::newRow("3 data classification") << QByteArray("a") << QByteArray("read_customer") << QByteArray("{}") << QByteArray("High")
                                           << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                           << QByteArray("blocked") << QByteArray("data_classification.blocked_sensitivity_levels")
                                           << QByteArray("policy_rule");
    QTest::newRow("4 blocked tools") << QByteArray("a") << QByteArray("shell_exec") << QByteArray("{}") << QByteArray()
                                     << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                     << QByteArray("blocked") << QByteArray("blocked_tools") << QByteArray("policy_rule");
    QTest::newRow("5 dangerous pattern in a nested value") << QByteArray("a") << QByteArray("run") << QByteArray(R"({"x": {"cmd": ["ls", "RM -RF /"]}})")
                                                           << QByteArray() << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                                           << QByteArray("blocked") << QByteArray("dangerous_argument_patterns")
                                                           << QByteArray("policy_rule");
    QTest::newRow("5 pattern behind an escape") << QByteArray("a") << QByteArray("run") << QByteArray(R"({"q": "Drop\u0020table users"})")
                                                << QByteArray() << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                                << QByteArray("blocked") << QByteArray("dangerous_argument_patterns")
                                                << QByteArray("policy_rule");
    QTest::newRow("5 unreadable arguments fail closed") << QByteArray("a") << QByteArray("run") << QByteArray(R"({"cmd": "rm -rf /x\udcff"})")
                                                        << QByteArray() << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                                        << QByteArray("blocked") << QByteArray("dangerous_argument_patterns")
                                                        << QByteArray("policy_rule");
    QTest::newRow("5 keys are not checked") << QByteArray("a") << QByteArray("run") << QByteArray(R"({"rm -rf": "safe"})") << QByteArray()
                                            << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                            << QByteArray("allowed") << QByteArray("-") << QByteArray("default");
    QTest::newRow("6 per-agent allow list") << QByteArray("ops_agent") << QByteArray("read_customer") << QByteArray("{}") << QByteArray()
                                            << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                            << QByteArray("blocked") << QByteArray("agents.ops_agent.allowed_tools") << QByteArray("policy_rule");
    QTest::newRow("7 approval list") << QByteArray("ops_agent") << QByteArray("get_status") << QByteArray("{}") << QByteArray()
                                     << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                     << QByteArray("require_approval") << QByteArray("agents.ops_agent.approval_required_tools")
                                     << QByteArray("approval");
    QTest::newRow("8 high-risk preset, extended") << QByteArray("ops_agent") << QByteArray("wire_money") << QByteArray("{}")
                                                  << QByteArray() << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                                  << QByteArray("require_approval") << QByteArray("high_risk_tools") << QByteArray("approval");
    QTest::newRow("8 high-risk default preset") << QByteArray("a") << QByteArray("delete_user") << QByteArray("{}") << QByteArray()
                                                << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                                << QByteArray("require_approval") << QByteArray("high_risk_tools") << QByteArray("approval");
    QTest::newRow("9 monitored") << QByteArray("a") << QByteArray("read_customer") << QByteArray("{}") << QByteArray()
                                 << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                 << QByteArray("allowed") << QByteArray("monitored_tools") << QByteArray("policy_rule");
    QTest::newRow("10 default allow") << QByteArray("a") << QByteArray("anything") << QByteArray("{}") << QByteArray()
                                      << QByteArray("-") << QByteArray() << 0.0 << 0.5
                                      << QByteArray("allowed") << QByteArray("-") << QByteArray("default");
}

void TestPolicyEngine::precedence()
{
    QFETCH(QByteArray, agent);
    QFETCH(QByteArray, tool);
    QFETCH(QByteArray, args);
    QFETCH(QByteArray, sensitivity);
    QFETCH(QByteArray, caps);
    QFETCH(QByteArray, provenance);
    QFETCH(double, calls);
    QFETCH(double, cost);
    QFETCH(QByteArray, decision);
    QFETCH(QByteArray, rule);
    QFETCH(QByteArray, control);

    const std::string capsText = caps.toStdString();
    const std::string provText = provenance.toStdString();
    std::vector<std::string> capList, provParts;
    PolicyRequest r;
    r.agent = agent.constData();
    r.tool = tool.constData();
    r.argumentsJson = args.constData();
    if (!sensitivity.isEmpty())
        r.sensitivity = std::string_view(sensitivity.constData());
    if (caps != "-") {
        r.hasCapabilities = true;
        for (const QByteArray& c : caps.split(','))
            if (!c.isEmpty())
                capList.push_back(c.toStdString());
        for (const std::string& c : capList)
            r.capabilities.push_back(c);
    }
    for (const QByteArray& p : provenance.split(','))
        if (!p.isEmpty())
            provParts.push_back(p.toStdString());
    for (const std::string& p : provParts) {
        const std::size_t colon = p.find(':');
        r.provenance.push_back({std::string_view(p).substr(0, colon), std::string_view(p).substr(colon + 1)});
    }
    r.hasUsage = true;
    r.usage = {calls, 0, 0, cost};
    const PolicyOutcome o = m_engine->evaluate(r);
    QCOMPARE(QByteArray::fromStdString(o.decision), decision);
    QCOMPARE(QByteArray::fromStdString(o.matchedRule.value_or("-")), rule);
    QCOMPARE(QByteArray(controlName(o.control)), control);
    QVERIFY(!o.reason.empty());
    QCOMPARE(QByteArray::fromStdString(o.reasonChain.back()), QByteArray::fromStdString(o.reason));
}

void TestPolicyEngine::noCapabilityBundleSkipsGate()
{
    std::vector<BundleDiagnostic> d;
    const auto policy = parsePolicyBundle(kBundle, "test.yaml", d);
    const PolicyEngine engine(*policy, nullptr);
    PolicyRequest r;
    r.agent = "a";
    r.tool = "restart_service";
    r.hasCapabilities = true;
    const PolicyOutcome o = engine.evaluate(r);
    QVERIFY(o.capabilityGateSkipped);
    QCOMPARE(o.decision, std::string("require_approval")); // high-risk preset, the gate was not evaluated
}

namespace {

// the search the engine used to do, pattern by pattern: the reference
int naiveLowestMatch(const std::vector<std::string>& patterns, const std::string& text)
{
    std::string lowered = text;
    for (char& c : lowered)
        c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    for (std::size_t p = 0; p < patterns.size(); ++p)
        if (lowered.find(patterns[p]) != std::string::npos)
            return static_cast<int>(p);
    return -1;
}

PolicyRequest argumentsRequest(std::string_view json)
{
    PolicyRequest r;
    r.agent = "a";
    r.tool = "run";
    r.argumentsJson = json;
    r.hasUsage = true;
    r.usage = {0, 0, 0, 0.5};
    return r;
}

} // namespace

// Aho-Corasick against the naive search on many small random cases over a
// tiny alphabet, where overlaps, shared prefixes and suffix links abound.
void TestPolicyEngine::patternSetAgreesWithNaiveSearch()
{
    std::mt19937 random(20260305);
    auto word = [&](std::size_t maxLen, const char* alphabet) {
        std::string w(random() % (maxLen + 1), ' ');
        for (char& c : w)
            c = alphabet[random() % std::strlen(alphabet)];
        return w;
    };
    for (int round = 0; round < 3000; ++round) {
        std::vector<std::string> patterns(1 + random() % 8);
        for (std::string& p : patterns)
            p = word(round % 50 == 0 ? 0 : 5, "abc"); // now and then an empty pattern
        const PatternSet set(patterns);
        for (int t = 0; t < 8; ++t) {
            const std::string text = word(40, "abcABC");
            QCOMPARE(set.lowestMatch(text), naiveLowestMatch(patterns, text));
        }
    }
    const PatternSet none;
    QCOMPARE(none.lowestMatch("abc"), -1);
    const PatternSet upper(std::vector<std::string>{"Abc"});
    QCOMPARE(upper.lowestMatch("abc"), -1); // patterns are lower-cased by the bundle loader
}

// The reported pattern is the first in the bundle's order that occurs in any
// value, not the first found in the text.
void TestPolicyEngine::lowestPatternIndexWins_data()
{
    QTest::addColumn<QByteArray>("args");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("later in the text, earlier in the list") << QByteArray("{\"a\": \"rm -rf / ; drop table x\"}")
                                                            << QByteArray("Arguments matched blocked pattern 'drop table'");
    QTest::newRow("in a later value") << QByteArray("{\"a\": \"rm it\", \"b\": [\"ok\", \"DROP TABLE users\"]}")
                                      << QByteArray("Arguments matched blocked pattern 'drop table'");
    QTest::newRow("a prefix of another pattern") << QByteArray("{\"a\": \"rm\"}")
                                                 << QByteArray("Arguments matched blocked pattern 'rm'");
    QTest::newRow("behind an escape") << QByteArray("{\"a\": \"rm\\u0020-rf\"}")
                                      << QByteArray("Arguments matched blocked pattern 'rm -rf'");
    QTest::newRow("none") << QByteArray("{\"a\": \"r m\", \"b\": 12}") << QByteArray("Allowed by policy");
    QTest::newRow("unreadable fails closed") << QByteArray("{\"a\": \"rm \\udcff\"}")
                                             << QByteArray("Arguments matched blocked pattern 'rm'");
}

void TestPolicyEngine::lowestPatternIndexWins()
{
    QFETCH(QByteArray, args);
    QFETCH(QByteArray, reason);
    PolicyBundle bundle;
    bundle.dangerousPatterns = {"drop table", "rm -rf", "rm"};
    const PolicyEngine engine(bundle, nullptr);
    QCOMPARE(QByteArray::fromStdString(engine.evaluate(argumentsRequest(args.toStdString())).reason), reason);
}

// The trial's cases: one 60 KB pattern against a 12 MB argument, 60k short
// patterns against 20 arguments of 200 KB. Ran for minutes; now one pass per
// value. The assertions are the outcomes (a quadratic search times out).
void TestPolicyEngine::hostilePatternSizes()
{
    {
        PolicyBundle bundle;
        bundle.dangerousPatterns = {std::string(60 * 1024, 'a') + "b"};
        const PolicyEngine engine(bundle, nullptr);
        const std::string value(12 * 1024 * 1024, 'a');
        QCOMPARE(engine.evaluate(argumentsRequest("{\"x\": \"" + value + "\"}")).decision, std::string("allowed"));
        const std::string hit = "{\"x\": \"" + value + "B\"}";
        QCOMPARE(engine.evaluate(argumentsRequest(hit)).matchedRule.value_or("-"), std::string("dangerous_argument_patterns"));
    }
    {
        PolicyBundle bundle;
        for (int i = 0; i < 60000; ++i)
            bundle.dangerousPatterns.push_back("x" + std::to_string(i) + "y");
        bundle.dangerousPatterns.push_back("needle");
        const PolicyEngine engine(bundle, nullptr);
        std::string json = "{";
        for (int a = 0; a < 20; ++a) {
            std::string value;
            while (value.size() < 200 * 1024)
                value += "x" + std::to_string(a * 7919 % 60000) + "z ";
            json += (a ? ", \"a" : "\"a") + std::to_string(a) + "\": \"" + value + "\"";
        }
        QCOMPARE(engine.evaluate(argumentsRequest(json + "}")).decision, std::string("allowed"));
        json += ", \"late\": \"x123y ... NEEDLE ... x59999y\"}";
        const PolicyOutcome o = engine.evaluate(argumentsRequest(json));
        QCOMPARE(o.reason, std::string("Arguments matched blocked pattern 'x123y'"));
    }
}

QTEST_GUILESS_MAIN(TestPolicyEngine)
#include "tst_policyengine.moc"
