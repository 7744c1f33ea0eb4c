// Evidence bundles: minisign keys and signatures, export and verification
// round trips, a tamper test per member, hostile archives, the custody log,
// the source check, and stock minisign accepting our signatures.
#include "app/text/checktext.h"
#include "model/tracequery.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/minisign.h"
#include "replay/policy/policybundle.h"
#include "replay/policy/workspacereevaluation.h"
#include "tests/testutil.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace rw;

namespace {

QString sample(const char* name) { return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + QLatin1String(name); }

std::unique_ptr<ReplayModel> loadFile(const QString& path)
{
    LoadResult r = AuditLoader::loadFile(path.toStdString());
    return std::move(r.model);
}

void writeZip(const std::vector<BundleEntry>& entries, const QString& path, bool stored = false)
{
    QuaZip zip(path);
    QVERIFY(zip.open(QuaZip::mdCreate));
    for (const BundleEntry& e : entries) {
        QuaZipFile f(&zip);
        QVERIFY(f.open(QIODevice::WriteOnly, QuaZipNewInfo(QString::fromStdString(e.name)), nullptr, 0, stored ? 0 : 8));
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

} // namespace

class TestEvidence : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void minisignRoundTrip();
    void minisignRejectsDamage();
    void roundTrip();
    void tamperEachMember_data();
    void tamperEachMember();
    void addedRemovedAndResigned();
    void signedManifestNeedsAKey();
    void hostileArchives_data();
    void hostileArchives();
    void unsafeNames_data();
    void unsafeNames();
    void custodyLog();
    void changedSource();
    void stockMinisignAccepts();
    void replayDiffCoversExportedTraces();
    void policyFilesMustBeWhatWasEvaluated();
    void hostileManifests_data();
    void hostileManifests();

private:
    QTemporaryDir m_dir;
    Workspace m_ws;
    MinisignSecretKey m_key, m_other;
    QString m_bundle;
};

void TestEvidence::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_ws.addFile(loadFile(sample("finance-email-blocked.jsonl")));
    m_ws.addFile(loadFile(sample("untrusted-skill-restart.jsonl")));
    m_ws.addFile(loadFile(sample("ops-restart-approval.jsonl")));
    m_key = *generateMinisignKey();
    m_other = *generateMinisignKey();
    EvidenceRequest req;
    req.ws = &m_ws;
    QueryError error;
    req.rows = TraceQuery::parse("tool:restart_service", &error).filter(m_ws);
    QCOMPARE(req.rows.size(), std::size_t(2));
    req.filter = "tool:restart_service";
    req.examiner = "Test Examiner";
    req.caseId = "CASE-1";
    req.signKey = m_key;
    req.graphSvg = false; // the helper is not needed for what is tested here
    req.policyFiles.push_back({"policy-strict.yaml", rwtest::readFile(sample("policies/strict.yaml"))});
    req.replayDiffJson = "{}\n";
    std::size_t progressCalls = 0;
    req.progress = [&](std::size_t, std::size_t) { return ++progressCalls > 0; };
    m_bundle = m_dir.filePath(QStringLiteral("bundle.zip"));
    const EvidenceResult r = writeEvidenceBundle(req, m_bundle.toStdString());
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(progressCalls, std::size_t(2));
    QCOMPARE(r.lines, std::size_t(14)); // 10 + 4 events
}

void TestEvidence::minisignRoundTrip()
{
    const std::string pubText = formatPublicKey(m_key.pub());
    const std::string secText = formatSecretKey(m_key);
    QVERIFY(secText.find("NOT ENCRYPTED") != std::string::npos);
    const auto pub = parsePublicKey(pubText);
    const auto sec = parseSecretKey(secText);
    QVERIFY(pub && sec);
    QCOMPARE(pub->key, m_key.publicKey);
    QCOMPARE(sec->seed, m_key.seed);
    const std::string message = "manifest bytes";
    const auto sig = parseSignature(signMinisign(*sec, message, "comment"));
    QVERIFY(sig);
    QCOMPARE(sig->trustedComment, std::string("comment"));
    QCOMPARE(verifyMinisign(*pub, *sig, message), SignatureCheck::Valid);
    QCOMPARE(verifyMinisign(*pub, *sig, "manifest bytez"), SignatureCheck::BadSignature);
    QCOMPARE(verifyMinisign(m_other.pub(), *sig, message), SignatureCheck::WrongKey);
    MinisignSignature edited = *sig;
    edited.trustedComment = "other comment";
    QCOMPARE(verifyMinisign(*pub, edited, message), SignatureCheck::BadTrustedComment);
}

void TestEvidence::minisignRejectsDamage()
{
    std::string sec = formatSecretKey(m_key);
    const std::size_t b64 = sec.find('\n') + 1;
    sec[b64 + 100] = sec[b64 + 100] == 'A' ? 'B' : 'A'; // inside the secret key: the checksum catches it
    std::string why;
    QVERIFY(!parseSecretKey(sec, &why));
    QVERIFY2(why.find("checksum") != std::string::npos, why.c_str());
    QVERIFY(!parsePublicKey("untrusted comment: x\nnot base64!\n"));
    QVERIFY(!parsePublicKey(""));
    QVERIFY(!parseSignature("untrusted comment: x\nAAAA\n"));
}

void TestEvidence::roundTrip()
{
    VerifyOptions o;
    o.publicKey = m_key.pub();
    o.sourceFiles = {sample("untrusted-skill-restart.jsonl").toStdString(), sample("ops-restart-approval.jsonl").toStdString()};
    const VerifyReport r = verifyBundle(m_bundle.toStdString(), o);
    QVERIFY2(r.passed(), qPrintable(failures(r)));
    QCOMPARE(findItem(r, "signature")->status, CheckStatus::Pass);
    QCOMPARE(findItem(r, "original lines")->status, CheckStatus::Pass);
    QCOMPARE(findItem(r, "lines in " + o.sourceFiles[0])->status, CheckStatus::Pass);
    QCOMPARE(r.manifest["selection"]["trace_ids"].size(), std::size_t(2));
    QCOMPARE(r.manifest["examiner"].get<std::string>(), std::string("Test Examiner"));
    QVERIFY(r.lines.find("skill-restart-prod-payments") != std::string::npos);
    // the exported lines are the file's bytes
    const std::string source = rwtest::readFile(sample("untrusted-skill-restart.jsonl"));
    QVERIFY(r.lines.find(source) != std::string::npos);
    const BundleRead read = readBundle(m_bundle.toStdString());
    for (const char* member : {"report.html", "audit/index.json", "audit/sources.json", "reevaluation/policy-strict.yaml",
                               "reevaluation/replay-diff.json", "traces/1-skill-restart-prod-payments/evidence.md",
                               "traces/2-ops-restart-orders/timeline.csv", "traces/2-ops-restart-orders/graph.dot"})
        QVERIFY2(read.find(member), member);
    // without the key and unsigned checks: an unsigned bundle is "not applicable", never a pass
    EvidenceRequest req;
    req.ws = &m_ws;
    req.rows = {0};
    req.graphSvg = false;
    const QString unsignedPath = m_dir.filePath(QStringLiteral("unsigned.zip"));
    QVERIFY(writeEvidenceBundle(req, unsignedPath.toStdString()).ok);
    const VerifyReport u = verifyBundle(unsignedPath.toStdString(), {});
    QVERIFY2(u.passed(), qPrintable(failures(u)));
    QCOMPARE(findItem(u, "signature")->status, CheckStatus::NotApplicable);
    VerifyOptions withKey;
    withKey.publicKey = m_key.pub();
    QVERIFY(!verifyBundle(unsignedPath.toStdString(), withKey).passed()); // a key given: a signature is required
}

void TestEvidence::tamperEachMember_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<QString>("failedItem");
    const BundleRead read = readBundle(m_bundle.toStdString());
    QVERIFY(read.error == BundleError::None);
    for (const BundleEntry& e : read.entries) {
        QString failed = QStringLiteral("member ") + QString::fromStdString(e.name);
        if (e.name == kManifestMember)
            failed = QStringLiteral("signature");
        else if (e.name == kSignatureMember)
            failed = QStringLiteral("signature");
        else if (e.name.rfind(kCustodyPrefix, 0) == 0)
            failed = QStringLiteral("custody log");
        QTest::newRow(e.name.c_str()) << QString::fromStdString(e.name) << failed;
    }
}

void TestEvidence::tamperEachMember()
{
    QFETCH(QString, member);
    QFETCH(QString, failedItem);
    BundleRead read = readBundle(m_bundle.toStdString());
    for (BundleEntry& e : read.entries) {
        if (e.name != member.toStdString())
            continue;
        // flip one byte in the middle (in the signature file: inside the base64 signature line)
        std::size_t at = e.bytes.size() / 2;
        if (e.name == kSignatureMember)
            at = e.bytes.find('\n') + 20;
        e.bytes[at] = static_cast<char>(e.bytes[at] ^ 0x01);
    }
    const QString path = m_dir.filePath(QStringLiteral("tampered.zip"));
    writeZip(read.entries, path);
    VerifyOptions o;
    o.publicKey = m_key.pub();
    const VerifyReport r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    const CheckItem* item = findItem(r, failedItem.toStdString());
    QVERIFY2(item && item->status == CheckStatus::Fail, qPrintable(failures(r)));
}

void TestEvidence::addedRemovedAndResigned()
{
    VerifyOptions o;
    o.publicKey = m_key.pub();
    const BundleRead original = readBundle(m_bundle.toStdString());
    const QString path = m_dir.filePath(QStringLiteral("edited.zip"));

    std::vector<BundleEntry> added = original.entries;
    added.push_back({"traces/extra.json", "{}"});
    writeZip(added, path);
    VerifyReport r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    QCOMPARE(findItem(r, "unlisted members")->status, CheckStatus::Fail);
    QVERIFY(findItem(r, "unlisted members")->detail.find("traces/extra.json") != std::string::npos);

    std::vector<BundleEntry> removed;
    for (const BundleEntry& e : original.entries)
        if (e.name != "report.html")
            removed.push_back(e);
    writeZip(removed, path);
    r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    QCOMPARE(findItem(r, "member report.html")->status, CheckStatus::Fail);

    // a signature from another bundle (another manifest) in place of this one
    EvidenceRequest other;
    other.ws = &m_ws;
    other.rows = {0};
    other.graphSvg = false;
    other.signKey = m_key;
    const QString otherPath = m_dir.filePath(QStringLiteral("other.zip"));
    QVERIFY(writeEvidenceBundle(other, otherPath.toStdString()).ok);
    std::vector<BundleEntry> swapped = original.entries;
    for (BundleEntry& e : swapped)
        if (e.name == kSignatureMember)
            e.bytes = readBundle(otherPath.toStdString()).find(kSignatureMember)->bytes;
    writeZip(swapped, path);
    r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    QCOMPARE(findItem(r, "signature")->status, CheckStatus::Fail);

    // re-signed with another key: checked against ours it fails and says so
    std::vector<BundleEntry> resigned = original.entries;
    for (BundleEntry& e : resigned)
        if (e.name == kSignatureMember)
            e.bytes = signMinisign(m_other, original.find(kManifestMember)->bytes, "forged");
    writeZip(resigned, path);
    r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    QVERIFY(findItem(r, "signature")->detail.find("another key") != std::string::npos);
}

void TestEvidence::signedManifestNeedsAKey()
{
    const VerifyReport r = verifyBundle(m_bundle.toStdString(), {});
    QVERIFY(!r.passed());
    // the hint is a code; the CLI words it as its flag (the window as its dialog)
    QCOMPARE(findItem(r, "signature")->hint, CheckHint::NeedsPublicKey);
    QVERIFY(checkDetailText(*findItem(r, "signature"), Reader::CommandLine).find("--public-key") != std::string::npos);
}

void TestEvidence::hostileArchives_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("error");
    const QString corpus = QStringLiteral(RW_SOURCE_DIR "/tests/fuzz/evidence-corpus/");
    QTest::newRow("zip slip") << corpus + QStringLiteral("zip-slip.zip") << QStringLiteral("unsafe_name");
    QTest::newRow("absolute path") << corpus + QStringLiteral("absolute.zip") << QStringLiteral("unsafe_name");
    QTest::newRow("backslashes") << corpus + QStringLiteral("backslash.zip") << QStringLiteral("unsafe_name");
    QTest::newRow("symlink") << corpus + QStringLiteral("symlink.zip") << QStringLiteral("symlink");
    QTest::newRow("duplicate names") << corpus + QStringLiteral("duplicate.zip") << QStringLiteral("duplicate_name");
    QTest::newRow("zip bomb") << corpus + QStringLiteral("bomb.zip") << QStringLiteral("compression_ratio");
    QTest::newRow("truncated") << corpus + QStringLiteral("truncated.zip") << QStringLiteral("not_an_archive");
    QTest::newRow("not a zip") << corpus + QStringLiteral("not-a-zip.zip") << QStringLiteral("not_an_archive");
    QTest::newRow("manifest not JSON") << corpus + QStringLiteral("manifest-not-json.zip") << QStringLiteral("manifest");
    // minizip refuses an archive without entries before we could miss its manifest
    QTest::newRow("empty archive") << corpus + QStringLiteral("empty.zip") << QStringLiteral("not_an_archive");
    QTest::newRow("missing file") << corpus + QStringLiteral("no-such.zip") << QStringLiteral("cannot_open");
}

void TestEvidence::hostileArchives()
{
    QFETCH(QString, file);
    QFETCH(QString, error);
    const VerifyReport r = verifyBundle(file.toStdString(), {});
    QVERIFY(!r.passed());
    QVERIFY(!r.items.empty());
    const CheckItem& failed = r.items.back();
    QCOMPARE(failed.status, CheckStatus::Fail);
    if (error == QLatin1String("manifest"))
        QCOMPARE(QString::fromStdString(failed.item), error);
    else
        QVERIFY2(failed.detail.rfind(error.toStdString(), 0) == 0, failed.detail.c_str());
    // nothing was written anywhere: the reader never extracts
    QVERIFY(!QFile::exists(QStringLiteral(RW_SOURCE_DIR "/tests/fuzz/evil.txt")));
}

void TestEvidence::unsafeNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("safe");
    QTest::newRow("plain") << QStringLiteral("traces/1-a/summary.json") << true;
    QTest::newRow("dots in a name") << QStringLiteral("a..b/c.json") << true;
    QTest::newRow("parent") << QStringLiteral("a/../../b") << false;
    QTest::newRow("leading parent") << QStringLiteral("../b") << false;
    QTest::newRow("dot") << QStringLiteral("./b") << false;
    QTest::newRow("absolute") << QStringLiteral("/b") << false;
    QTest::newRow("drive") << QStringLiteral("C:/b") << false;
    QTest::newRow("backslash") << QStringLiteral("a\\b") << false;
    QTest::newRow("double slash") << QStringLiteral("a//b") << false;
    QTest::newRow("control") << QStringLiteral("a\nb") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestEvidence::unsafeNames()
{
    QFETCH(QString, name);
    QFETCH(bool, safe);
    QCOMPARE(unsafeNameReason(name.toStdString()).empty(), safe);
}

void TestEvidence::custodyLog()
{
    const QString path = m_dir.filePath(QStringLiteral("custody.zip"));
    QFile::remove(path);
    QVERIFY(QFile::copy(m_bundle, path));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    VerifyOptions o;
    o.publicKey = m_key.pub();
    VerifyReport r = verifyBundle(path.toStdString(), o);
    QCOMPARE(r.custodyEntries, std::size_t(1));
    QCOMPARE(appendCustodyEntry(path.toStdString(), r, "verify", "second examiner", "test"), std::string());
    r = verifyBundle(path.toStdString(), o);
    QVERIFY2(r.passed(), qPrintable(failures(r)));
    QCOMPARE(r.custodyEntries, std::size_t(2));
    QVERIFY(findItem(r, "custody log")->detail.find("later entries are unsigned") != std::string::npos);
    const BundleRead good = readBundle(path.toStdString());
    // the export entry must agree with the signed manifest
    BundleRead read = good;
    for (BundleEntry& e : read.entries)
        if (e.name == "custody/0001-export.json")
            e.bytes.replace(e.bytes.find("Test Examiner"), 4, "Evil");
    writeZip(read.entries, path);
    r = verifyBundle(path.toStdString(), o);
    QVERIFY(!r.passed());
    QVERIFY(findItem(r, "custody log")->detail.find("0001-export.json") != std::string::npos);
    // a gap in the numbering, or a file smuggled under custody/, fails
    for (const char* name : {"custody/0003-verify.json", "custody/zz/payload.json"}) {
        read = good;
        for (BundleEntry& e : read.entries)
            if (e.name == "custody/0002-verify.json")
                e.name = name;
        writeZip(read.entries, path);
        r = verifyBundle(path.toStdString(), o);
        QVERIFY2(!r.passed(), name);
        QVERIFY(findItem(r, "custody log")->detail.find("expected next") != std::string::npos);
    }
}

void TestEvidence::changedSource()
{
    // a copy of the source, one byte changed inside an exported line after the export
    const QString copy = m_dir.filePath(QStringLiteral("untrusted-skill-restart.jsonl"));
    std::string bytes = rwtest::readFile(sample("untrusted-skill-restart.jsonl"));
    bytes[bytes.find("restart_service")] = 'R';
    QFile f(copy);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes.data(), static_cast<qint64>(bytes.size()));
    f.close();
    VerifyOptions o;
    o.publicKey = m_key.pub();
    o.sourceFiles = {copy.toStdString()};
    const VerifyReport r = verifyBundle(m_bundle.toStdString(), o);
    QVERIFY(!r.passed());
    QCOMPARE(findItem(r, "source " + copy.toStdString())->status, CheckStatus::Fail);
    const CheckItem* lines = findItem(r, "lines in " + copy.toStdString());
    QVERIFY(lines);
    QCOMPARE(lines->status, CheckStatus::Fail);
    QVERIFY2(lines->detail.rfind("1 of 4", 0) == 0, lines->detail.c_str());
}

void TestEvidence::stockMinisignAccepts()
{
    const QString minisign = QStandardPaths::findExecutable(QStringLiteral("minisign"));
    if (minisign.isEmpty())
        QSKIP("minisign is not installed (apt-get install minisign); our format is still checked by our own verifier");
    const BundleRead read = readBundle(m_bundle.toStdString());
    const QString manifest = m_dir.filePath(QStringLiteral("manifest.json"));
    const QString sig = m_dir.filePath(QStringLiteral("manifest.json.minisig"));
    const QString pub = m_dir.filePath(QStringLiteral("key.pub"));
    for (const auto& [path, bytes] : {std::pair{manifest, read.find(kManifestMember)->bytes},
                                      std::pair{sig, read.find(kSignatureMember)->bytes},
                                      std::pair{pub, formatPublicKey(m_key.pub())}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes.data(), static_cast<qint64>(bytes.size()));
    }
    QProcess p;
    p.start(minisign, {QStringLiteral("-V"), QStringLiteral("-p"), pub, QStringLiteral("-m"), manifest});
    QVERIFY(p.waitForFinished(20000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    // and it refuses a manifest changed by one byte
    QFile f(manifest);
    QVERIFY(f.open(QIODevice::Append));
    f.write(" ");
    f.close();
    p.start(minisign, {QStringLiteral("-V"), QStringLiteral("-p"), pub, QStringLiteral("-m"), manifest});
    QVERIFY(p.waitForFinished(20000));
    QVERIFY(p.exitCode() != 0);
}

void TestEvidence::replayDiffCoversExportedTraces()
{
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(sample("policies/permissive.yaml").toStdString(), diagnostics);
    QVERIFY(bundle);
    const PolicyEngine engine(*bundle, nullptr);
    const std::int64_t skill = m_ws.findRow("skill-restart-prod-payments");
    const std::int64_t ops = m_ws.findRow("ops-restart-orders");
    QVERIFY(skill >= 0 && ops >= 0);
    const std::vector<FileDiff> files =
        reevaluateRowsByFile(m_ws, {static_cast<std::uint32_t>(skill), static_cast<std::uint32_t>(ops)}, engine);
    QCOMPARE(files.size(), std::size_t(2)); // the finance file holds no exported trace
    std::size_t points = 0, changed = 0;
    for (const std::int64_t row : {skill, ops}) {
        const TraceRow& r = m_ws.row(static_cast<std::size_t>(row));
        const ReplayDiffResult one = reevaluate(m_ws.fileOf(r), r.trace, engine);
        points += one.points.size();
        changed += one.summary.changed;
    }
    QCOMPARE(files[0].result.points.size() + files[1].result.points.size(), points);
    QCOMPARE(files[0].result.summary.changed + files[1].result.summary.changed, changed);
    for (const FileDiff& f : files)
        QVERIFY(f.model != &m_ws.file(0));
}

void TestEvidence::policyFilesMustBeWhatWasEvaluated()
{
    const QString copy = m_dir.filePath(QStringLiteral("strict-copy.yaml"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(sample("policies/strict.yaml"), copy));
    QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(copy.toStdString(), diagnostics);
    QVERIFY(bundle);
    const PolicyEngine engine(*bundle, nullptr);
    EvidenceRequest req;
    QCOMPARE(addPolicyFiles(req, engine), std::string());
    QCOMPARE(req.policyFiles.size(), std::size_t(1));
    QCOMPARE(req.policyFiles[0].name, std::string("policy-strict-copy.yaml"));
    QCOMPARE(req.policyFiles[0].bytes, rwtest::readFile(copy));
    // edited after it was evaluated: refused, nothing added
    QFile f(copy);
    QVERIFY(f.open(QIODevice::Append));
    f.write("# edited\n");
    f.close();
    EvidenceRequest again;
    const std::string error = addPolicyFiles(again, engine);
    QVERIFY2(error.find("changed since it was loaded") != std::string::npos, error.c_str());
    QVERIFY(again.policyFiles.empty());
    QFile::remove(copy);
    QVERIFY(addPolicyFiles(again, engine).find("cannot be read") != std::string::npos);
}

void TestEvidence::hostileManifests_data()
{
    QTest::addColumn<QByteArray>("manifest");
    QTest::addColumn<QString>("item");
    const QByteArray head = R"({"format":"aisecops-replay-evidence","members":[)";
    QTest::newRow("nested a million deep") << QByteArray(head + "]," + R"("x":)" + QByteArray(1000000, '[') + QByteArray(1000000, ']') + "}")
                                           << QStringLiteral("manifest");
    QTest::newRow("signed is a string") << QByteArray(head + R"(],"signed":"no"})") << QStringLiteral("signature");
    QTest::newRow("member sizes as strings") << QByteArray(head + R"({"path":"a","bytes":"1","sha256":1}],"signed":false})")
                                             << QStringLiteral("member a");
    QTest::newRow("format is a number") << QByteArray(R"({"format":1,"members":[]})") << QStringLiteral("manifest");
    QTest::newRow("sources not a list") << QByteArray(head + R"(],"signed":false,"sources":"x"})") << QStringLiteral("custody log");
}

void TestEvidence::hostileManifests()
{
    QFETCH(QByteArray, manifest);
    QFETCH(QString, item);
    const QString path = m_dir.filePath(QStringLiteral("hostile-manifest.zip"));
    // stored, not deflated: the reader's ratio guard would stop the deep one first
    writeZip({{"manifest.json", manifest.toStdString()}, {"a", "x"}, {"custody/0002-x.json", R"({"prev_sha256":0})"}}, path, true);
    VerifyOptions o;
    o.sourceFiles = {sample("mcp-call.jsonl").toStdString()};
    const VerifyReport r = verifyBundle(path.toStdString(), o); // must return, not crash or throw
    QVERIFY(!r.passed());
    const CheckItem* i = findItem(r, item.toStdString());
    QVERIFY2(i && i->status == CheckStatus::Fail, qPrintable(failures(r)));
}

QTEST_GUILESS_MAIN(TestEvidence)
#include "tst_evidence.moc"
