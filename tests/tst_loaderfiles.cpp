// The loader on files on disk: open errors, evidence left untouched, a file
// changed while it is read, pseudo files, compressed logs and a file truncated
// while mapped. The bytes themselves: tst_loader.
#include "model/auditloader.h"
#include "tests/testutil.h"

#include <QCryptographicHash>
#include <atomic>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <fcntl.h>
#include <sys/stat.h>
#include <ctime>
#include <unistd.h>

using namespace rw;
using rwtest::planLine;

class TestLoaderFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fileErrors();
    void evidenceIsNotModified();
    void changedDuringLoadIsReported();
    void pseudoFileIsRefused();
    void hashWhenAsked();
    void compressedLogs_data();
    void compressedLogs();
    void truncatedOnDiskDoesNotCrash();
};

void TestLoaderFiles::fileErrors()
{
    QTemporaryDir dir;
    LoadResult r = AuditLoader::loadFile(QString(dir.path() + QStringLiteral("/missing.jsonl")).toStdString());
    QVERIFY(!r.model);
    QCOMPARE(r.error, OpenError::NotFound);
    r = AuditLoader::loadFile(dir.path().toStdString());
    QVERIFY(!r.model);
    QCOMPARE(r.error, OpenError::IsDirectory);
    r = AuditLoader::loadFile("/dev/null");
    QVERIFY(!r.model);
    QCOMPARE(r.error, OpenError::NotRegularFile);

    const QString locked = dir.path() + QStringLiteral("/locked.jsonl");
    QFile f(locked);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{}\n");
    f.close();
    ::chmod(locked.toLocal8Bit().constData(), 0);
    r = AuditLoader::loadFile(locked.toStdString());
    if (::geteuid() == 0) {
        QVERIFY(r.model); // root reads anything; the check below needs a normal user
    } else {
        QVERIFY(!r.model);
        QCOMPARE(r.error, OpenError::PermissionDenied);
    }
}

void TestLoaderFiles::evidenceIsNotModified()
{
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/evidence.jsonl");
    std::string content;
    for (int i = 0; i < 200; ++i)
        content += planLine("t" + std::to_string(i % 7), "e" + std::to_string(i)) + "\n";
    content += "{broken\n";
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content.data(), static_cast<qint64>(content.size()));
    }
    ::chmod(path.toLocal8Bit().constData(), 0444);
    const QDateTime before = QFileInfo(path).lastModified();
    {
        LoadResult r = AuditLoader::loadFile(path.toStdString());
        QVERIFY(r.model);
        const QByteArray expected =
            QCryptographicHash::hash(QByteArray::fromStdString(content), QCryptographicHash::Sha256).toHex();
        QCOMPARE(QByteArray::fromStdString(r.model->sha256()), expected);
        QCOMPARE(r.model->stats().rejected, std::uint64_t(1));
    }
    QCOMPARE(rwtest::readFile(path), content);
    QCOMPARE(QFileInfo(path).lastModified(), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // nothing written next to it
    // SHA-256 of the empty file
    const auto empty = rwtest::load("");
    QCOMPARE(empty->sha256(), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}
void TestLoaderFiles::changedDuringLoadIsReported()
{
    // a file appended to while it is read: a finding, and no SHA-256 of bytes
    // that are not the file's
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/growing.jsonl");
    std::string content;
    for (int i = 0; content.size() < (3u << 20); ++i)
        content += planLine("t" + std::to_string(i % 7), "e" + std::to_string(i)) + "\n";
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content.data(), static_cast<qint64>(content.size()));
    }
    std::atomic<bool> appended{false};
    const std::string p = path.toStdString();
    LoadOptions options;
    options.limits.threads = 1;
    LoadResult r = AuditLoader::loadFile(p, options, [&](std::uint64_t, std::uint64_t) {
        if (!appended.exchange(true)) {
            QFile f(QString::fromStdString(p));
            if (f.open(QIODevice::Append))
                f.write("{\"late\": 1}\n");
        }
    });
    QVERIFY(r.model);
    QVERIFY(appended.load());
    QCOMPARE(r.model->diagnosticCount(DiagnosticCode::FileChanged), std::uint64_t(1));
    // appended to only: the bytes loaded still are the file's first bytes, and their hash is given
    QCOMPARE(r.model->sha256().size(), std::size_t(64));
    QCOMPARE(r.model->sha256(), sha256Hex(content));

    // rewritten in place (same size, new bytes, newer modification time): no hash at all
    const std::string q = dir.path().toStdString() + "/rewritten.jsonl";
    {
        QFile f(QString::fromStdString(q));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content.data(), static_cast<qint64>(content.size()));
    }
    std::atomic<bool> rewritten{false};
    LoadResult w = AuditLoader::loadFile(q, options, [&](std::uint64_t, std::uint64_t) {
        if (!rewritten.exchange(true)) {
            QFile f(QString::fromStdString(q));
            if (f.open(QIODevice::ReadWrite))
                f.write("{\"x\":", 5);
            f.close();
            // a later modification time, whatever the file system's clock granularity
            struct timespec times[2] = {{0, UTIME_OMIT}, {::time(nullptr) + 5, 0}};
            ::utimensat(AT_FDCWD, q.c_str(), times, 0);
        }
    });
    QVERIFY(w.model);
    QCOMPARE(w.model->diagnosticCount(DiagnosticCode::FileChanged), std::uint64_t(1));
    QVERIFY(w.model->sha256().empty());

    // unchanged: no finding, a hash
    LoadResult again = AuditLoader::loadFile(p);
    QCOMPARE(again.model->diagnosticCount(DiagnosticCode::FileChanged), std::uint64_t(0));
    QCOMPARE(again.model->sha256().size(), std::size_t(64));
}

// a batch's worker hashes on its own thread when it asks, none started for it
// (a thread per file on cores the workers already fill only adds a wait)
void TestLoaderFiles::hashWhenAsked()
{
    QTemporaryDir dir;
    const std::string p = dir.path().toStdString() + "/asked.jsonl";
    const std::string content = "{\"event_id\":\"e1\",\"trace_id\":\"t1\",\"event_type\":\"plan\"}\n";
    {
        QFile f(QString::fromStdString(p));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content.data(), static_cast<qint64>(content.size()));
    }
    LoadOptions options;
    options.hashWhenAsked = true;
    LoadResult r = AuditLoader::loadFile(p, options);
    QVERIFY(r.model);
    QTest::qWait(200); // a thread of its own would have hashed these bytes by now
    QVERIFY(!r.model->sha256Ready());
    QCOMPARE(r.model->sha256(), sha256Hex(content));
    QVERIFY(r.model->sha256Ready());
    // never asked: the model goes without hashing, and without waiting for it
    LoadResult unasked = AuditLoader::loadFile(p, options);
    QVERIFY(unasked.model);
}

void TestLoaderFiles::compressedLogs_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<bool>("damaged");
    QTest::newRow("gzip") << QStringLiteral("gzip") << QStringList{QStringLiteral("-c")} << QStringLiteral(".gz") << false;
    QTest::newRow("zstd") << QStringLiteral("zstd") << QStringList{QStringLiteral("-c"), QStringLiteral("-q")}
                          << QStringLiteral(".zst") << false;
    QTest::newRow("gzip cut short") << QStringLiteral("gzip") << QStringList{QStringLiteral("-c")} << QStringLiteral(".gz")
                                    << true;
    QTest::newRow("zstd cut short") << QStringLiteral("zstd") << QStringList{QStringLiteral("-c"), QStringLiteral("-q")}
                                    << QStringLiteral(".zst") << true;
}

void TestLoaderFiles::compressedLogs()
{
    // rotated logs arrive compressed: read as their decompressed stream, hashed as stored
    QFETCH(QString, tool);
    QFETCH(QStringList, args);
    QFETCH(QString, suffix);
    QFETCH(bool, damaged);
    const QString plainPath = QStringLiteral(RW_SOURCE_DIR "/sample-audits/untrusted-skill-restart.jsonl");
    QProcess p;
    p.start(tool, args + QStringList{plainPath});
    QVERIFY2(p.waitForFinished(30000) && p.exitCode() == 0, qPrintable(tool + QStringLiteral(" is needed")));
    QByteArray stored = p.readAllStandardOutput();
    if (damaged)
        stored.chop(stored.size() / 3);
    QTemporaryDir dir;
    const std::string path = QString(dir.path() + QStringLiteral("/audit.jsonl") + suffix).toStdString();
    {
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(stored);
    }
    LoadResult plain = AuditLoader::loadFile(plainPath.toStdString());
    LoadResult packed = AuditLoader::loadFile(path);
    QVERIFY(plain.model && packed.model);
    QCOMPARE(packed.model->compression() == Compression::None, false);
    QCOMPARE(packed.model->diagnosticCount(DiagnosticCode::Compressed), std::uint64_t(1));
    // the hash is of the file as stored
    QCOMPARE(packed.model->sha256(), sha256Hex(std::string_view(stored.constData(), static_cast<std::size_t>(stored.size()))));
    const ReplayModel& a = *plain.model;
    const ReplayModel& b = *packed.model;
    if (!damaged) {
        QCOMPARE(b.bytes(), a.bytes());
        QCOMPARE(b.eventCount(), a.eventCount());
        QCOMPARE(b.traceCount(), a.traceCount());
        for (std::size_t i = 0; i < a.eventCount(); ++i) {
            QCOMPARE(b.event(i).offset, a.event(i).offset); // offsets in the decompressed stream
            QCOMPARE(b.raw(b.event(i)), a.raw(a.event(i)));
        }
    } else {
        // what came before the damage is loaded, and the finding says so
        QVERIFY(b.bytes().size() < a.bytes().size());
        QCOMPARE(a.bytes().substr(0, b.bytes().size()), b.bytes());
        bool said = false;
        for (const Diagnostic& d : b.diagnostics())
            said = said || (d.code == DiagnosticCode::Compressed && d.detail.find("what came before is loaded") != std::string::npos);
        QVERIFY(said);
    }
}

void TestLoaderFiles::pseudoFileIsRefused()
{
    // /proc files say 0 bytes and have content: never loaded as an empty file with the empty hash
    LoadResult r = AuditLoader::loadFile("/proc/self/status");
    QVERIFY(!r.model);
    QCOMPARE(r.error, OpenError::SizeUnknown);
}

void TestLoaderFiles::truncatedOnDiskDoesNotCrash()
{
#if defined(__SANITIZE_ADDRESS__)
    QSKIP("AddressSanitizer owns SIGBUS; the guard is tested in the plain build");
#else
    // logrotate's copytruncate shrinks a file that is still mapped: reading
    // the vanished pages must not kill the workbench
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/rotated.jsonl");
    std::string content;
    for (int i = 0; i < 2000; ++i)
        content += planLine("t" + std::to_string(i % 5), "e" + std::to_string(i)) + "\n";
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content.data(), static_cast<qint64>(content.size()));
    }
    LoadResult r = AuditLoader::loadFile(path.toStdString());
    QVERIFY(r.model);
    QCOMPARE(r.model->sha256().size(), std::size_t(64)); // the hash is done before we truncate
    QVERIFY(::truncate(path.toLocal8Bit().constData(), 100) == 0);
    const EventRecord& last = r.model->event(r.model->eventCount() - 1);
    const std::string_view raw = r.model->raw(last);
    std::size_t zeros = 0;
    for (const char c : raw)
        zeros += c == '\0';
    QCOMPARE(zeros, raw.size()); // the lost bytes read as zeros
    QVERIFY(r.model->vanishedPages() > 0);
#endif
}
QTEST_GUILESS_MAIN(TestLoaderFiles)
#include "tst_loaderfiles.moc"
