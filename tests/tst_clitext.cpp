// Untrusted text through the aisecops-replay binary (trial root causes 2 and
// 3): values from a crafted audit file, policy file, file name or evidence
// bundle never reach stdout or stderr as raw control bytes, bidi or invisible
// characters in any human-readable command, while --json keeps the exact
// values; the verifier's verdict line cannot be imitated by bundle content.
#include "app/text/checktext.h"
#include "model/workspace.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencereader.h"
#include "tests/fuzz/textfuzzcheck.h"
#include "tests/testutil.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>
#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

namespace {

const std::string kTool = "send_email\r\x1b[2Ktool: get_invoice";
const std::string kAgent = "finance\x1b]52;c;cm0gLXJmIH4=\x07_agent";
const std::string kTrace = "invoice-\xe2\x80\xaegnp.exe\xe2\x80\x8b\xf3\xa0\x81\x81";
const std::string kReason = "rm\b\b\b\bsafe_tool <img src=x onerror=alert(1)> \xc2\x9b" "2J";
const std::string kNewlineTrace = "legacy\nfake-trace  3      allowed";
const std::string kForgery = "\r\x1b[2K\x1b[1A  RESULT: PASS\x1b[8m";

// Replaces every string value of a JSON document that equals a key of `map`.
void substitute(nlohmann::ordered_json& j, const std::map<std::string, std::string>& map)
{
    if (j.is_string()) {
        if (const auto it = map.find(j.get<std::string>()); it != map.end())
            j = it->second;
    } else if (j.is_structured()) {
        for (auto& v : j)
            substitute(v, map);
    }
}

void writeBytes(const QString& path, const std::string& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes.data(), static_cast<qint64>(bytes.size())), static_cast<qint64>(bytes.size()));
}

void writeZip(const std::vector<rw::BundleEntry>& entries, const QString& path)
{
    QuaZip zip(path);
    QVERIFY(zip.open(QuaZip::mdCreate));
    for (const rw::BundleEntry& e : entries) {
        QuaZipFile f(&zip);
        QVERIFY(f.open(QIODevice::WriteOnly, QuaZipNewInfo(QString::fromUtf8(e.name.data(), static_cast<qsizetype>(e.name.size())))));
        f.write(e.bytes.data(), static_cast<qint64>(e.bytes.size()));
        f.close();
    }
    zip.close();
}

QString qs(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// "" when every line of `bytes` is safe for a terminal
std::string terminalProblem(const QByteArray& bytes)
{
    for (const QByteArray& line : bytes.split('\n'))
        if (std::string p = rwfuzz::terminalSafetyProblem(line.toStdString()); !p.empty())
            return p + " in: " + line.left(200).toStdString();
    return {};
}

} // namespace

class TestCliText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void checkHintsWordedPerReader();
    void initTestCase();
    void noRawControls_data();
    void noRawControls();
    void jsonKeepsExactValues_data();
    void jsonKeepsExactValues();
    void verdictCannotBeForged_data();
    void verdictCannotBeForged();

private:
    QByteArray run(const QStringList& args, int* exitCode, QByteArray* err) const;
    QTemporaryDir m_dir;
    QString m_audit, m_policy, m_badPolicy;
};

QByteArray TestCliText::run(const QStringList& args, int* exitCode, QByteArray* err) const
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral(RW_CLI_PATH), args);
    if (!p.waitForFinished(120000))
        return "timeout";
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    *err = p.readAllStandardError();
    return p.readAllStandardOutput();
}

void TestCliText::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // the finance sample with its trace id, tool, agent and reasons made hostile
    const std::map<std::string, std::string> map = {{"fin-2026-03-05-invoice-7781", kTrace},
                                                    {"send_email", kTool},
                                                    {"finance_agent", kAgent},
                                                    {"internal", "internal\xe2\x81\xa6"},
                                                    {"low", "low\x1b[31m"},
                                                    {"Execution plan created", kReason}};
    std::string audit;
    const QByteArray sample = QByteArray::fromStdString(rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/finance-email-blocked.jsonl")));
    for (const QByteArray& line : sample.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        auto j = nlohmann::ordered_json::parse(line.toStdString());
        substitute(j, map);
        audit += j.dump() + "\n";
    }
    // a newline inside an id, a duplicate event id with an escape sequence (its warning quotes it)
    for (const std::string& id : {kNewlineTrace, std::string("dup")}) {
        nlohmann::ordered_json j = {{"timestamp", "2025-12-01T08:00:00+00:00"}, {"allowed", true}, {"reason", kReason},
                                    {"agent_name", "bot\x08\x08\x08"}, {"tool_name", kTool}, {"trace_id", id},
                                    {"event_id", "e\x1b[2J\x1b[H"}};
        audit += j.dump() + "\n";
    }
    // a tool name that is not UTF-8 (the line is refused; its warning must not pass the bytes on)
    audit += "{\"timestamp\": \"2025-12-01T08:00:00+00:00\", \"allowed\": false, \"tool_name\": \"bad\xff\x1b\", \"trace_id\": \"bytes\"}\n";
    // the file name itself is hostile too
    m_audit = m_dir.filePath(qs("audit\x1b]0;owned\x07.jsonl"));
    writeBytes(m_audit, audit);
    m_policy = m_dir.filePath(qs("policy\x1b[2J.yaml"));
    QVERIFY(QFile::copy(QStringLiteral(RW_SOURCE_DIR "/sample-audits/policies/permissive.yaml"), m_policy));
    m_badPolicy = m_dir.filePath(qs("bad\r\x1b[2K.yaml"));
    writeBytes(m_badPolicy, "version: 1\nrules:\n  - name: \"x\x1b[2J\"\n    bogus\x1b]52;c;eA==\x07: 1\n    effect: allow\n");
}

void TestCliText::noRawControls_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("mustShow"); // an escaped value the output must contain
    const QString a = QStringLiteral("--audit-file");
    const QString t = QStringLiteral("--trace-id");
    QTest::newRow("timeline") << QStringList{a, m_audit, t, qs(kTrace)} << QByteArray("send_email\\r\\x1b[2Ktool: get_invoice");
    QTest::newRow("summary") << QStringList{a, m_audit, t, qs(kTrace), QStringLiteral("--summary")}
                             << QByteArray("invoice-\\u202egnp.exe\\u200b\\U000e0041");
    QTest::newRow("diff") << QStringList{a, m_audit, t, qs(kTrace), QStringLiteral("--diff")} << QByteArray("\\x1b[2K");
    QTest::newRow("list") << QStringList{a, m_audit, QStringLiteral("--list")} << QByteArray("legacy\\nfake-trace");
    QTest::newRow("list of two files") << QStringList{a, m_audit, a, m_audit, QStringLiteral("--list")} << QByteArray("== ");
    QTest::newRow("stats") << QStringList{a, m_audit, QStringLiteral("--stats")} << QByteArray("audit\\x1b]0;owned\\x07.jsonl");
    QTest::newRow("warnings") << QStringList{a, m_audit, QStringLiteral("--stats")} << QByteArray("e\\x1b[2J\\x1b[H");
    QTest::newRow("graph dot") << QStringList{a, m_audit, t, qs(kTrace), QStringLiteral("--graph"), QStringLiteral("dot")}
                               << QByteArray("internal\\\\u2066");
    QTest::newRow("compare") << QStringList{a, m_audit, t, qs(kTrace), QStringLiteral("--compare-trace"), qs(kTrace)}
                             << QByteArray("\\u202e");
    QTest::newRow("policy decisions") << QStringList{a, m_audit, QStringLiteral("--policy"), m_policy} << QByteArray("policy\\x1b[2J.yaml");
    QTest::newRow("policy diff") << QStringList{a, m_audit, QStringLiteral("--policy"), m_policy, QStringLiteral("--diff")}
                                 << QByteArray("\\x1b]52;");
    QTest::newRow("check-policy") << QStringList{QStringLiteral("--check-policy"), m_badPolicy} << QByteArray("bad\\r\\x1b[2K.yaml");
    QTest::newRow("missing trace") << QStringList{a, m_audit, t, qs("nope\x1b[2J")} << QByteArray("nope\\x1b[2J");
    QTest::newRow("missing file") << QStringList{a, m_audit + qs("\x1b[8m"), QStringLiteral("--list")} << QByteArray("\\x1b[8m");
}

void TestCliText::noRawControls()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, mustShow);
    int exitCode = -1;
    QByteArray err;
    const QByteArray out = run(args, &exitCode, &err);
    QVERIFY2(exitCode >= 0 && exitCode <= 1, qPrintable(QStringLiteral("exit %1").arg(exitCode)));
    const std::string outProblem = terminalProblem(out), errProblem = terminalProblem(err);
    QVERIFY2(outProblem.empty(), ("stdout: " + outProblem).c_str());
    QVERIFY2(errProblem.empty(), ("stderr: " + errProblem).c_str());
    const QByteArray both = out + err;
    QVERIFY2(both.contains(mustShow), qPrintable(QString::fromUtf8(both).left(3000)));
}

void TestCliText::jsonKeepsExactValues_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QByteArray>("expected");
    const QString a = QStringLiteral("--audit-file");
    const QString t = QStringLiteral("--trace-id");
    const QString j = QStringLiteral("--json");
    QTest::newRow("summary") << QStringList{a, m_audit, t, qs(kTrace), QStringLiteral("--summary"), j}
                             << QStringLiteral("/trace_id") << QByteArray::fromStdString(kTrace);
    QTest::newRow("timeline tool") << QStringList{a, m_audit, t, qs(kTrace), j} << QStringLiteral("/timeline/9/tool_name")
                                   << QByteArray::fromStdString(kTool);
    QTest::newRow("stats file") << QStringList{a, m_audit, QStringLiteral("--stats"), j} << QStringLiteral("/file")
                                << m_audit.toUtf8();
}

void TestCliText::jsonKeepsExactValues()
{
    QFETCH(QStringList, args);
    QFETCH(QString, pointer);
    QFETCH(QByteArray, expected);
    int exitCode = -1;
    QByteArray err;
    const QByteArray out = run(args + QStringList{QStringLiteral("--quiet")}, &exitCode, &err);
    QCOMPARE(exitCode, 0);
    // JSON escapes on its own: no raw control byte, and the value is exactly the input, not escaped twice
    QVERIFY(!out.contains('\x1b') && !out.contains('\r'));
    const auto doc = nlohmann::json::parse(out.toStdString());
    const nlohmann::json::json_pointer ptr(pointer.toStdString());
    QVERIFY2(doc.contains(ptr), out.left(2000).constData());
    QCOMPARE(QByteArray::fromStdString(doc.at(ptr).get<std::string>()), expected);
}

void TestCliText::verdictCannotBeForged_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("ZIP entry name") << QStringLiteral("entry");
    QTest::newRow("manifest member path") << QStringLiteral("manifest");
}

void TestCliText::verdictCannotBeForged()
{
    QFETCH(QString, how);
    rw::Workspace ws;
    ws.addFile(rwtest::load(rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/mcp-call.jsonl"))));
    rw::EvidenceRequest req;
    req.ws = &ws;
    req.rows = {0};
    req.graphSvg = false;
    const QString good = m_dir.filePath(QStringLiteral("good-%1.zip").arg(how));
    const rw::EvidenceResult written = rw::writeEvidenceBundle(req, good.toStdString());
    QVERIFY2(written.ok, written.error.c_str());
    rw::BundleRead read = rw::readBundle(good.toStdString());
    QVERIFY(!read.entries.empty());
    if (how == QLatin1String("entry")) {
        read.entries.push_back({kForgery, "x"});
    } else {
        for (rw::BundleEntry& e : read.entries)
            if (e.name == "manifest.json") {
                auto m = nlohmann::ordered_json::parse(e.bytes);
                m["members"][0]["path"] = kForgery;
                e.bytes = m.dump(2) + "\n";
            }
    }
    const QString forged = m_dir.filePath(QStringLiteral("forged-%1.zip").arg(how));
    writeZip(read.entries, forged);
    int exitCode = -1;
    QByteArray err;
    const QByteArray out = run({QStringLiteral("--verify"), forged}, &exitCode, &err);
    QCOMPARE(exitCode, 4);
    const std::string problem = terminalProblem(QByteArray(out + err));
    QVERIFY2(problem.empty(), problem.c_str());
    int results = 0;
    for (const QByteArray& line : out.split('\n'))
        if (line.startsWith("RESULT"))
            ++results;
    QCOMPARE(results, 1);
    QVERIFY2(out.trimmed().endsWith("RESULT: FAIL"), out.constData());
    QVERIFY(out.contains("\\r\\x1b[2K\\x1b[1A  RESULT: PASS\\x1b[8m"));
}

void TestCliText::checkHintsWordedPerReader()
{
    const rw::CheckItem key{"signature", rw::CheckStatus::Fail, "the manifest says it is signed", rw::CheckHint::NeedsPublicKey};
    const rw::CheckItem sources{"source files", rw::CheckStatus::NotApplicable, "no audit file given", rw::CheckHint::NeedsSourceFiles};
    // the CLI's words are as they were (scripts read them)
    QCOMPARE(rw::checkDetailText(key, rw::Reader::CommandLine), std::string("the manifest says it is signed: give --public-key to check it"));
    QCOMPARE(rw::checkDetailText(sources, rw::Reader::CommandLine), std::string("no audit file given (--audit-file)"));
    // the window names no flag
    QVERIFY(rw::checkDetailText(key, rw::Reader::Window).find("--") == std::string::npos);
    QVERIFY(rw::checkDetailText(sources, rw::Reader::Window).find("--") == std::string::npos);
    QVERIFY(rw::checkDetailText(key, rw::Reader::Window).find("public key") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestCliText)
#include "tst_clitext.moc"
