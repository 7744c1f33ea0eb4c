// The command lines of run-trace analysis, in process: aisecops-replay's
// --analyze and --check-profile (parseCli), securight's `trace analyze`
// (parseSecuright) and where securight finds an analysis profile when none
// is given (discoverAnalysisProfile, on folders made for each case).
#include "app/cli/clioptions.h"
#include "app/cli/profilediscovery.h"
#include "app/cli/securightoptions.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {

std::vector<std::string> words(const QString& line)
{
    std::vector<std::string> out;
    for (const QString& w : line.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        out.push_back(w.toStdString());
    return out;
}

} // namespace

class TestAnalyzeOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cliErrors_data();
    void cliErrors();
    void cliAnalyze();
    void cliCheckProfile();
    void securight_data();
    void securight();
    void securightOptions();
    void discovery_data();
    void discovery();
};

void TestAnalyzeOptions::cliErrors_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("error");
    const auto row = [](const char* name, const char* args, const char* error) {
        QTest::newRow(name) << QString::fromLatin1(args) << QString::fromLatin1(error);
    };
    row("no audit file", "--analyze", "--analyze needs --audit-file (or --batch DIR)");
    row("batch without output", "--analyze --batch traces", "--batch needs --output report.json");
    row("batch with --json", "--analyze --batch traces --output r.json --json",
        "--batch writes its report to --output; --json and --trace-id are for single files");
    row("glob without batch", "--analyze --audit-file a.json --glob *.json",
        "--output, --jsonl, --index, --controls, --metrics, --part, --walk-only, --glob, --window and --min-escalated-* go with --batch");
    row("with --list", "--analyze --audit-file f --list", "one action per call: --analyze and --list cannot be combined");
    row("with --summary", "--audit-file f --summary --analyze", "one action per call: --summary and --analyze cannot be combined");
    row("twice", "--analyze --analyze --audit-file f", "--analyze is given twice: one action per call");
    row("bad --fail-on", "--analyze --audit-file f --fail-on high", "--fail-on takes warn or critical, got 'high'");
    row("--fail-on without value", "--analyze --audit-file f --fail-on", "option --fail-on needs a value");
    row("--profile twice", "--analyze --audit-file f --profile a --profile b", "option --profile given twice");
    row("--exfil twice", "--analyze --audit-file f --exfil a --exfil b", "option --exfil given twice");
    row("--check-profile and --profile", "--check-profile a --profile b", "option --profile given twice");
    row("--analyze with --policy", "--analyze --audit-file f --policy p.yaml", "--analyze does not take --policy");
    row("--analyze with --limit", "--analyze --audit-file f --limit 3", "--analyze does not take --limit");
    row("--check-profile with --json", "--check-profile a --json", "--check-profile does not take --json");
    row("--check-profile with --fail-on", "--check-profile a --fail-on warn", "--check-profile does not take --fail-on");
    row("--check-profile with --audit-file", "--check-profile a --audit-file f", "--check-profile does not take --audit-file");
    row("analysis option alone", "--audit-file f --list --profile a",
        "--profile, --behaviour, --exfil, --sequence-profile and --fail-on go with --analyze (all but --fail-on also "
        "with --check-profile)");
    row("--fail-on with --check-policy", "--check-policy p.yaml --fail-on warn",
        "--profile, --behaviour, --exfil, --sequence-profile and --fail-on go with --analyze (all but --fail-on also "
        "with --check-profile)");
    row("empty --behaviour", "--analyze --audit-file f --behaviour", "option --behaviour needs a value");
}

void TestAnalyzeOptions::cliErrors()
{
    QFETCH(QString, args);
    QFETCH(QString, error);
    const rw::CliParse p = rw::parseCli(words(args));
    QCOMPARE(QString::fromStdString(p.error), error);
}

void TestAnalyzeOptions::cliAnalyze()
{
    const rw::CliParse p = rw::parseCli(
        words(QStringLiteral("--trace-id run-1 --analyze --audit-file a.json --audit-log b.jsonl --profile p.yaml "
                             "--behaviour b1 --behavior b2 --exfil e.yaml --sequence-profile s1.json "
                             "--sequence-profile s2.json --fail-on critical --json --quiet --threads 2")));
    QVERIFY2(p.error.empty(), p.error.c_str());
    const rw::CliOptions& o = p.options;
    QCOMPARE(o.action, rw::CliAction::Analyze);
    QCOMPARE(o.auditFiles, (std::vector<std::string>{"a.json", "b.jsonl"}));
    QCOMPARE(o.traceId, std::string("run-1"));
    QCOMPARE(o.profile, std::string("p.yaml"));
    QCOMPARE(o.behaviour, (std::vector<std::string>{"b1", "b2"}));
    QCOMPARE(o.exfil, std::string("e.yaml"));
    QCOMPARE(o.sequenceProfiles, (std::vector<std::string>{"s1.json", "s2.json"}));
    QCOMPARE(o.failOn, rw::FailOn::Critical);
    QVERIFY(o.json && o.quiet);
    QCOMPARE(rw::parseCli(words(QStringLiteral("--analyze --audit-file a --fail-on warn"))).options.failOn, rw::FailOn::Warn);
    QCOMPARE(rw::parseCli(words(QStringLiteral("--analyze --audit-file a"))).options.failOn, rw::FailOn::Never);
}

void TestAnalyzeOptions::cliCheckProfile()
{
    const rw::CliParse p = rw::parseCli(
        words(QStringLiteral("--check-profile p.yaml --behaviour b --exfil e.yaml --sequence-profile s.json --quiet")));
    QVERIFY2(p.error.empty(), p.error.c_str());
    QCOMPARE(p.options.action, rw::CliAction::CheckProfile);
    QCOMPARE(p.options.profile, std::string("p.yaml"));
    QCOMPARE(p.options.behaviour, (std::vector<std::string>{"b"}));
    QCOMPARE(p.options.exfil, std::string("e.yaml"));
}

void TestAnalyzeOptions::securight_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<int>("command");
    QTest::addColumn<QString>("message"); // a part of it
    const auto row = [](const char* name, const char* args, rw::SecurightCommand c, const char* message) {
        QTest::newRow(name) << QString::fromLatin1(args) << int(c) << QString::fromLatin1(message);
    };
    using C = rw::SecurightCommand;
    row("nothing", "", C::UsageError, "no command given");
    row("--help", "--help", C::Help, "");
    row("-h after a command", "trace analyze x.json -h", C::Help, "");
    row("--version", "--version", C::Version, "");
    row("unknown command", "replay x.json", C::UsageError, "unknown command 'replay'");
    row("trace alone", "trace", C::UsageError, "trace needs a command");
    row("unknown trace command", "trace list", C::UsageError, "unknown command 'trace list'");
    row("watch", "trace watch --agent prod-triage --format compact", C::Watch, "");
    row("watch two sources", "trace watch a b", C::UsageError, "follows one SOURCE");
    row("watch with --json", "trace watch a --json", C::UsageError, "unknown option '--json'");
    row("batch", "trace analyze ./traces/2026-03/ --batch --output report.json", C::Analyze, "");
    row("batch without --output", "trace analyze ./traces/ --batch", C::UsageError, "--batch needs --output");
    row("batch with the fleet's options",
        "trace analyze ./traces/ --batch --output r.json --index i.jsonl --controls c.yaml --metrics --csv --window "
        "2026-03-01..2026-04-01",
        C::Analyze, "");
    row("--csv alone", "trace analyze ./traces/ --batch --output r.json --csv", C::UsageError, "--csv goes with --metrics");
    row("batch of two folders", "trace analyze a b --batch --output r.json", C::UsageError, "takes one folder");
    row("no file", "trace analyze --json", C::UsageError, "trace analyze needs a trace FILE");
    row("two files", "trace analyze a.json b.json", C::UsageError, "takes one FILE");
    row("unknown option", "trace analyze a.json --bogus", C::UsageError, "unknown option '--bogus'");
    row("aisecops-replay's option", "trace analyze a.json --list", C::UsageError, "unknown option '--list'");
    row("bad --fail-on", "trace analyze a.json --fail-on loud", C::UsageError, "--fail-on takes warn or critical, got 'loud'");
    row("--profile twice", "trace analyze a.json --profile p --profile q", C::UsageError, "option --profile given twice");
    row("--profile without value", "trace analyze a.json --profile", C::UsageError, "option --profile needs a value");
    row("analyze", "trace analyze a.json", C::Analyze, "");
}

void TestAnalyzeOptions::securight()
{
    QFETCH(QString, args);
    QFETCH(int, command);
    QFETCH(QString, message);
    const rw::SecurightParse p = rw::parseSecuright(words(args));
    QCOMPARE(int(p.command), command);
    QVERIFY2(QString::fromStdString(p.message).contains(message), p.message.c_str());
    if (p.command == rw::SecurightCommand::NotAvailable)
        QVERIFY2(QString::fromStdString(p.message).contains(QStringLiteral("not available yet")), p.message.c_str());
}

void TestAnalyzeOptions::securightOptions()
{
    rw::SecurightParse p = rw::parseSecuright(words(QStringLiteral("trace analyze run.json")));
    QCOMPARE(p.command, rw::SecurightCommand::Analyze);
    QVERIFY(p.discover);
    QCOMPARE(p.options.action, rw::CliAction::Analyze);
    QCOMPARE(p.options.auditFiles, std::vector<std::string>{"run.json"});

    p = rw::parseSecuright(words(QStringLiteral("trace analyze --profile p.yaml run.json --behaviour b --exfil e.yaml "
                                                "--sequence-profile s.json --json --fail-on warn --quiet")));
    QCOMPARE(p.command, rw::SecurightCommand::Analyze);
    QVERIFY(!p.discover);
    QCOMPARE(p.options.auditFiles, std::vector<std::string>{"run.json"});
    QCOMPARE(p.options.profile, std::string("p.yaml"));
    QCOMPARE(p.options.behaviour, std::vector<std::string>{"b"});
    QCOMPARE(p.options.exfil, std::string("e.yaml"));
    QCOMPARE(p.options.sequenceProfiles, std::vector<std::string>{"s.json"});
    QCOMPARE(p.options.failOn, rw::FailOn::Warn);
    QVERIFY(p.options.json && p.options.quiet);
}

// Layouts under a fresh folder: "d/" makes a folder, anything else a file.
// The trace is cases/run.json; XDG_CONFIG_HOME and HOME point inside.
void TestAnalyzeOptions::discovery_data()
{
    QTest::addColumn<QStringList>("layout");
    QTest::addColumn<QString>("xdg"); // "-" for unset, else relative to the folder (or as is when relative)
    QTest::addColumn<QString>("profile");
    QTest::addColumn<QString>("behaviour");
    QTest::addColumn<QString>("exfil");
    const QString beside = QStringLiteral("cases/analysis.yaml");
    const QString nested = QStringLiteral("cases/analysis/analysis.yaml");
    const QString xdg = QStringLiteral("xdg/replay-workbench/analysis.yaml");
    const QString home = QStringLiteral("home/.config/replay-workbench/analysis.yaml");
    QTest::newRow("beside wins") << QStringList{beside, nested, xdg} << QStringLiteral("xdg") << beside << QString() << QString();
    QTest::newRow("beside with companions")
        << QStringList{beside, QStringLiteral("cases/behaviour/"), QStringLiteral("cases/exfiltration.yaml")} << QStringLiteral("-")
        << beside << QStringLiteral("cases/behaviour") << QStringLiteral("cases/exfiltration.yaml");
    QTest::newRow("analysis folder next")
        << QStringList{nested, QStringLiteral("cases/analysis/behaviour/"), xdg} << QStringLiteral("xdg") << nested
        << QStringLiteral("cases/analysis/behaviour") << QString();
    QTest::newRow("a folder named analysis.yaml is no profile")
        << QStringList{QStringLiteral("cases/analysis.yaml/"), nested} << QStringLiteral("-") << nested << QString() << QString();
    QTest::newRow("XDG_CONFIG_HOME") << QStringList{xdg, home} << QStringLiteral("xdg") << xdg << QString() << QString();
    QTest::newRow("XDG companions")
        << QStringList{xdg, QStringLiteral("xdg/replay-workbench/exfiltration.yaml")} << QStringLiteral("xdg") << xdg << QString()
        << QStringLiteral("xdg/replay-workbench/exfiltration.yaml");
    QTest::newRow("~/.config when XDG_CONFIG_HOME is unset") << QStringList{xdg, home} << QStringLiteral("-") << home << QString() << QString();
    QTest::newRow("~/.config when XDG_CONFIG_HOME is relative")
        << QStringList{home} << QStringLiteral("relative/xdg") << home << QString() << QString();
    QTest::newRow("none") << QStringList{QStringLiteral("cases/analysis/")} << QStringLiteral("xdg") << QString() << QString() << QString();
}

void TestAnalyzeOptions::discovery()
{
    QFETCH(QStringList, layout);
    QFETCH(QString, xdg);
    QFETCH(QString, profile);
    QFETCH(QString, behaviour);
    QFETCH(QString, exfil);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QDir root(dir.path());
    QVERIFY(root.mkpath(QStringLiteral("cases")));
    for (const QString& item : layout) {
        if (item.endsWith(QLatin1Char('/'))) {
            QVERIFY(root.mkpath(item));
            continue;
        }
        QVERIFY(root.mkpath(QFileInfo(item).path()));
        QFile f(root.filePath(item));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("version: 1\n");
    }
    const auto at = [&](const QString& rel) { return rel.isEmpty() ? std::string() : root.filePath(rel).toStdString(); };
    const std::string xdgValue = xdg == QLatin1String("-")      ? std::string()
                                 : xdg.startsWith(QLatin1String("relative")) ? xdg.toStdString()
                                                                  : at(xdg);
    const rw::ProfileDiscovery d =
        rw::discoverAnalysisProfile(root.filePath(QStringLiteral("cases/run.json")).toStdString(), xdgValue, at(QStringLiteral("home")));
    QCOMPARE(QString::fromStdString(d.profile), QString::fromStdString(at(profile)));
    QCOMPARE(QString::fromStdString(d.behaviour), QString::fromStdString(at(behaviour)));
    QCOMPARE(QString::fromStdString(d.exfil), QString::fromStdString(at(exfil)));
    // always the same three places, in order
    QCOMPARE(d.candidates.size(), std::size_t(3));
    QCOMPARE(QString::fromStdString(d.candidates[0]), root.filePath(QStringLiteral("cases/analysis.yaml")));
    QCOMPARE(QString::fromStdString(d.candidates[1]), root.filePath(QStringLiteral("cases/analysis/analysis.yaml")));
}

QTEST_GUILESS_MAIN(TestAnalyzeOptions)
#include "tst_analyzeoptions.moc"
