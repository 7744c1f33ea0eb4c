// Policy and capability bundle loading: every upstream validation error with
// its position, warnings for unknown keys, and hostile YAML refused cleanly.
#include "replay/policy/policybundle.h"
#include "tests/testutil.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace rw;

namespace {

QByteArray firstMessage(const std::vector<BundleDiagnostic>& d, BundleDiagnostic::Level level, int* line = nullptr,
                        int* column = nullptr)
{
    for (const BundleDiagnostic& x : d)
        if (x.level == level) {
            if (line)
                *line = x.line;
            if (column)
                *column = x.column;
            return QByteArray::fromStdString(x.message);
        }
    return {};
}

} // namespace

class TestPolicyBundle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void policyErrors_data();
    void policyErrors();
    void capabilityErrors_data();
    void capabilityErrors();
    void hostile_data();
    void hostile();
    void unknownKeysWarn();
    void aliasesAndTypes();
    void emptyIsAnEmptyBundle();
    void sampleBundlesAreValid();
};

void TestPolicyBundle::policyErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("line");
    QTest::newRow("not a mapping") << QByteArray("- a\n- b\n") << QByteArray("Policy bundle must be a mapping") << 1;
    QTest::newRow("rules not a list") << QByteArray("rules: {a: 1}\n") << QByteArray("'rules' must be a list") << 1;
    QTest::newRow("rule not a mapping") << QByteArray("rules:\n  - block\n") << QByteArray("Each rule must be a mapping") << 2;
    QTest::newRow("empty tool") << QByteArray("rules:\n  - tool_name: ''\n    action: block\n")
                                << QByteArray("Rule field 'tool_name' must be non-empty when provided") << 2;
    QTest::newRow("action missing") << QByteArray("rules:\n  - tool_name: x\n") << QByteArray("Rule field 'action' is required") << 2;
    QTest::newRow("action unknown") << QByteArray("rules:\n  - tool_name: x\n    action: maybe\n")
                                    << QByteArray("Rule field 'action' must be allow, block, or require_approval") << 3;
    QTest::newRow("trust not a list") << QByteArray("rules:\n  - provenance_trust: external\n    action: block\n")
                                      << QByteArray("Rule field 'provenance_trust' must be a list") << 2;
    QTest::newRow("source type not a list") << QByteArray("rules:\n  - provenance_source_type: skill\n    action: block\n")
                                            << QByteArray("Rule field 'provenance_source_type' must be a list") << 2;
    QTest::newRow("no condition") << QByteArray("rules:\n  - action: block\n")
                                  << QByteArray("Rule must define at least one matching condition") << 2;
    QTest::newRow("octal-looking limit") << QByteArray("agent_limits:\n  max_tool_calls: 012\n")
                                         << QByteArray("'max_tool_calls' must be a non-negative decimal number, got '012'") << 2;
    QTest::newRow("hex limit") << QByteArray("agent_limits:\n  max_depth: 0x10\n")
                               << QByteArray("'max_depth' must be a non-negative decimal number, got '0x10'") << 2;
    QTest::newRow("both tool spellings") << QByteArray("rules:\n  - tool_name: a\n    tool: b\n    action: block\n")
                                         << QByteArray("rule gives both 'tool_name' and 'tool'; keep one") << 3;
    QTest::newRow("high risk mode") << QByteArray("high_risk_tools_mode: replace\n")
                                    << QByteArray("'high_risk_tools_mode' must be extend or override") << 1;
}

void TestPolicyBundle::policyErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, message);
    QFETCH(int, line);
    std::vector<BundleDiagnostic> d;
    const auto b = parsePolicyBundle(yaml.toStdString(), "p.yaml", d);
    QVERIFY(!b);
    int got = 0;
    QCOMPARE(firstMessage(d, BundleDiagnostic::Level::Error, &got), message);
    QCOMPARE(got, line);
}

void TestPolicyBundle::capabilityErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("not a mapping") << QByteArray("[1]\n") << QByteArray("Capability bundle must be a mapping");
    QTest::newRow("capabilities not a mapping") << QByteArray("capabilities: [a]\n") << QByteArray("'capabilities' must be a mapping");
    QTest::newRow("capability not a mapping") << QByteArray("capabilities:\n  cap_a: 3\n") << QByteArray("Capability 'cap_a' must be a mapping");
    QTest::newRow("tools not a list") << QByteArray("capabilities:\n  cap_a: {tools: x}\n")
                                      << QByteArray("Capability 'cap_a' field 'tools' must be a list");
    QTest::newRow("empty tool") << QByteArray("capabilities:\n  cap_a: {tools: ['']}\n")
                                << QByteArray("Capability 'cap_a' tools must contain non-empty strings");
    QTest::newRow("description") << QByteArray("capabilities:\n  cap_a: {tools: [t], description: [x]}\n")
                                 << QByteArray("Capability 'cap_a' field 'description' must be a string");
    QTest::newRow("risk value") << QByteArray("capabilities:\n  cap_a: {tools: [t], risk: extreme}\n")
                                << QByteArray("Capability 'cap_a' field 'risk' must be one of: low, medium, high");
}

void TestPolicyBundle::capabilityErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, message);
    std::vector<BundleDiagnostic> d;
    QVERIFY(!parseCapabilityBundle(yaml.toStdString(), "c.yaml", d));
    QCOMPARE(firstMessage(d, BundleDiagnostic::Level::Error), message);
}

void TestPolicyBundle::hostile_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("contains");
    QByteArray laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'i'; ++c)
        laughs += QByteArray(1, c) + ": &" + QByteArray(1, c) + " [*" + QByteArray(1, char(c - 1)) + ", *" +
                  QByteArray(1, char(c - 1)) + ", *" + QByteArray(1, char(c - 1)) + "]\n";
    QTest::newRow("billion laughs") << laughs << QByteArray("anchors");
    QTest::newRow("self-referential anchor") << QByteArray("a: &a [*a]\n") << QByteArray("anchors");
    QTest::newRow("merge key") << QByteArray("base: {x: 1}\nb:\n  <<: {x: 2}\n") << QByteArray("merge keys");
    QTest::newRow("deep flow nesting") << QByteArray(100000, '[') << QByteArray("deep");
    QTest::newRow("deep block nesting") << [] {
        QByteArray y;
        for (int i = 0; i < 40; ++i)
            y += QByteArray(i * 2, ' ') + "k" + QByteArray::number(i) + ":\n";
        return y;
    }() << QByteArray("deeper than 32");
    QTest::newRow("several documents") << QByteArray("blocked_tools: [a]\n---\nblocked_tools: [b]\n") << QByteArray("several YAML documents");
    QTest::newRow("loadall hang input") << QByteArray(",") << QByteArray("");
    QTest::newRow("duplicate key") << QByteArray("rules:\n  - tool: a\n    effect: allow\n    effect: deny\n") << QByteArray("duplicate key 'effect'");
    QTest::newRow("python tag") << QByteArray("blocked_tools: !!python/object:os.system ls\n") << QByteArray("tags");
    QTest::newRow("custom tag") << QByteArray("blocked_tools: !Ref x\n") << QByteArray("tags");
    QTest::newRow("invalid utf-8") << QByteArray("blocked_tools: [\xff\xfe]\n") << QByteArray("invalid UTF-8");
    QTest::newRow("utf-16") << QByteArray("\xff\xfe" "b\0l\0", 6) << QByteArray("UTF-16");
    QTest::newRow("nul byte") << QByteArray("blocked_tools: [a\0b]\n", 20) << QByteArray("NUL");
    QTest::newRow("too big") << QByteArray(2 << 20, '#') << QByteArray("limited to");
    QTest::newRow("syntax error") << QByteArray("rules: [a, b\n") << QByteArray("YAML syntax error");
}

void TestPolicyBundle::hostile()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, contains);
    std::vector<BundleDiagnostic> d;
    QElapsedTimer timer;
    timer.start();
    const auto b = parsePolicyBundle(std::string_view(yaml.constData(), static_cast<std::size_t>(yaml.size())), "h.yaml", d);
    QVERIFY(timer.elapsed() < 10000); // refused, not hung (the watchdog alone allows 2 s)
    if (contains.isEmpty()) {
        // "," is a lone scalar: not a mapping, or a syntax error; either way an error, never a hang
        QVERIFY(!b);
        return;
    }
    QVERIFY(!b);
    bool found = false;
    for (const BundleDiagnostic& x : d)
        found = found || (x.level == BundleDiagnostic::Level::Error && QByteArray::fromStdString(x.message).contains(contains));
    QVERIFY2(found, d.empty() ? "no diagnostic" : d.front().message.c_str());
}

void TestPolicyBundle::unknownKeysWarn()
{
    std::vector<BundleDiagnostic> d;
    const auto b = parsePolicyBundle("blocked_tool: [x]\nrules:\n  - tool: a\n    efect: deny\n    action: block\n", "w.yaml", d);
    QVERIFY(b);
    QVERIFY(!hasErrors(d));
    QCOMPARE(d.size(), std::size_t(2));
    QVERIFY(QByteArray::fromStdString(d[0].message).contains("did you mean 'blocked_tools'"));
    QCOMPARE(d[0].line, 1);
    QVERIFY(QByteArray::fromStdString(d[1].message).contains("did you mean 'effect'"));
    QCOMPARE(d[1].line, 4);
    QCOMPARE(d[1].column, 5);
}

void TestPolicyBundle::aliasesAndTypes()
{
    std::vector<BundleDiagnostic> d;
    const auto b = parsePolicyBundle("rules:\n  - tool: a\n    effect: deny\n  - tool_name: b\n    action: ALLOW\n"
                                     "agent_limits: {max_cost_usd: 0.5, max_tool_calls: 7}\n",
                                     "a.yaml", d);
    QVERIFY(b && !hasErrors(d));
    QCOMPARE(b->rules.size(), std::size_t(2));
    QVERIFY(b->rules[0].action == PolicyAction::Block);
    QVERIFY(b->rules[1].action == PolicyAction::Allow);
    QCOMPARE(*b->agentLimits[3], 0.5);
    QCOMPARE(*b->agentLimits[0], 7.0);
    QCOMPARE(b->sha256.size(), std::size_t(64));
}

void TestPolicyBundle::emptyIsAnEmptyBundle()
{
    std::vector<BundleDiagnostic> d;
    const auto b = parsePolicyBundle("# only a comment\n", "e.yaml", d);
    QVERIFY(b);
    QVERIFY(!hasErrors(d));
    QCOMPARE(d.size(), std::size_t(1)); // but it says so
}

void TestPolicyBundle::sampleBundlesAreValid()
{
    for (const char* name : {"production", "strict", "permissive"}) {
        std::vector<BundleDiagnostic> d;
        const auto b = loadPolicyBundle(std::string(RW_SOURCE_DIR "/sample-audits/policies/") + name + ".yaml", d);
        QVERIFY2(b && d.empty(), name);
    }
    std::vector<BundleDiagnostic> d;
    QVERIFY(loadCapabilityBundle(RW_SOURCE_DIR "/sample-audits/policies/capabilities.yaml", d) && d.empty());
}

QTEST_GUILESS_MAIN(TestPolicyBundle)
#include "tst_policybundle.moc"
