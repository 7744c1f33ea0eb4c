// Evidence that proves itself (issue #10, mechanism 5), the verifier's side on
// a signed bundle: custody entries are bound in full, bytes around the ZIP and
// junk in the signature member fail, and the manifest is checked before what
// it lists is inflated. The exporter's side: tst_evidenceproof.
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/minisign.h"
#include "tests/evidencetestutil.h"
#include "tests/testutil.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace rw;
using rwtest::failures;
using rwtest::findItem;
using rwtest::sample;
using rwtest::writeBytes;
using rwtest::writeZip;

namespace {

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

} // namespace

class TestEvidenceStrict : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void custodyBoundInFull_data();
    void custodyBoundInFull();
    void bytesAroundTheArchive_data();
    void bytesAroundTheArchive();
    void signatureJunk_data();
    void signatureJunk();
    void manifestCheckedBeforeInflating();

private:
    QTemporaryDir m_dir;
    MinisignSecretKey m_key;
    QString m_bundle; // signed, of untrusted-skill-restart.jsonl
};

void TestEvidenceStrict::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_key = *generateMinisignKey();
    m_bundle = rwtest::exportAll(sample(QStringLiteral("untrusted-skill-restart.jsonl")),
                                 m_dir.filePath(QStringLiteral("base.zip")), &m_key);
    QVERIFY(!m_bundle.isEmpty());
}

void TestEvidenceStrict::custodyBoundInFull_data()
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

void TestEvidenceStrict::custodyBoundInFull()
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

void TestEvidenceStrict::bytesAroundTheArchive_data()
{
    QTest::addColumn<QByteArray>("edit");
    QTest::newRow("bytes prepended") << QByteArray("prepend");
    QTest::newRow("bytes appended") << QByteArray("append");
    QTest::newRow("a ZIP comment") << QByteArray("comment");
    QTest::newRow("prepended, offsets shifted (self-extractor style)") << QByteArray("shift");
    QTest::newRow("a second archive appended") << QByteArray("twice");
}

void TestEvidenceStrict::bytesAroundTheArchive()
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

void TestEvidenceStrict::signatureJunk_data()
{
    QTest::addColumn<QString>("variant");
    for (const char* v : {"extra line", "trailing bytes", "second signature", "CRLF", "CR at the end", "no final newline",
                          "blank line first", "space after base64", "NUL after"})
        QTest::newRow(v) << QString::fromLatin1(v);
}

void TestEvidenceStrict::signatureJunk()
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

void TestEvidenceStrict::manifestCheckedBeforeInflating()
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

QTEST_GUILESS_MAIN(TestEvidenceStrict)
#include "tst_evidencestrict.moc"
