// Detector what-if (issue 13): the samples analysed under configuration A and
// B through `aisecops-replay --analyze --diff`, in process: a patched
// baseline grant makes escalations vanish, a behavioural policy makes
// anomalies appear and checks change, a severity override changes severity,
// the same configuration changes nothing; exit 3 with --fail-on-change only
// when something changed; analysis-diff.json holds the same changes.
#include "tests/batchtestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace batchtest;

class TestAnalysisDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void whatIf_data();
    void whatIf();
    void jsonHoldsTheChanges();
    void usage_data();
    void usage();

private:
    QString path(const QString& rel) const { return m_dir.filePath(rel); }
    // the sample profile with `from` replaced by `to`, next to a copy of its profiles/
    QString patchedProfile(const QString& name, const QByteArray& from, const QByteArray& to);

    QTemporaryDir m_dir;
};

void TestAnalysisDiff::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(path(QStringLiteral("profiles"))));
    QVERIFY(QFile::copy(sample(QStringLiteral("analysis/profiles/deploy-bot.json")), path(QStringLiteral("profiles/deploy-bot.json"))));
}

QString TestAnalysisDiff::patchedProfile(const QString& name, const QByteArray& from, const QByteArray& to)
{
    QByteArray text = readAll(sample(QStringLiteral("analysis/analysis.yaml")));
    if (!text.contains(from))
        return {};
    text.replace(from, to);
    QFile f(path(name));
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text);
    return f.fileName();
}

void TestAnalysisDiff::whatIf_data()
{
    QTest::addColumn<QStringList>("configuration"); // A's and B's options
    QTest::addColumn<QStringList>("lines");          // each must be printed
    QTest::addColumn<QString>("summary");
    QTest::addColumn<int>("failOnChange");           // exit code with --fail-on-change
    const QString base = sample(QStringLiteral("analysis/analysis.yaml"));
    const QString behaviour = sample(QStringLiteral("analysis/behaviour"));
    QTest::newRow("a patched baseline grant")
        << QStringList{QStringLiteral("--baseline-profile"), base, QStringLiteral("--profile"),
                       QStringLiteral("@granted.yaml"), QStringLiteral("--behaviour"), behaviour}
        << QStringList{QStringLiteral("- [WARN] run-12345 step 2 (prod-triage-au-east): Permission escalation — "
                                      "service:restart not in baseline grant")}
        << QStringLiteral("Under B: 2 anomalies vanish (6 runs, 20 anomalies unchanged)") << 3;
    QTest::newRow("a new behavioural policy")
        << QStringList{QStringLiteral("--baseline-profile"), base, QStringLiteral("--profile"), base,
                       QStringLiteral("--baseline-behaviour"), sample(QStringLiteral("analysis/behaviour/ordering.yaml")),
                       QStringLiteral("--behaviour"), behaviour}
        << QStringList{QStringLiteral("~ run-12345 (prod-triage-au-east) SOP-114 ")}
        << QStringLiteral("policy checks change their result") << 3;
    QTest::newRow("a severity override")
        << QStringList{QStringLiteral("--baseline-profile"), base, QStringLiteral("--profile"),
                       QStringLiteral("@override.yaml"), QStringLiteral("--behaviour"), behaviour}
        << QStringList{QStringLiteral("~ [WARN → CRITICAL] run-12345 step 2 (prod-triage-au-east): Permission escalation")}
        << QStringLiteral("change severity") << 3;
    QTest::newRow("the same configuration")
        << QStringList{QStringLiteral("--baseline-profile"), base, QStringLiteral("--profile"), base, QStringLiteral("--behaviour"), behaviour}
        << QStringList{} << QStringLiteral("No change under B (6 runs, 22 anomalies unchanged)") << 0;
}

void TestAnalysisDiff::whatIf()
{
    QFETCH(QStringList, configuration);
    QFETCH(QStringList, lines);
    QFETCH(QString, summary);
    QFETCH(int, failOnChange);
    for (QString& word : configuration) {
        if (word == QLatin1String("@granted.yaml"))
            word = patchedProfile(QStringLiteral("granted.yaml"), "baseline_grant: [metrics:read, ssh:exec:read-only]",
                                  "baseline_grant: [metrics:read, ssh:exec:read-only, service:restart]");
        else if (word == QLatin1String("@override.yaml"))
            word = patchedProfile(QStringLiteral("override.yaml"), "permission_risk:",
                                  "severity_overrides: {\"escalation.not-in-baseline\": critical}\npermission_risk:");
        QVERIFY(!word.isEmpty());
    }
    const QStringList args = QStringList{QStringLiteral("--analyze"), QStringLiteral("--diff"), QStringLiteral("--audit-file"),
                                         sample(QStringLiteral("run-12345.json")), QStringLiteral("--audit-file"),
                                         sample(QStringLiteral("run-incidents.jsonl")), QStringLiteral("--quiet")} +
                             configuration;
    const Result r = cli(args);
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromStdString(r.out);
    for (const QString& line : lines)
        QVERIFY2(out.contains(line), qPrintable(out));
    QVERIFY2(out.trimmed().split(QLatin1Char('\n')).last().contains(summary), qPrintable(out));
    QCOMPARE(cli(args + QStringList{QStringLiteral("--fail-on-change")}).exitCode, failOnChange);
}

void TestAnalysisDiff::jsonHoldsTheChanges()
{
    const QString granted = patchedProfile(QStringLiteral("granted.yaml"), "baseline_grant: [metrics:read, ssh:exec:read-only]",
                                           "baseline_grant: [metrics:read, ssh:exec:read-only, service:restart]");
    const QString output = path(QStringLiteral("analysis-diff.json"));
    const Result r = cli({QStringLiteral("--analyze"), QStringLiteral("--diff"), QStringLiteral("--audit-file"),
                          sample(QStringLiteral("run-12345.json")), QStringLiteral("--baseline-profile"),
                          sample(QStringLiteral("analysis/analysis.yaml")), QStringLiteral("--profile"), granted,
                          QStringLiteral("--output"), output, QStringLiteral("--quiet")});
    QCOMPARE(r.exitCode, 0);
    const nlohmann::json d = nlohmann::json::parse(readAll(output).toStdString());
    QCOMPARE(d["format"].get<std::string>(), std::string("analysis-diff"));
    QCOMPARE(d["summary"]["vanished"].get<int>(), 1);
    QCOMPARE(d["summary"]["flips"], nlohmann::json::parse(R"({"warn->none": 1})"));
    QCOMPARE(d["changes"][0]["change"].get<std::string>(), std::string("vanished"));
    QCOMPARE(d["changes"][0]["rule_id"].get<std::string>(), std::string("escalation.not-in-baseline"));
    QVERIFY(d["changes"][0]["after"].is_null());
    QCOMPARE(d["changes"][0]["before"]["witness"][0]["value"].get<std::string>(), std::string("service:restart"));
    QCOMPARE(d["baseline"]["profile"]["path"].get<std::string>(), sample(QStringLiteral("analysis/analysis.yaml")).toStdString());
    QCOMPARE(d["config"]["profile"]["path"].get<std::string>(), granted.toStdString());
    // never over a configuration file it read
    const Result refused = cli({QStringLiteral("--analyze"), QStringLiteral("--diff"), QStringLiteral("--audit-file"),
                                sample(QStringLiteral("run-12345.json")), QStringLiteral("--baseline-profile"),
                                sample(QStringLiteral("analysis/analysis.yaml")), QStringLiteral("--profile"), granted,
                                QStringLiteral("--output"), granted});
    QCOMPARE(refused.exitCode, 2);
}

void TestAnalysisDiff::usage_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("no configuration A") << QStringLiteral("--analyze --diff --audit-file a --profile p.yaml")
                                        << QStringLiteral("needs configuration A");
    QTest::newRow("baseline without diff") << QStringLiteral("--analyze --audit-file a --baseline-profile p.yaml")
                                           << QStringLiteral("go with --analyze --diff");
    QTest::newRow("no input") << QStringLiteral("--analyze --diff --baseline-profile p.yaml")
                              << QStringLiteral("needs --audit-file");
    QTest::newRow("json is not for it") << QStringLiteral("--analyze --diff --audit-file a --baseline-profile p.yaml --json")
                                        << QStringLiteral("does not take --json");
    QTest::newRow("the trace view is still itself") << QStringLiteral("--diff --audit-file a --baseline-profile p.yaml")
                                                    << QStringLiteral("go with --analyze --diff");
}

void TestAnalysisDiff::usage()
{
    QFETCH(QString, args);
    QFETCH(QString, error);
    std::vector<std::string> words;
    for (const QString& w : args.split(QLatin1Char(' ')))
        words.push_back(w.toStdString());
    const rw::CliParse p = rw::parseCli(words);
    QVERIFY2(QString::fromStdString(p.error).contains(error), p.error.c_str());
}

QTEST_GUILESS_MAIN(TestAnalysisDiff)
#include "tst_analysisdiff.moc"
