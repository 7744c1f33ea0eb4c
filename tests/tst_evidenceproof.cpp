// Evidence that proves itself (issue #10, mechanism 5): a bundle of any input
// we can open verifies straight after export, the exporter refuses what it
// could not verify, custody entries are bound in full, bytes around the ZIP
// and junk in the signature member fail, limits are checked before work, and
// the verifier checks the manifest before inflating what it lists.
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/minisign.h"
#include "tests/testutil.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace rw;

namespace {

QString sample(const QString& name) { return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + name; }

void writeBytes(const QString& path, const std::string& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes.data(), static_cast<qint64>(bytes.size())), static_cast<qint64>(bytes.size()));
}

void writeZip(const std::vector<BundleEntry>& entries, const QString& path)
{
    QuaZip zip(path);
    QVERIFY(zip.open(QuaZip::mdCreate));
    for (const BundleEntry& e : entries) {
        QuaZipFile f(&zip);
        QVERIFY(f.open(QIODevice::WriteOnly, QuaZipNewInfo(QString::fromStdString(e.name))));
        f.write(e.bytes.data(), static_cast<qint64>(e.bytes.size()));
        f.close();
    }
    zip.close();
}

const CheckItem* findItem(const VerifyReport& r, const std::string& item)
{
    for (const CheckItem& i : r.items)
        if (i.item == item)
            return &i;
    return nullptr;
}

QString failures(const VerifyReport& r)
{
    QStringList out;
    for (const CheckItem& i : r.items)
        if (i.status == CheckStatus::Fail)
            out << QString::fromStdString(i.item + ": " + i.detail);
    return out.join(QStringLiteral("; "));
}

std::uint32_t le32(const std::string& b, std::size_t at)
{
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
    return v;
}

void putLe32(std::string& b, std::size_t at, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        b[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// The archive with `prefix` in front and every offset shifted to match, as a
// self-extracting archive is built: minizip accepts it as it is.
std::string prependShifted(std::string zip, const std::string& prefix)
{
    const std::size_t eocd = zip.size() - 22; // our archives carry no comment
    const std::uint32_t shift = static_cast<std::uint32_t>(prefix.size());
    const std::uint32_t cdOffset = le32(zip, eocd + 16);
    std::size_t at = cdOffset;
    while (at < eocd && le32(zip, at) == 0x02014b50u) {
        putLe32(zip, at + 42, le32(zip, at + 42) + shift);
        const auto u16 = [&](std::size_t p) { return static_cast<std::size_t>(static_cast<unsigned char>(zip[p]) | (static_cast<unsigned char>(zip[p + 1]) << 8)); };
        at += 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
    }
    putLe32(zip, eocd + 16, cdOffset + shift);
    return prefix + zip;
}

std::unique_ptr<ReplayModel> loadFile(const QString& path)
{
    LoadResult r = AuditLoader::loadFile(path.toStdString());
    return std::move(r.model);
}

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
    void custodyBoundInFull_data();
    void custodyBoundInFull();
    void bytesAroundTheArchive_data();
    void bytesAroundTheArchive();
    void signatureJunk_data();
    void signatureJunk();
    void tooManyTracesRefusedBeforeWork();
    void tooManyBytesRefusedBeforeWork();
    void manifestCheckedBeforeInflating();
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
    Workspace ws;
    ws.addFile(loadFile(source));
    EvidenceRequest req;
    req.ws = &ws;
    for (std::uint32_t r = 0; r < ws.rows().size(); ++r)
        req.rows.push_back(r);
    req.examiner = "Examiner";
    req.graphSvg = false;
    if (sign)
        req.signKey = m_key;
    const QString path = m_dir.filePath(name);
    const EvidenceResult result = writeEvidenceBundle(req, path.toStdString());
    if (!result.ok)
        qWarning("export of %s failed: %s", qPrintable(source), result.error.c_str());
    return result.ok ? path : QString();
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

void TestEvidenceProof::custodyBoundInFull_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<QString>("find");
    QTest::addColumn<QString>("replace");
    const QString exportEntry = QStringLiteral("custody/0001-export.json");
    QTest::newRow("export: a note added") << exportEntry << QStringLiteral("{\"action\"")
                                         << QStringLiteral("{\"note\":\"reviewed and approved by the court\",\"action\"");
    QTest::newRow("export: tool replaced") << exportEntry << QStringLiteral("\"tool\":\"aisecops-replay ")
                                          << QStringLiteral("\"tool\":\"FTK Imager 4.7 (court-certified) ");
    QTest::newRow("export: trace count") << exportEntry << QStringLiteral("\"traces\":1")
                                        << QStringLiteral("\"traces\":7");
    QTest::newRow("export: not canonical") << exportEntry << QStringLiteral("\"action\":")
                                          << QStringLiteral("\"action\" :");
    QTest::newRow("verify: a claim added") << QStringLiteral("custody/0002-verify.json") << QStringLiteral("{\"action\"")
                                          << QStringLiteral("{\"approved\":\"by the court\",\"action\"");
    QTest::newRow("verify: not canonical") << QStringLiteral("custody/0002-verify.json") << QStringLiteral("}")
                                          << QStringLiteral("}\n");
}

void TestEvidenceProof::custodyBoundInFull()
{
    QFETCH(QString, member);
    QFETCH(QString, find);
    QFETCH(QString, replace);
    const QString path = m_dir.filePath(QStringLiteral("custody.zip"));
    QFile::remove(path);
    QVERIFY(QFile::copy(m_bundle, path));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    VerifyOptions o;
    o.publicKey = m_key.pub();
    const VerifyReport before = verifyBundle(path.toStdString(), o);
    QVERIFY2(before.passed(), qPrintable(failures(before)));
    QCOMPARE(appendCustodyEntry(path.toStdString(), before, "verify", "second examiner", "test"), std::string());
    const VerifyReport appended = verifyBundle(path.toStdString(), o);
    QVERIFY2(appended.passed(), qPrintable(failures(appended)));

    BundleRead read = readBundle(path.toStdString());
    bool edited = false;
    for (BundleEntry& e : read.entries) {
        if (e.name != member.toStdString())
            continue;
        const std::size_t at = e.bytes.find(find.toStdString());
        QVERIFY2(at != std::string::npos, e.bytes.c_str());
        e.bytes.replace(at, static_cast<std::size_t>(find.size()), replace.toStdString());
        edited = true;
    }
    QVERIFY(edited);
    writeZip(read.entries, path);
    const VerifyReport r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    const CheckItem* custody = findItem(r, "custody log");
    QVERIFY(custody);
    QCOMPARE(custody->status, CheckStatus::Fail);
    QVERIFY2(custody->detail.find(member.toStdString()) != std::string::npos, custody->detail.c_str());
}

void TestEvidenceProof::bytesAroundTheArchive_data()
{
    QTest::addColumn<QByteArray>("edit");
    QTest::newRow("bytes prepended") << QByteArray("prepend");
    QTest::newRow("bytes appended") << QByteArray("append");
    QTest::newRow("a ZIP comment") << QByteArray("comment");
    QTest::newRow("prepended, offsets shifted (self-extractor style)") << QByteArray("shift");
    QTest::newRow("a second archive appended") << QByteArray("twice");
}

void TestEvidenceProof::bytesAroundTheArchive()
{
    QFETCH(QByteArray, edit);
    const std::string good = rwtest::readFile(m_bundle);
    const std::string junk = "#!/bin/sh\necho smuggled\nexit 0\n";
    std::string bad;
    if (edit == "prepend")
        bad = junk + good;
    else if (edit == "append")
        bad = good + junk;
    else if (edit == "comment") {
        bad = good;
        const std::size_t eocd = bad.size() - 22;
        bad[eocd + 20] = static_cast<char>(junk.size());
        bad += junk;
    } else if (edit == "shift") {
        bad = prependShifted(good, junk);
    } else {
        bad = good + good;
    }
    const QString path = m_dir.filePath(QStringLiteral("framed.zip"));
    writeBytes(path, bad);
    VerifyOptions o;
    o.publicKey = m_key.pub();
    const VerifyReport r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    const CheckItem* archive = findItem(r, "archive");
    QVERIFY(archive);
    QVERIFY2(archive->status == CheckStatus::Fail, qPrintable(failures(r)));
    // the untouched bundle still passes: the check is not simply stricter on everything
    QVERIFY(verifyBundle(m_bundle.toStdString(), o).passed());
}

void TestEvidenceProof::signatureJunk_data()
{
    QTest::addColumn<QString>("variant");
    for (const char* v : {"extra line", "trailing bytes", "second signature", "CRLF", "CR at the end", "no final newline",
                          "blank line first", "space after base64", "NUL after"})
        QTest::newRow(v) << QString::fromLatin1(v);
}

void TestEvidenceProof::signatureJunk()
{
    QFETCH(QString, variant);
    BundleRead read = readBundle(m_bundle.toStdString());
    QVERIFY(read.error == BundleError::None);
    for (BundleEntry& e : read.entries) {
        if (e.name != kSignatureMember)
            continue;
        std::string& s = e.bytes;
        QVERIFY(s.size() > 10 && s.back() == '\n');
        if (variant == QLatin1String("extra line"))
            s += "untrusted comment: approved by the court\n";
        else if (variant == QLatin1String("trailing bytes"))
            s += "xx";
        else if (variant == QLatin1String("second signature"))
            s += s;
        else if (variant == QLatin1String("CRLF")) {
            std::string crlf;
            for (const char c : s)
                crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
            s = crlf;
        } else if (variant == QLatin1String("CR at the end"))
            s.insert(s.size() - 1, "\r");
        else if (variant == QLatin1String("no final newline"))
            s.pop_back();
        else if (variant == QLatin1String("blank line first"))
            s.insert(0, "\n");
        else if (variant == QLatin1String("space after base64"))
            s.insert(s.find('\n', s.find('\n') + 1), " ");
        else
            s += std::string(1, '\0');
    }
    const QString path = m_dir.filePath(QStringLiteral("sigjunk.zip"));
    writeZip(read.entries, path);
    VerifyOptions o;
    o.publicKey = m_key.pub();
    const VerifyReport r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    const CheckItem* sig = findItem(r, "signature");
    QVERIFY(sig);
    QVERIFY2(sig->status == CheckStatus::Fail, qPrintable(failures(r)));
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

void TestEvidenceProof::manifestCheckedBeforeInflating()
{
    // 24 MB that deflate ~4:1 (under the ratio guard): once as a member the
    // manifest does not list, once in place of a listed member it lists much smaller
    std::string big(24u << 20, 'a');
    QRandomGenerator rng(7);
    for (char& c : big)
        c = static_cast<char>('a' + (rng.generate() & 3));
    const BundleRead good = readBundle(m_bundle.toStdString());
    VerifyOptions o;
    o.publicKey = m_key.pub();
    const QString path = m_dir.filePath(QStringLiteral("inflate.zip"));

    std::vector<BundleEntry> entries = good.entries;
    entries.push_back({"traces/padding.bin", big});
    writeZip(entries, path);
    VerifyReport r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    QCOMPARE(findItem(r, "unlisted members")->status, CheckStatus::Fail);
    QVERIFY2(r.inflatedBytes < (1u << 20), qPrintable(QString::number(r.inflatedBytes)));

    entries = good.entries;
    for (BundleEntry& e : entries)
        if (e.name == "report.html")
            e.bytes = big;
    writeZip(entries, path);
    r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    const CheckItem* member = findItem(r, "member report.html");
    QVERIFY(member && member->status == CheckStatus::Fail);
    QVERIFY2(member->detail.find("not inflated") != std::string::npos, member->detail.c_str());
    QVERIFY2(r.inflatedBytes < (1u << 20), qPrintable(QString::number(r.inflatedBytes)));
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
