// Evidence that proves itself (issue #10, mechanism 5), the exporter's side:
// a bundle of any input we can open verifies straight after export, the
// exporter refuses what it could not verify, limits are checked before work,
// and a source changed since it was loaded is said so. The verifier's
// strictness on a signed bundle: tst_evidencestrict.
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/minisign.h"
#include "tests/evidencetestutil.h"
#include "tests/testutil.h"

#include <QDir>
#include <QTemporaryDir>
#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace rw;
using rwtest::failures;
using rwtest::findItem;
using rwtest::loadFile;
using rwtest::sample;
using rwtest::writeBytes;

namespace {

// Every file of sample-audits/ that loads as audit data.
QStringList sampleAudits()
{
    return QDir(QStringLiteral(RW_SOURCE_DIR "/sample-audits")).entryList({QStringLiteral("*.jsonl"), QStringLiteral("*.json")}, QDir::Files, QDir::Name);
}

} // namespace

class TestEvidenceProof : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void freshExportVerifies_data();
    void freshExportVerifies();
    void exporterRefusesWhatFailsVerification();
    void tooManyTracesRefusedBeforeWork();
    void tooManyBytesRefusedBeforeWork();
    void sourceChangedSinceLoad();

private:
    QString exportAll(const QString& source, const QString& name, bool sign);

    QTemporaryDir m_dir;
    MinisignSecretKey m_key;
    QString m_bundle; // signed, of untrusted-skill-restart.jsonl
};

void TestEvidenceProof::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_key = *generateMinisignKey();
    m_bundle = exportAll(sample(QStringLiteral("untrusted-skill-restart.jsonl")), QStringLiteral("base.zip"), true);
    QVERIFY(!m_bundle.isEmpty());
}

QString TestEvidenceProof::exportAll(const QString& source, const QString& name, bool sign)
{
    return rwtest::exportAll(source, m_dir.filePath(name), sign ? &m_key : nullptr);
}

void TestEvidenceProof::freshExportVerifies_data()
{
    QTest::addColumn<QString>("source");
    for (const QString& f : sampleAudits())
        QTest::newRow(qPrintable(f)) << sample(f);
    // the run-trace forms besides the pretty-printed sample: one line per run
    // (JSONL), a one-line document, and a pretty-printed array of runs
    const std::string pretty = rwtest::readFile(sample(QStringLiteral("run-trace-report.json")));
    const nlohmann::json run = nlohmann::json::parse(pretty);
    nlohmann::json second = run;
    second["run_id"] = "run-second";
    const QString jsonl = m_dir.filePath(QStringLiteral("runs.jsonl"));
    writeBytes(jsonl, run.dump() + "\n" + second.dump() + "\n");
    QTest::newRow("run-trace JSONL") << jsonl;
    const QString oneLine = m_dir.filePath(QStringLiteral("run-one-line.json"));
    writeBytes(oneLine, run.dump());
    QTest::newRow("run-trace on one line") << oneLine;
    const QString array = m_dir.filePath(QStringLiteral("run-array.json"));
    writeBytes(array, nlohmann::json::array({run, second}).dump(4) + "\r\n");
    QTest::newRow("run-trace array, CRLF at the end") << array;
    // rotated logs, compressed: the manifest holds the stored file's hash, the
    // records are the decompressed lines at their offsets in the stream
    for (const auto& [tool, suffix] : {std::pair{"gzip", ".gz"}, std::pair{"zstd", ".zst"}}) {
        QProcess p;
        p.start(QString::fromLatin1(tool), {QStringLiteral("-c"), sample(QStringLiteral("finance-email-blocked.jsonl"))});
        if (!p.waitForFinished(30000) || p.exitCode() != 0)
            QFAIL("gzip and zstd are needed (scripts/install-deps.sh installs them)");
        const QByteArray packed = p.readAllStandardOutput();
        const QString path = m_dir.filePath(QStringLiteral("rotated.jsonl") + QString::fromLatin1(suffix));
        writeBytes(path, packed.toStdString());
        QTest::newRow(tool) << path;
    }
}

void TestEvidenceProof::freshExportVerifies()
{
    QFETCH(QString, source);
    const QString bundle = exportAll(source, QStringLiteral("fresh.zip"), true);
    QVERIFY2(!bundle.isEmpty(), "the export failed");
    VerifyOptions o;
    o.publicKey = m_key.pub();
    o.sourceFiles = {source.toStdString()};
    const VerifyReport r = verifyBundle(bundle.toStdString(), o);
    QVERIFY2(r.passed(), qPrintable(failures(r)));
    QCOMPARE(findItem(r, "original lines")->status, CheckStatus::Pass);
    QCOMPARE(findItem(r, "lines in " + source.toStdString())->status, CheckStatus::Pass);
    // the records are the source's bytes at their offsets, byte for byte
    const BundleRead read = readBundle(bundle.toStdString());
    const auto index = nlohmann::json::parse(read.find("audit/index.json")->bytes);
    const std::string& records = read.find("audit/lines.jsonl")->bytes;
    // (for a compressed source: its decompressed stream, which the offsets refer to)
    const std::unique_ptr<ReplayModel> loaded = loadFile(source);
    const std::string original(loaded->bytes());
    QVERIFY(!index.empty());
    for (const auto& e : index) {
        QVERIFY(e.contains("record_offset") && e.contains("bytes") && e.contains("byte_offset"));
        const std::string record = records.substr(e["record_offset"].get<std::size_t>(), e["bytes"].get<std::size_t>());
        QCOMPARE(record, original.substr(e["byte_offset"].get<std::size_t>(), e["bytes"].get<std::size_t>()));
    }
}

void TestEvidenceProof::exporterRefusesWhatFailsVerification()
{
    Workspace ws;
    ws.addFile(loadFile(sample(QStringLiteral("mcp-call.jsonl"))));
    EvidenceRequest req;
    req.ws = &ws;
    req.rows = {0};
    req.graphSvg = false;
    // a key whose public half is not the secret one's: the signature it makes
    // does not verify, and the exporter must notice before reporting success
    MinisignSecretKey broken = m_key;
    broken.publicKey[0] = static_cast<unsigned char>(broken.publicKey[0] ^ 1);
    req.signKey = broken;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("refused.zip"));
    const EvidenceResult r = writeEvidenceBundle(req, path.toStdString());
    QVERIFY(!r.ok);
    QVERIFY2(r.error.find("verif") != std::string::npos && r.error.find("signature") != std::string::npos, r.error.c_str());
    QVERIFY(!QFile::exists(path));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList()); // no temporary file left either
}

void TestEvidenceProof::tooManyTracesRefusedBeforeWork()
{
    // 40,000 one-event traces make more members than the reader accepts
    // (200,000): refused before any trace is built, nothing written
    std::string file;
    for (int i = 0; i < 40000; ++i)
        file += R"({"timestamp": "2025-12-01T08:00:00+00:00", "allowed": true, "reason": "ok", "agent_name": "a", "tool_name": "t", "trace_id": "t-)" +
                std::to_string(i) + "\"}\n";
    const QString source = m_dir.filePath(QStringLiteral("many.jsonl"));
    writeBytes(source, file);
    Workspace ws;
    ws.addFile(loadFile(source));
    QCOMPARE(ws.rows().size(), std::size_t(40000));
    EvidenceRequest req;
    req.ws = &ws;
    for (std::uint32_t r = 0; r < ws.rows().size(); ++r)
        req.rows.push_back(r);
    req.graphSvg = false;
    std::size_t progress = 0;
    req.progress = [&](std::size_t, std::size_t) {
        ++progress;
        return true;
    };
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("many.zip"));
    const EvidenceResult r = writeEvidenceBundle(req, path.toStdString());
    QVERIFY(!r.ok);
    QVERIFY2(r.error.find("limit") != std::string::npos && r.error.find("40000 traces") != std::string::npos, r.error.c_str());
    QCOMPARE(progress, std::size_t(0)); // nothing was built
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
}

void TestEvidenceProof::tooManyBytesRefusedBeforeWork()
{
    Workspace ws;
    ws.addFile(loadFile(sample(QStringLiteral("finance-email-blocked.jsonl"))));
    EvidenceRequest req;
    req.ws = &ws;
    req.rows = {0};
    req.graphSvg = false;
    req.limits.maxMemberBytes = 4096; // the trace's original lines alone are ~35 KB
    std::size_t progress = 0;
    req.progress = [&](std::size_t, std::size_t) {
        ++progress;
        return true;
    };
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.zip"));
    const EvidenceResult r = writeEvidenceBundle(req, path.toStdString());
    QVERIFY(!r.ok);
    QVERIFY2(r.error.find("audit/lines.jsonl") != std::string::npos && r.error.find("limit") != std::string::npos, r.error.c_str());
    QCOMPARE(progress, std::size_t(0));
    QVERIFY(!QFile::exists(path));
}

void TestEvidenceProof::sourceChangedSinceLoad()
{
    const QString copy = m_dir.filePath(QStringLiteral("growing.jsonl"));
    const std::string original = rwtest::readFile(sample(QStringLiteral("mcp-call.jsonl")));
    writeBytes(copy, original);
    Workspace ws;
    ws.addFile(loadFile(copy));
    // the writer goes on after the load (appending: the loaded bytes stay mapped as they were)
    QFile grow(copy);
    QVERIFY(grow.open(QIODevice::Append));
    grow.write("\n");
    grow.close();
    EvidenceRequest req;
    req.ws = &ws;
    req.rows = {0};
    req.graphSvg = false;
    const QString path = m_dir.filePath(QStringLiteral("changed.zip"));
    const EvidenceResult r = writeEvidenceBundle(req, path.toStdString());
    QVERIFY2(r.ok, r.error.c_str());
    std::string notes;
    for (const std::string& n : r.notes)
        notes += n + "\n";
    QVERIFY2(notes.find("changed on disk since it was loaded") != std::string::npos, notes.c_str());
    const VerifyReport v = verifyBundle(path.toStdString(), {});
    QVERIFY2(v.passed(), qPrintable(failures(v)));
    // the bundle says so too, and keeps the hash of what was loaded (not of the file now)
    const std::string exportNotes = v.manifest.value("export_notes", nlohmann::json::array()).dump();
    QVERIFY2(exportNotes.find("changed on disk since it was loaded") != std::string::npos, exportNotes.c_str());
    QCOMPARE(v.manifest["sources"][0]["sha256"].get<std::string>(), sha256Hex(original));
}

QTEST_GUILESS_MAIN(TestEvidenceProof)
#include "tst_evidenceproof.moc"
