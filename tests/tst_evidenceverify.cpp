// Evidence bundles, verification of what was changed or built to harm: a
// tamper test per member, members added, removed or re-signed, hostile
// archives and manifests, unsafe member names, the custody log and the source
// check. Export and signing: tst_evidence.
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/minisign.h"
#include "tests/evidencetestutil.h"
#include "tests/testutil.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace rw;
using rwtest::failures;
using rwtest::findItem;
using rwtest::loadFile;
using rwtest::sample;
using rwtest::writeZip;

class TestEvidenceVerify : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tamperEachMember_data();
    void tamperEachMember();
    void addedRemovedAndResigned();
    void hostileArchives_data();
    void hostileArchives();
    void unsafeNames_data();
    void unsafeNames();
    void custodyLog();
    void changedSource();
    void hostileManifests_data();
    void hostileManifests();

private:
    QTemporaryDir m_dir;
    Workspace m_ws;
    MinisignSecretKey m_key, m_other;
    QString m_bundle;
};

void TestEvidenceVerify::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_key = *generateMinisignKey();
    m_other = *generateMinisignKey();
    m_bundle = m_dir.filePath(QStringLiteral("bundle.zip"));
    rwtest::exportRestartBundle(m_ws, m_key, m_bundle);
}

void TestEvidenceVerify::tamperEachMember_data()
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

void TestEvidenceVerify::tamperEachMember()
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

void TestEvidenceVerify::addedRemovedAndResigned()
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

void TestEvidenceVerify::hostileArchives_data()
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

void TestEvidenceVerify::hostileArchives()
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

void TestEvidenceVerify::unsafeNames_data()
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

void TestEvidenceVerify::unsafeNames()
{
    QFETCH(QString, name);
    QFETCH(bool, safe);
    QCOMPARE(unsafeNameReason(name.toStdString()).empty(), safe);
}

void TestEvidenceVerify::custodyLog()
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

void TestEvidenceVerify::changedSource()
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

void TestEvidenceVerify::hostileManifests_data()
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

void TestEvidenceVerify::hostileManifests()
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

QTEST_GUILESS_MAIN(TestEvidenceVerify)
#include "tst_evidenceverify.moc"
