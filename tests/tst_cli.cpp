// Golden-file tests of the aisecops-replay binary on the bundled sample audits.
// Each case in tests/golden/cases.txt runs the real executable; its exit code,
// stdout and stderr must equal tests/golden/<name>.txt. On a mismatch the test
// writes <name>.txt.actual and prints a diff; RW_UPDATE_GOLDEN=1 rewrites them.
#include "tests/testutil.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void golden_data();
    void golden();
    void statsJson();
    void hostileFilter_data();
    void hostileFilter();

private:
    static QByteArray run(const QStringList& args, int* exitCode, QByteArray* err);
};

QByteArray TestCli::run(const QStringList& args, int* exitCode, QByteArray* err)
{
    QProcess p;
    p.setWorkingDirectory(QStringLiteral(RW_SOURCE_DIR));
    p.start(QStringLiteral(RW_CLI_PATH), args);
    if (!p.waitForFinished(120000))
        return "timeout";
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    *err = p.readAllStandardError();
    return p.readAllStandardOutput();
}

void TestCli::golden_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("args");
    QFile cases(QStringLiteral(RW_SOURCE_DIR "/tests/golden/cases.txt"));
    QVERIFY(cases.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(cases.readAll()).split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        if (line.trimmed().isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype bar = line.indexOf(QLatin1Char('|'));
        const QString name = line.left(bar).trimmed();
        const QStringList args = line.mid(bar + 1).trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QTest::newRow(qPrintable(name)) << name << args;
    }
}

void TestCli::golden()
{
    QFETCH(QString, name);
    QFETCH(QStringList, args);
    int exitCode = -1;
    QByteArray err;
    const QByteArray out = run(args, &exitCode, &err);
    const std::string actual = "exit: " + std::to_string(exitCode) + "\n--- stdout\n" + out.toStdString() +
                               "--- stderr\n" + err.toStdString();
    const QString golden = QStringLiteral(RW_SOURCE_DIR "/tests/golden/") + name + QStringLiteral(".txt");
    if (qEnvironmentVariableIsSet("RW_UPDATE_GOLDEN")) {
        QFile f(golden);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(actual.data(), static_cast<qint64>(actual.size()));
        return;
    }
    QVERIFY(rwtest::matchesGolden(actual, golden));
}

void TestCli::statsJson()
{
    int exitCode = -1;
    QByteArray err;
    const QByteArray out =
        run({QStringLiteral("--audit-file"), QStringLiteral("sample-audits/damaged.jsonl"), QStringLiteral("--stats"),
             QStringLiteral("--json"), QStringLiteral("--quiet")},
            &exitCode, &err);
    QCOMPARE(exitCode, 0);
    QVERIFY(err.isEmpty());
    const auto j = nlohmann::json::parse(out.toStdString());
    const std::string file = rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/damaged.jsonl"));
    QCOMPARE(j["bytes"].get<std::size_t>(), file.size());
    QCOMPARE(QByteArray::fromStdString(j["sha256"].get<std::string>()),
             QCryptographicHash::hash(QByteArray::fromStdString(file), QCryptographicHash::Sha256).toHex());
    QCOMPARE(j["traces"].get<int>(), 1);
    QCOMPARE(j["diagnostics"]["INVALID_JSON"].get<int>(), 1);
    QCOMPARE(j["diagnostics"]["INCOMPLETE_LAST_LINE"].get<int>(), 1);
    QCOMPARE(j["diagnostics"]["DUPLICATE_EVENT_ID"].get<int>(), 1);
    QVERIFY(j["mb_per_second"].get<double>() > 0);

    const QByteArray text = run({QStringLiteral("--audit-file"), QStringLiteral("sample-audits/damaged.jsonl"),
                                 QStringLiteral("--stats"), QStringLiteral("--quiet")},
                                &exitCode, &err);
    QVERIFY(text.contains("sha256: " + j["sha256"].get<std::string>()));
    QVERIFY(QString::fromUtf8(text).contains(QRegularExpression(QStringLiteral("load: [0-9.]+ s index"))));
}

// A filter nested 10,000 deep crashed the CLI (stack overflow, rc 139): it is
// a usage error now, with the column, and nothing is written.
void TestCli::hostileFilter_data()
{
    QTest::addColumn<QByteArray>("filter");
    QTest::addColumn<QString>("message");
    QTest::newRow("10,000 parentheses") << (QByteArray(10000, '(') + "x" + QByteArray(10000, ')'))
                                        << QStringLiteral("nested too deeply at column 65");
    QTest::newRow("30,000 NOT") << (QByteArray("NOT ").repeated(30000) + "x")
                                << QStringLiteral("nested too deeply at column 257");
    QTest::newRow("too many terms") << QByteArray("x ").repeated(5000) << QStringLiteral("Too many terms at column 8193");
}

void TestCli::hostileFilter()
{
    QFETCH(QByteArray, filter);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString bundle = dir.filePath(QStringLiteral("o.zip"));
    int exitCode = -1;
    QByteArray err;
    const QByteArray out = run({QStringLiteral("--audit-file"), QStringLiteral("sample-audits/finance-email-blocked.jsonl"),
                                QStringLiteral("--evidence"), bundle, QStringLiteral("--filter"), QString::fromLatin1(filter)},
                               &exitCode, &err);
    QCOMPARE(exitCode, 2);
    QVERIFY2(err.contains("--filter") && QString::fromUtf8(err).contains(message), err.constData());
    QVERIFY(out.isEmpty());
    QVERIFY(!QFile::exists(bundle));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
