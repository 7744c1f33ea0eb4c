// The configuration of run-trace analysis from hostile bytes, files and
// folders: the YAML the policy bundles refuse is refused by each of the three
// YAML loaders, bad JSON by the sequence-profile loader, special and oversized
// files before a byte is read. The built-in defaults, and the sample
// configuration, which loads clean. The value languages (sizes, durations,
// hours) on their own.
#include "replay/analysis/configloader.h"
#include "replay/analysis/configvalues.h"
#include "tests/analysistestutil.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace rw;
using namespace rw::analysis;
using rwtest::describe;

namespace {

QString samplePath(const char* rel)
{
    return QStringLiteral(RW_SOURCE_DIR "/sample-audits/analysis/") + QLatin1String(rel);
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

// the one diagnostic of a refused file: the path, no position, the reason
void expectRefusal(const std::vector<BundleDiagnostic>& d, const QString& path, const QByteArray& reason)
{
    QCOMPARE(d.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(d[0].file), path);
    QVERIFY(d[0].level == BundleDiagnostic::Level::Error);
    QCOMPARE(d[0].line, 0);
    QCOMPARE(QByteArray::fromStdString(d[0].message), reason);
}

} // namespace

class TestAnalysisConfigFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hostile_data();
    void hostile();
    void values_data();
    void values();
    void defaults();
    void samples();
    void fileErrors_data();
    void fileErrors();
    void policyFolder();
};

void TestAnalysisConfigFiles::hostile_data()
{
    QTest::addColumn<int>("loader");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("contains"); // in an error; empty: any error
    QByteArray laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'i'; ++c)
        laughs += QByteArray(1, c) + ": &" + QByteArray(1, c) + " [*" + QByteArray(1, char(c - 1)) + ", *" +
                  QByteArray(1, char(c - 1)) + ", *" + QByteArray(1, char(c - 1)) + "]\n";
    QByteArray deepBlock;
    for (int i = 0; i < 40; ++i)
        deepBlock += QByteArray(i * 2, ' ') + "k" + QByteArray::number(i) + ":\n";
    const std::pair<const char*, std::pair<QByteArray, QByteArray>> yaml[] = {
        {"billion laughs", {laughs, "anchors"}},
        {"self-referential anchor", {"a: &a [*a]\n", "anchors"}},
        {"alias", {"version: &v 1\nagents: *v\n", "anchors"}},
        {"merge key", {"base: {x: 1}\nb:\n  <<: {x: 2}\n", "merge keys"}},
        {"deep flow nesting", {QByteArray(100000, '['), "deep"}},
        {"deep block nesting", {deepBlock, "deeper than 32"}},
        {"several documents", {"id: a\n---\nid: b\n", "several YAML documents"}},
        {"loadall hang input", {",", ""}},
        {"duplicate key", {"id: a\nid: b\n", "duplicate key 'id'"}},
        {"python tag", {"id: !!python/object:os.system ls\n", "tags"}},
        {"custom tag", {"id: !Ref x\n", "tags"}},
        {"invalid utf-8", {"id: [\xff\xfe]\n", "invalid UTF-8"}},
        {"utf-16",
         {QByteArray("\xff\xfe"
                     "i\0d\0",
                     6),
          "UTF-16"}},
        {"nul byte", {QByteArray("id: a\0b\n", 8), "NUL"}},
        {"huge scalar", {"id: " + QByteArray(70000, 'x') + "\n", "scalar longer than"}},
        {"too big", {QByteArray(2 << 20, '#'), "limited to"}},
        {"syntax error", {"checks: [a, b\n", "YAML syntax error"}},
    };
    const std::pair<const char*, int> loaders[] = {{"profile", rwtest::ProfileLoader},
                                                   {"behaviour", rwtest::BehaviourLoader},
                                                   {"exfil", rwtest::ExfilLoader}};
    for (const auto& [loaderName, loader] : loaders)
        for (const auto& [name, row] : yaml)
            QTest::addRow("%s: %s", loaderName, name) << loader << row.first << row.second;
    const std::pair<const char*, std::pair<QByteArray, QByteArray>> json[] = {
        {"deep nesting", {QByteArray(100000, '['), "nesting deeper than 8"}},
        {"too big", {"{\"agent\": \"" + QByteArray(2 << 20, 'x') + "\"}", "limited to"}},
        {"nul byte", {QByteArray("{\"agent\": \"a\0\"}", 15), "invalid JSON"}},
        {"utf-16", {QByteArray("\xff\xfe{\0}\0", 6), "invalid JSON"}},
        {"invalid utf-8", {"{\"agent\": \"\xff\"}", "invalid JSON"}},
        {"two documents", {"{}{}", "invalid JSON"}},
        {"empty", {"", "invalid JSON"}},
        {"number overflow", {"{\"version\": 1e999}", "invalid JSON"}},
        {"yaml", {"schema: x\n", "invalid JSON"}},
    };
    for (const auto& [name, row] : json)
        QTest::addRow("sequence profile: %s", name)
            << int(rwtest::SequenceProfileLoader) << row.first << row.second;
}

void TestAnalysisConfigFiles::hostile()
{
    QFETCH(int, loader);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, contains);
    std::vector<BundleDiagnostic> d;
    QElapsedTimer timer;
    timer.start();
    const bool loaded = rwtest::parseAnalysisInput(loader, input, d);
    QVERIFY(timer.elapsed() < 10000); // refused, not hung (the YAML watchdog alone allows 2 s)
    QVERIFY(!loaded);
    QVERIFY2(rwtest::hasErrorContaining(d, contains), qPrintable(describe(d)));
}

void TestAnalysisConfigFiles::values_data()
{
    QTest::addColumn<QByteArray>("kind");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("expected"); // -1: refused
    const auto row = [](const char* name, const char* kind, const char* text, qint64 expected) {
        QTest::newRow(name) << QByteArray(kind) << QByteArray(text) << expected;
    };
    row("1MB", "bytes", ">=1MB", 1000000);
    row("1MiB", "bytes", "1MiB", 1048576);
    row("spaces, lower case", "bytes", " >= 3 gib", 3LL << 30);
    row("kb", "bytes", ">=4KB", 4000);
    row("plain bytes", "bytes", "12345", 12345);
    row("B", "bytes", "7B", 7);
    row("decimal size", "bytes", "1.5MB", -1);
    row("TB", "bytes", "1TB", -1);
    row("greater", "bytes", ">1MB", -1);
    row("at most", "bytes", "<=1MB", -1);
    row("negative", "bytes", "-5", -1);
    row("overflow", "bytes", "999999999999999999GiB", -1);
    row("too many digits", "bytes", "9999999999999999999", -1);
    row("rows", "rows", ">=10000", 10000);
    row("rows with unit", "rows", "10KB", -1);
    row("500ms", "duration", "500ms", 500000);
    row("2h", "duration", "2h", 7200LL * 1000 * 1000);
    row("no unit", "duration", "30", -1);
    row("zero", "duration", "0s", -1);
    row("days", "duration", "1d", -1);
    row("hours", "hours", "01:00-04:00", 60 * 10000 + 240);
    row("hours to midnight", "hours", "20:00-24:00", 1200 * 10000 + 1440);
    row("hours from 24", "hours", "24:00-01:00", -1);
    row("hours 60 minutes", "hours", "01:60-02:00", -1);
    row("hours one digit", "hours", "1:00-2:00", -1);
    row("hours no dash", "hours", "01:00", -1);
}

void TestAnalysisConfigFiles::values()
{
    QFETCH(QByteArray, kind);
    QFETCH(QByteArray, text);
    QFETCH(qint64, expected);
    const std::string t = text.toStdString();
    std::string why;
    std::optional<std::int64_t> got;
    if (kind == "bytes")
        got = bytesFromText(t, why);
    else if (kind == "rows")
        got = rowsFromText(t, why);
    else if (kind == "duration")
        got = durationFromText(t, why);
    else if (const auto h = hoursFromText(t, why))
        got = std::int64_t(h->first) * 10000 + h->second;
    QCOMPARE(got.value_or(-1), expected);
    QCOMPARE(why.empty(), got.has_value()); // a refusal always says why
}

void TestAnalysisConfigFiles::defaults()
{
    const AnalysisProfile p = defaultAnalysisProfile();
    QVERIFY(p.source.builtIn && p.source.path.empty() && p.source.sha256.empty());
    QVERIFY(p.agents.empty() && p.trustedNetworks.empty());
    std::vector<std::string> types;
    for (const ActionType& t : p.actionTypes)
        types.push_back(t.name);
    QCOMPARE(types, (std::vector<std::string>{"observe", "modify", "destroy", "communicate", "encode"}));
    QCOMPARE(p.actionTypes[4].params.size(), std::size_t(1));
    QCOMPARE(p.actionTypes[4].params[0].globs, std::string("*base64*|*openssl enc*|*tar c*"));
    QCOMPARE(p.environments.size(), std::size_t(1));
    const Environment& prod = p.environments[0];
    QCOMPARE(prod.name, std::string("production"));
    QCOMPARE(prod.hosts, (std::vector<std::string>{"prod-*", "*-prod*", "web-*"}));
    QCOMPARE(prod.params, (std::vector<std::string>{"host", "target", "cluster", "namespace"}));
    QCOMPARE(prod.values, (std::vector<std::string>{"prod", "production"}));
    QCOMPARE(p.permissionRisk.size(), std::size_t(3));
    QVERIFY(p.permissionRisk[1].risk == Severity::Critical && p.permissionRisk[1].word == "critical");
    QCOMPARE(p.retries.windowUs, std::int64_t(300'000'000));

    const ExfilRules r = defaultExfilRules();
    QVERIFY(r.source.builtIn && r.allow.empty());
    QCOMPARE(r.largeRead.resultBytes, std::int64_t(1000000));
    QCOMPARE(r.largeRead.resultRows, std::int64_t(10000));
    QCOMPARE(r.externalWrite.destinationParams.size(), std::size_t(7));
    QCOMPARE(r.encode.text, std::string("action_type:encode"));
    QCOMPARE(r.sequences.size(), std::size_t(2));
    QCOMPARE(r.sequences[0].id, std::string("stage-then-send"));
    QVERIFY(r.sequences[0].steps[1].optional && r.sequences[0].severity == Severity::Critical);
    QCOMPARE(r.sequences[0].withinUs, std::int64_t(600'000'000));
    QCOMPARE(r.sequences[1].id, std::string("read-then-external"));
    QCOMPARE(r.sequences[1].withinSteps, 0);
    QVERIFY(r.sequences[1].untrustedOnly && r.sequences[1].severity == Severity::Warn);
}

void TestAnalysisConfigFiles::samples()
{
    std::vector<BundleDiagnostic> d;
    const auto profile = loadAnalysisProfile(samplePath("analysis.yaml").toStdString(), d);
    const auto rules = loadExfilRules(samplePath("exfiltration.yaml").toStdString(), d);
    const std::vector<BehaviourPolicy> policies =
        loadBehaviourPolicies(samplePath("behaviour").toStdString(), d);
    QVERIFY2(profile && rules && d.empty(), qPrintable(describe(d)));
    QCOMPARE(profile->agents.size(), std::size_t(1));
    QCOMPARE(profile->agents[0].match.text, std::string("prod-triage-*"));
    QCOMPARE(profile->agents[0].baselineGrant,
             (std::vector<std::string>{"metrics:read", "ssh:exec:read-only"}));
    QCOMPARE(profile->agents[0].behaviouralPolicy, std::string("SOP-114"));
    QCOMPARE(profile->trustedNetworks.size(), std::size_t(4));
    // the exfiltration sample is the defaults written out, plus one exemption
    const ExfilRules def = defaultExfilRules();
    QCOMPARE(rules->largeRead.resultBytes, def.largeRead.resultBytes);
    QCOMPARE(rules->externalWrite.tools, def.externalWrite.tools);
    QCOMPARE(rules->sequences.size(), def.sequences.size());
    QCOMPARE(rules->sequences[0].withinUs, def.sequences[0].withinUs);
    QCOMPARE(rules->allow.size(), std::size_t(1));
    QCOMPARE(rules->allow[0].fromMinute, 60);
    // by file name: ordering.yaml before SOP-114.yaml (byte order)
    QCOMPARE(policies.size(), std::size_t(2));
    const BehaviourPolicy& sop = policies[1].id == "SOP-114" ? policies[1] : policies[0];
    QCOMPARE(sop.name, std::string("triage-standard"));
    QCOMPARE(sop.appliesTo.text, std::string("agent:prod-triage-*"));
    QCOMPARE(sop.checks.size(), std::size_t(3));
    QCOMPARE(sop.checks[0].id, std::string("prohibited"));
    QCOMPARE(sop.checks[0].prohibit.size(), std::size_t(1));
    QCOMPARE(sop.checks[0].prohibit[0].when.text, std::string("action_type:destroy AND env:production"));
    QCOMPARE(sop.checks[1].id, std::string("approved-tools"));
    QCOMPARE(sop.checks[1].require.text, std::string("tool in $agent.approved_tools"));
    QCOMPARE(sop.checks[2].id, std::string("escalation-approval"));
    QCOMPARE(sop.checks[2].review.text, std::string("escalated:true AND NOT approval.id:*"));
    QCOMPARE(sop.checks[2].advice, std::string("review escalation approvals"));
    const BehaviourPolicy& order = policies[0].id == "SOP-200" ? policies[0] : policies[1];
    QCOMPARE(order.checks.size(), std::size_t(4));
    QCOMPARE(order.checks[0].precededBy.text,
             std::string("action_type:observe AND param.host:=$step.param.host"));
    QCOMPARE(order.checks[1].followedBy.text, std::string("tool:metrics.query"));
    QVERIFY(order.checks[1].severity == Severity::Info && order.checks[1].withinSteps == 3);
    QVERIFY(order.checks[3].severity == Severity::Critical);
}

void TestAnalysisConfigFiles::fileErrors_data()
{
    QTest::addColumn<int>("loader");
    QTest::newRow("profile") << int(rwtest::ProfileLoader);
    QTest::newRow("behaviour") << int(rwtest::BehaviourLoader);
    QTest::newRow("exfil") << int(rwtest::ExfilLoader);
    QTest::newRow("sequence profile") << int(rwtest::SequenceProfileLoader);
}

void TestAnalysisConfigFiles::fileErrors()
{
    QFETCH(int, loader);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // true when the loader gave a result (for folders: a policy)
    const auto load = [loader](const QString& path, std::vector<BundleDiagnostic>& d) {
        const std::string p = path.toStdString();
        switch (loader) {
        case rwtest::ProfileLoader:
            return loadAnalysisProfile(p, d).has_value();
        case rwtest::BehaviourLoader:
            return !loadBehaviourPolicies(p, d).empty();
        case rwtest::ExfilLoader:
            return loadExfilRules(p, d).has_value();
        default:
            return loadSequenceProfile(p, d).has_value();
        }
    };
    std::vector<BundleDiagnostic> d;
    const QString missing = dir.filePath(QStringLiteral("missing.yaml"));
    QVERIFY(!load(missing, d));
    expectRefusal(d, missing, "file not found");

    const QString fifo = dir.filePath(QStringLiteral("fifo.yaml"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    d.clear();
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!load(fifo, d)); // at once: no writer is waited for
    QVERIFY(timer.elapsed() < 5000);
    expectRefusal(d, fifo, "is a FIFO (named pipe), not a regular file");

    const QString big = dir.filePath(QStringLiteral("big.yaml"));
    writeFile(big, QByteArray((1 << 20) + 1, '#'));
    d.clear();
    QVERIFY(!load(big, d));
    expectRefusal(d, big, "file is 1048577 bytes; policy and analysis files are limited to 1048576");

    if (loader != rwtest::BehaviourLoader) { // a folder of policies is a valid argument there
        d.clear();
        QVERIFY(!load(dir.path(), d));
        expectRefusal(d, dir.path(), "is a directory");
    }

    // and a good file loads, named by its path
    const QByteArray goodBytes[] = {
        "version: 1\n", "id: P\nchecks: [{id: c, review: 'a:b'}]\n",
        "{}\n", // every section left out: the built-in ones
        R"({"schema": "replay-workbench/sequence-profile", "version": 1, "agent": "a"})"};
    const QString good = dir.filePath(QStringLiteral("good"));
    writeFile(good, goodBytes[loader]);
    d.clear();
    QVERIFY2(load(good, d), qPrintable(describe(d)));
    for (const BundleDiagnostic& x : d)
        QCOMPARE(QString::fromStdString(x.file), good);
}

void TestAnalysisConfigFiles::policyFolder()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<BundleDiagnostic> d;
    QVERIFY(loadBehaviourPolicies(dir.path().toStdString(), d).empty());
    QCOMPARE(d.size(), std::size_t(1));
    QVERIFY(d[0].level == BundleDiagnostic::Level::Warning);
    QCOMPARE(QByteArray::fromStdString(d[0].message),
             QByteArray("no behavioural policies (*.yaml, *.yml) in this folder"));

    const QByteArray check = "checks: [{id: c, review: 'a:b'}]\n";
    writeFile(dir.filePath(QStringLiteral("b.yaml")), "id: B\n" + check);
    writeFile(dir.filePath(QStringLiteral("a.yml")), "id: A\n" + check);
    writeFile(dir.filePath(QStringLiteral("dup.yaml")), "id: A\n" + check);
    writeFile(dir.filePath(QStringLiteral("broken.yaml")), "id: C\nchecks: [{id: c}]\n");
    writeFile(dir.filePath(QStringLiteral("notes.txt")), "not: [yaml");
    writeFile(dir.filePath(QStringLiteral(".#b.yaml")), "not: [yaml"); // an editor's lock file
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("sub.d")));
    writeFile(dir.filePath(QStringLiteral("sub.d/z.yaml")), "id: Z\n" + check); // not recursive
    d.clear();
    const std::vector<BehaviourPolicy> policies = loadBehaviourPolicies(dir.path().toStdString(), d);
    QCOMPARE(policies.size(), std::size_t(2));
    QCOMPARE(policies[0].id, std::string("A")); // a.yml, b.yaml: by name
    QCOMPARE(policies[1].id, std::string("B"));
    QCOMPARE(QString::fromStdString(policies[0].source.path), dir.filePath(QStringLiteral("a.yml")));
    QCOMPARE(d.size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(d[0].file), dir.filePath(QStringLiteral("broken.yaml")));
    QCOMPARE(
        QByteArray::fromStdString(d[0].message),
        QByteArray("check 'c' checks nothing: give prohibit, require, preceded_by, followed_by or review"));
    QCOMPARE(QString::fromStdString(d[1].file), dir.filePath(QStringLiteral("dup.yaml")));
    QCOMPARE(d[1].line, 1);
    QCOMPARE(d[1].column, 5);
    QCOMPARE(
        QString::fromStdString(d[1].message),
        QStringLiteral("policy id 'A' is already given in %1:1").arg(dir.filePath(QStringLiteral("a.yml"))));

    // one file on its own
    d.clear();
    QCOMPARE(loadBehaviourPolicies(dir.filePath(QStringLiteral("b.yaml")).toStdString(), d).size(),
             std::size_t(1));
    QVERIFY(d.empty());
}

QTEST_GUILESS_MAIN(TestAnalysisConfigFiles)
#include "tst_analysisconfigfiles.moc"
