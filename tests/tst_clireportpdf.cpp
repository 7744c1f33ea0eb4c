// The CLI's report PDF comes from a module it loads at export time
// (rw-report-pdf), so that aisecops-replay links no Qt Gui: the build tree's
// CLI finds the module next to it, and without a usable module the bundle is
// still written and verified, without report.pdf, saying why in its notes.
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencereader.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

// `module`: RW_REPORT_PDF for the child; empty: the CLI looks on its own
Run runCli(const QString& dir, const QStringList& args, const QString& module = {})
{
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("RW_REPORT_PDF"));
    if (!module.isEmpty())
        env.insert(QStringLiteral("RW_REPORT_PDF"), module);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(RW_CLI_PATH), args);
    Run r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QStringList exportArgs(const QString& bundle)
{
    return {QStringLiteral("--audit-file"), QStringLiteral(RW_SOURCE_DIR "/sample-audits/mcp-call.jsonl"), QStringLiteral("--filter"),
            QStringLiteral("trace:*"), QStringLiteral("--evidence"), bundle, QStringLiteral("--no-svg"), QStringLiteral("--quiet")};
}

} // namespace

class TestCliReportPdf : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void buildTreeFindsTheModule();
    void withoutTheModule_data();
    void withoutTheModule();
};

void TestCliReportPdf::buildTreeFindsTheModule()
{
    QTemporaryDir dir;
    const Run r = runCli(dir.path(), exportArgs(QStringLiteral("b.zip")));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(!r.err.contains("report.pdf"), r.err.constData());
    const Run v = runCli(dir.path(), {QStringLiteral("--verify"), QStringLiteral("b.zip")});
    QVERIFY2(v.exitCode == 0, v.out.constData());
    QVERIFY2(v.out.contains("PASS  member report.pdf: "), v.out.constData());
}

void TestCliReportPdf::withoutTheModule_data()
{
    QTest::addColumn<QString>("module");
    QTest::addColumn<QByteArray>("why");
    QTest::newRow("missing") << QStringLiteral("/nonexistent/rw-report-pdf.so")
                             << QByteArray("no report.pdf: the PDF renderer was not found at /nonexistent/rw-report-pdf.so");
    QTest::newRow("not a library") << QStringLiteral(RW_SOURCE_DIR "/README.md") << QByteArray("could not be loaded: ");
    // a library, but not the renderer (none of its symbols)
    QTest::newRow("another library") << QStringLiteral("/lib/x86_64-linux-gnu/libz.so.1")
                                     << QByteArray("is not this version's PDF renderer (missing rw_report_pdf_abi)");
}

void TestCliReportPdf::withoutTheModule()
{
    QFETCH(QString, module);
    QFETCH(QByteArray, why);
    if (!QFile::exists(module) && !module.startsWith(QLatin1String("/nonexistent")))
        QSKIP("no such library on this system");
    QTemporaryDir dir;
    const Run r = runCli(dir.path(), exportArgs(QStringLiteral("b.zip")), module);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("Wrote b.zip: 1 trace, "), r.out.constData());
    // said once, as a note, and nothing else is
    QVERIFY2(r.err.startsWith("Note: ") && r.err.contains(why) && r.err.count('\n') == 1, r.err.constData());
    const Run v = runCli(dir.path(), {QStringLiteral("--verify"), QStringLiteral("b.zip")});
    QVERIFY2(v.exitCode == 0, v.out.constData());
    QVERIFY2(v.out.contains("PASS  member report.html: "), v.out.constData());
    QVERIFY2(!v.out.contains("report.pdf"), v.out.constData());
    // the bundle records why it has no PDF (the signed manifest's export_notes)
    const rw::BundleRead read = rw::readBundle(dir.filePath(QStringLiteral("b.zip")).toStdString());
    const rw::BundleEntry* manifest = read.find(rw::kManifestMember);
    QVERIFY(manifest);
    const nlohmann::json notes = nlohmann::json::parse(manifest->bytes)["export_notes"];
    QCOMPARE(notes.size(), std::size_t(1));
    QVERIFY2(QByteArray::fromStdString(notes[0].get<std::string>()).contains(why), notes.dump().c_str());
}

QTEST_GUILESS_MAIN(TestCliReportPdf)
#include "tst_clireportpdf.moc"
