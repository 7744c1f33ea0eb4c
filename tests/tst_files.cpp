// The one opener (RegularFile) and the one output chooser and writer
// (chooseOutputFile, OutputFile), on their own: links rw_model only. Every
// file-system experiment happens inside a QTemporaryDir; no device is ever
// given as an output.
#include "model/outputfile.h"
#include "model/regularfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace rw;

Q_DECLARE_METATYPE(rw::OutputKind)
Q_DECLARE_METATYPE(rw::OutputError)
Q_DECLARE_METATYPE(rw::ReadError)
Q_DECLARE_METATYPE(rw::FileType)

namespace {

std::string p(const QTemporaryDir& dir, const char* name)
{
    return QFile::encodeName(dir.filePath(QString::fromUtf8(name))).toStdString();
}

bool writeFile(const std::string& path, const std::string& bytes, mode_t mode = 0644)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    ::close(fd);
    return ok && ::chmod(path.c_str(), mode) == 0;
}

std::string readAll(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string("<unreadable>");
}

mode_t modeOf(const std::string& path)
{
    struct stat st{};
    return ::lstat(path.c_str(), &st) == 0 ? st.st_mode : 0;
}

QStringList names(const QTemporaryDir& dir)
{
    return QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

mode_t umaskNow()
{
    const mode_t m = ::umask(0);
    ::umask(m);
    return m;
}

// A work directory: in (an input, with a symlink and a hard link to it),
// key (a key in use), ro (0444), dir/, fifo, sock, dangling -> nowhere,
// keylink -> other, other.
bool populate(const QTemporaryDir& dir)
{
    bool ok = writeFile(p(dir, "in"), "audit line\n") && writeFile(p(dir, "key"), "secret\n", 0600) &&
              writeFile(p(dir, "ro"), "read-only bundle\n", 0444) && writeFile(p(dir, "other"), "other\n");
    ok = ok && ::symlink("in", p(dir, "inlink").c_str()) == 0 && ::link(p(dir, "in").c_str(), p(dir, "inhard").c_str()) == 0 &&
         ::mkdir(p(dir, "dir").c_str(), 0755) == 0 && ::mkfifo(p(dir, "fifo").c_str(), 0600) == 0 &&
         ::symlink("nowhere", p(dir, "dangling").c_str()) == 0 && ::symlink("other", p(dir, "otherlink").c_str()) == 0;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string sock = p(dir, "sock");
    if (!ok || sock.size() >= sizeof addr.sun_path)
        return false;
    std::memcpy(addr.sun_path, sock.c_str(), sock.size() + 1);
    const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr* generic = static_cast<sockaddr*>(static_cast<void*>(&addr));
    ok = s >= 0 && ::bind(s, generic, sizeof addr) == 0;
    if (s >= 0)
        ::close(s);
    return ok;
}

} // namespace

class TestFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void choose_data();
    void choose();
    void writeNewFile();
    void replaceKeepsModeAndLink();
    void secretKeyMode();
    void failedWriteLeavesNothing();
    void targetSwappedBeforeRename();
    void open_data();
    void open();
    void readSizeLimit();
};

void TestFiles::choose_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<OutputKind>("kind");
    QTest::addColumn<bool>("force");
    QTest::addColumn<OutputError>("error");
    QTest::addColumn<FileType>("type");
    const auto O = OutputKind::Ordinary, S = OutputKind::SecretKey, P = OutputKind::PublicKey, I = OutputKind::InPlace;
    QTest::newRow("new name") << "new.zip" << O << false << OutputError::None << FileType::Missing;
    QTest::newRow("existing file") << "other" << O << false << OutputError::None << FileType::Missing;
    QTest::newRow("the input") << "in" << O << false << OutputError::SameAsInput << FileType::Regular;
    QTest::newRow("the input via a symlink") << "inlink" << O << false << OutputError::SameAsInput << FileType::Regular;
    QTest::newRow("the input via a hard link") << "inhard" << O << false << OutputError::SameAsInput << FileType::Regular;
    QTest::newRow("the key in use") << "key" << O << false << OutputError::SameAsKey << FileType::Regular;
    QTest::newRow("a directory") << "dir" << O << false << OutputError::IsDirectory << FileType::Directory;
    QTest::newRow("a FIFO") << "fifo" << O << false << OutputError::NotRegularFile << FileType::Fifo;
    QTest::newRow("a socket") << "sock" << O << false << OutputError::NotRegularFile << FileType::Socket;
    QTest::newRow("a dangling symlink") << "dangling" << O << false << OutputError::DanglingSymlink << FileType::Symlink;
    QTest::newRow("a missing directory") << "nodir/x" << O << false << OutputError::NoDirectory << FileType::Missing;
    QTest::newRow("below a FIFO") << "fifo/x" << O << false << OutputError::NoDirectory << FileType::Missing;
    QTest::newRow("empty") << "" << O << false << OutputError::EmptyPath << FileType::Missing;
    QTest::newRow("a directory name") << "dir/" << O << false << OutputError::EmptyPath << FileType::Missing;
    QTest::newRow("new secret key") << "new.key" << S << false << OutputError::None << FileType::Missing;
    QTest::newRow("secret key exists") << "other" << S << false << OutputError::KeyExists << FileType::Regular;
    QTest::newRow("secret key exists, force") << "other" << S << true << OutputError::None << FileType::Missing;
    QTest::newRow("secret key via a symlink") << "otherlink" << S << true << OutputError::Symlink << FileType::Symlink;
    QTest::newRow("secret key via a dangling symlink") << "dangling" << S << true << OutputError::Symlink << FileType::Symlink;
    QTest::newRow("public key exists") << "other" << P << false << OutputError::KeyExists << FileType::Regular;
    QTest::newRow("public key via a symlink") << "otherlink" << P << true << OutputError::Symlink << FileType::Symlink;
    QTest::newRow("a key over the input, force") << "in" << S << true << OutputError::SameAsInput << FileType::Regular;
    QTest::newRow("in place") << "ro" << I << false << OutputError::None << FileType::Missing;
    QTest::newRow("in place via a symlink") << "otherlink" << I << false << OutputError::None << FileType::Missing;
    QTest::newRow("in place, missing") << "gone.zip" << I << false << OutputError::Missing << FileType::Missing;
    QTest::newRow("in place, a FIFO") << "fifo" << I << false << OutputError::NotRegularFile << FileType::Fifo;
}

void TestFiles::choose()
{
    QFETCH(QString, path);
    QFETCH(OutputKind, kind);
    QFETCH(bool, force);
    QFETCH(OutputError, error);
    QFETCH(FileType, type);
    QTemporaryDir dir;
    QVERIFY(populate(dir));
    const QStringList before = names(dir);
    OutputRules rules;
    rules.kind = kind;
    rules.force = force;
    rules.inputs = {p(dir, "in"), p(dir, "missing-input")};
    rules.keys = {p(dir, "key")};
    const std::string target = path.isEmpty() ? std::string() : p(dir, path.toUtf8().constData());
    const OutputTarget t = chooseOutputFile(target, rules);
    QCOMPARE(t.failure.error, error);
    QCOMPARE(t.requested, target);
    if (error != OutputError::None)
        QCOMPARE(t.failure.type, type);
    if (error == OutputError::SameAsInput)
        QCOMPARE(t.failure.conflict, p(dir, "in"));
    if (error == OutputError::SameAsKey)
        QCOMPARE(t.failure.conflict, p(dir, "key"));
    if (path == QStringLiteral("otherlink") && error == OutputError::None) // the link's target is rewritten
        QCOMPARE(t.path, QFileInfo(dir.filePath(QStringLiteral("other"))).canonicalFilePath().toStdString());
    if (error == OutputError::None && kind == OutputKind::SecretKey)
        QCOMPARE(t.mode, mode_t(0600));
    if (path == QStringLiteral("ro"))
        QCOMPARE(t.mode, mode_t(0444));
    QCOMPARE(names(dir), before); // choosing writes nothing
}

void TestFiles::writeNewFile()
{
    QTemporaryDir dir;
    QVERIFY(populate(dir));
    const std::string target = p(dir, "new.dot");
    const OutputTarget t = chooseOutputFile(target, {});
    QVERIFY(t.ok());
    QCOMPARE(writeOutputFile(t, "digraph {}\n").error, OutputError::None);
    QCOMPARE(readAll(target), std::string("digraph {}\n"));
    QCOMPARE(modeOf(target) & 07777, 0666 & ~umaskNow());
    QCOMPARE(names(dir).size(), 12); // populate's eleven and the new file: no temporary file left
}

void TestFiles::replaceKeepsModeAndLink()
{
    QTemporaryDir dir;
    QVERIFY(populate(dir));
    // through a symlink: the file it names is replaced, the link stays
    const OutputTarget viaLink = chooseOutputFile(p(dir, "otherlink"), {OutputKind::InPlace, {}, {}, false});
    QVERIFY(viaLink.ok());
    QCOMPARE(writeOutputFile(viaLink, "rewritten\n").error, OutputError::None);
    QVERIFY(S_ISLNK(modeOf(p(dir, "otherlink"))));
    QCOMPARE(readAll(p(dir, "other")), std::string("rewritten\n"));
    // a 0444 file stays 0444
    const OutputTarget ro = chooseOutputFile(p(dir, "ro"), {OutputKind::InPlace, {}, {}, false});
    QCOMPARE(writeOutputFile(ro, "appended\n").error, OutputError::None);
    QCOMPARE(readAll(p(dir, "ro")), std::string("appended\n"));
    QCOMPARE(modeOf(p(dir, "ro")) & 07777, mode_t(0444));
    QCOMPARE(names(dir).size(), 11);
}

void TestFiles::secretKeyMode()
{
    QTemporaryDir dir;
    QVERIFY(populate(dir));
    // replacing a world-readable file with a secret key: 0600, from the first byte
    const OutputTarget t = chooseOutputFile(p(dir, "other"), {OutputKind::SecretKey, {}, {}, true});
    QVERIFY(t.ok());
    OutputFailure failure;
    const std::unique_ptr<OutputFile> out = OutputFile::create(t, &failure);
    QVERIFY(out);
    QCOMPARE(modeOf(out->temporaryPath()) & 07777, mode_t(0600));
    QVERIFY(out->write("untrusted comment: key\n"));
    QCOMPARE(out->commit().error, OutputError::None);
    QCOMPARE(modeOf(p(dir, "other")) & 07777, mode_t(0600));
    QCOMPARE(readAll(p(dir, "other")), std::string("untrusted comment: key\n"));
}

// A short write (a full disk, a file size limit) is an error, and the target
// is left as it was. In a child process: the limit must not hit the test runner.
void TestFiles::failedWriteLeavesNothing()
{
    QTemporaryDir dir;
    QVERIFY(populate(dir));
    const std::string existing = p(dir, "other"), fresh = p(dir, "fresh.json");
    const QStringList before = names(dir);
    const std::string big(1 << 20, 'x');
    for (const std::string& target : {existing, fresh}) {
        const OutputTarget t = chooseOutputFile(target, {});
        QVERIFY(t.ok());
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            const rlimit rl{4096, 4096};
            ::setrlimit(RLIMIT_FSIZE, &rl);
            ::signal(SIGXFSZ, SIG_IGN);
            const OutputFailure f = writeOutputFile(t, big);
            ::_exit(static_cast<int>(f.error) * 16 + (f.errnoValue == EFBIG ? 1 : 0));
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), static_cast<int>(OutputError::WriteFailed) * 16 + 1);
    }
    QCOMPARE(readAll(existing), std::string("other\n"));
    QCOMPARE(names(dir), before); // no half-written file, no temporary file
}

// Whatever appears under the target's name between the choice and the rename
// (a FIFO, another file) is not replaced.
void TestFiles::targetSwappedBeforeRename()
{
    QTemporaryDir dir;
    QVERIFY(populate(dir));
    const std::string target = p(dir, "late.zip");
    {
        const OutputTarget t = chooseOutputFile(target, {});
        const std::unique_ptr<OutputFile> out = OutputFile::create(t, nullptr);
        QVERIFY(out);
        QVERIFY(out->write("zip"));
        QCOMPARE(::mkfifo(target.c_str(), 0600), 0);
        QCOMPARE(out->commit().error, OutputError::Changed);
    }
    QVERIFY(S_ISFIFO(modeOf(target)));
    {
        const OutputTarget t = chooseOutputFile(p(dir, "other"), {});
        const std::unique_ptr<OutputFile> out = OutputFile::create(t, nullptr);
        QVERIFY(out);
        QCOMPARE(::unlink(p(dir, "other").c_str()), 0);
        QVERIFY(writeFile(p(dir, "other"), "someone else's\n"));
        QCOMPARE(out->commit().error, OutputError::Changed);
    }
    QCOMPARE(readAll(p(dir, "other")), std::string("someone else's\n"));
    QCOMPARE(names(dir).size(), 12); // the FIFO added, no temporary file left
}

void TestFiles::open_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<ReadError>("error");
    QTest::addColumn<FileType>("type");
    QTest::addColumn<QString>("reason");
    QTest::newRow("regular") << "in" << ReadError::None << FileType::Missing << QString();
    QTest::newRow("via a symlink") << "inlink" << ReadError::None << FileType::Missing << QString();
    QTest::newRow("FIFO without a writer") << "fifo" << ReadError::NotRegularFile << FileType::Fifo << "is a FIFO (named pipe), not a regular file";
    QTest::newRow("socket") << "sock" << ReadError::NotRegularFile << FileType::Socket << "is a socket, not a regular file";
    QTest::newRow("directory") << "dir" << ReadError::IsDirectory << FileType::Directory << "is a directory";
    QTest::newRow("missing") << "missing" << ReadError::NotFound << FileType::Missing << "file not found";
    QTest::newRow("dangling symlink") << "dangling" << ReadError::NotFound << FileType::Missing << "file not found";
    // reading a device is harmless (it is never written)
    QTest::newRow("/dev/zero") << "/dev/zero" << ReadError::NotRegularFile << FileType::CharDevice
                               << "is a character device, not a regular file";
}

void TestFiles::open()
{
    QFETCH(QString, name);
    QFETCH(ReadError, error);
    QFETCH(FileType, type);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    QVERIFY(populate(dir));
    const std::string path = name.startsWith(QLatin1Char('/')) ? name.toStdString() : p(dir, name.toUtf8().constData());
    ReadFailure failure;
    const std::optional<std::string> bytes = readRegularFile(path, ReadLimits::kKeyFile, &failure);
    QCOMPARE(failure.error, error);
    QCOMPARE(bytes.has_value(), error == ReadError::None);
    if (bytes)
        QCOMPARE(*bytes, std::string("audit line\n"));
    else
        QCOMPARE(failure.type, type);
    QCOMPARE(QString::fromStdString(readFailureReason(failure)), reason);
}

void TestFiles::readSizeLimit()
{
    QTemporaryDir dir;
    QVERIFY(populate(dir));
    ReadFailure failure;
    QVERIFY(!readRegularFile(p(dir, "in"), 5, &failure));
    QCOMPARE(failure.error, ReadError::TooLarge);
    QCOMPARE(failure.size, std::uint64_t(11));
    QCOMPARE(failure.limit, std::uint64_t(5));
    QVERIFY(readRegularFile(p(dir, "in"), 11, &failure));
    // the descriptor handed on reads the same file
    const std::unique_ptr<RegularFile> f = RegularFile::open(p(dir, "in"), 100, &failure);
    QVERIFY(f);
    QCOMPARE(f->size(), std::uint64_t(11));
    char c = 0;
    QCOMPARE(::read(f->fd(), &c, 1), ssize_t(1));
    QCOMPARE(c, 'a');
}

QTEST_GUILESS_MAIN(TestFiles)
#include "tst_files.moc"
