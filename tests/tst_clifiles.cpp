// The files aisecops-replay writes and reads at the edges: an output never
// lands on an input, a key or anything but a regular file; a failed write or a
// full stdout is an error; FIFOs and devices given as inputs are refused
// promptly; one action per call. Every case runs the real executable in a
// fresh temporary directory, under a timeout so that a hang fails the test.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

const QString kTrace = QStringLiteral("skill-restart-prod-payments");

struct Run
{
    int exitCode = -1;
    bool timedOut = false;
    QByteArray out, err;
};

// How a child is started: at most `fileSizeLimit` bytes per written file
// (SIGXFSZ ignored, so writes fail with EFBIG as on a full disk), stdout
// redirected to a file such as /dev/full.
struct RunOptions
{
    rlim_t fileSizeLimit = RLIM_INFINITY;
    QString stdoutFile;
    int timeoutMs = 60000;
};

Run runCli(const QString& dir, const QStringList& args, const RunOptions& options = {})
{
    Run r;
    QProcess p;
    p.setWorkingDirectory(dir);
    if (!options.stdoutFile.isEmpty())
        p.setStandardOutputFile(options.stdoutFile);
    const rlim_t limit = options.fileSizeLimit;
    if (limit != RLIM_INFINITY)
        p.setChildProcessModifier([limit] {
            const rlimit rl{limit, limit};
            ::setrlimit(RLIMIT_FSIZE, &rl);
            ::signal(SIGXFSZ, SIG_IGN);
        });
    p.start(QStringLiteral(RW_CLI_PATH), args);
    if (!p.waitForFinished(options.timeoutMs)) {
        r.timedOut = true;
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Every entry of a directory (recursively) with its type, mode and content
// hash or link target: equal snapshots mean nothing was written, replaced or left behind.
QStringList snapshot(const QString& dir, const QString& prefix = {})
{
    QStringList out;
    const QStringList names =
        QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& name : names) {
        const QString path = dir + QLatin1Char('/') + name;
        struct stat st{};
        if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
            continue;
        QString line = prefix + name + QStringLiteral(" mode ") + QString::number(st.st_mode, 8);
        if (S_ISLNK(st.st_mode)) {
            line += QStringLiteral(" -> ") + QFile::symLinkTarget(path);
        } else if (S_ISREG(st.st_mode)) {
            QFile f(path);
            if (f.open(QIODevice::ReadOnly))
                line += QLatin1Char(' ') + QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
        } else if (S_ISDIR(st.st_mode)) {
            out += snapshot(path, prefix + name + QLatin1Char('/'));
        }
        out << line;
    }
    return out;
}

bool copyFile(const QString& from, const QString& to)
{
    if (!QFile::copy(from, to))
        return false;
    return QFile::setPermissions(to, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
}

// A work directory: A.jsonl (an audit file) with a symbolic link L.jsonl and a
// hard link H.jsonl to it, P.yaml and C.yaml (policy, capabilities), K.key and
// K.pub (a key pair), a FIFO, a directory.
bool makeWorkDir(const QString& dir)
{
    const QString src = QStringLiteral(RW_SOURCE_DIR "/sample-audits/");
    if (!copyFile(src + QStringLiteral("untrusted-skill-restart.jsonl"), dir + QStringLiteral("/A.jsonl")) ||
        !copyFile(src + QStringLiteral("policies/strict.yaml"), dir + QStringLiteral("/P.yaml")) ||
        !copyFile(src + QStringLiteral("policies/capabilities.yaml"), dir + QStringLiteral("/C.yaml")))
        return false;
    const QByteArray a = QFile::encodeName(dir + QStringLiteral("/A.jsonl"));
    if (::symlink("A.jsonl", QFile::encodeName(dir + QStringLiteral("/L.jsonl")).constData()) != 0 ||
        ::link(a.constData(), QFile::encodeName(dir + QStringLiteral("/H.jsonl")).constData()) != 0 ||
        ::mkfifo(QFile::encodeName(dir + QStringLiteral("/fifo")).constData(), 0600) != 0 || !QDir(dir).mkdir(QStringLiteral("dir")))
        return false;
    const Run key = runCli(dir, {QStringLiteral("--generate-key"), QStringLiteral("K")});
    return key.exitCode == 0 && QFileInfo::exists(dir + QStringLiteral("/K.key"));
}

bool exportBundle(const QString& dir, const QString& name)
{
    const Run r = runCli(dir, {QStringLiteral("--audit-file"), QStringLiteral("A.jsonl"), QStringLiteral("--trace-id"), kTrace,
                               QStringLiteral("--evidence"), name, QStringLiteral("--no-svg"), QStringLiteral("--quiet")});
    if (r.exitCode != 0)
        qWarning("export failed: %s", r.err.constData());
    return r.exitCode == 0;
}

QStringList traceArgs(const QStringList& more)
{
    return QStringList{QStringLiteral("--audit-file"), QStringLiteral("A.jsonl"), QStringLiteral("--trace-id"), kTrace} + more;
}

} // namespace

class TestCliFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outputRefused_data();
    void outputRefused();
    void generateKeyRefused_data();
    void generateKeyRefused();
    void generateKeyForce();
    void recordCustody_data();
    void recordCustody();
    void writeFailure_data();
    void writeFailure();
    void recordCustodyWriteFailure();
    void stdoutFull_data();
    void stdoutFull();
    void specialInputs_data();
    void specialInputs();
    void oneAction_data();
    void oneAction();
};

void TestCliFiles::outputRefused_data()
{
    QTest::addColumn<QStringList>("args");
    const QStringList graph = traceArgs({QStringLiteral("--graph"), QStringLiteral("dot"), QStringLiteral("--output")});
    const QStringList policy = {QStringLiteral("--audit-file"), QStringLiteral("A.jsonl"), QStringLiteral("--policy"),
                                QStringLiteral("P.yaml"), QStringLiteral("--capabilities"), QStringLiteral("C.yaml"),
                                QStringLiteral("--diff"), QStringLiteral("--output")};
    const QStringList evidence = traceArgs({QStringLiteral("--no-svg"), QStringLiteral("--evidence")});
    QTest::newRow("graph over the audit file") << graph + QStringList{QStringLiteral("A.jsonl")};
    QTest::newRow("graph over the audit file via a symlink") << graph + QStringList{QStringLiteral("L.jsonl")};
    QTest::newRow("graph over the audit file via a hard link") << graph + QStringList{QStringLiteral("H.jsonl")};
    QTest::newRow("graph over the audit file given as a symlink")
        << QStringList{QStringLiteral("--audit-file"), QStringLiteral("L.jsonl"), QStringLiteral("--trace-id"), kTrace,
                       QStringLiteral("--graph"), QStringLiteral("dot"), QStringLiteral("--output"), QStringLiteral("A.jsonl")};
    QTest::newRow("graph onto a directory") << graph + QStringList{QStringLiteral("dir")};
    QTest::newRow("graph onto a FIFO") << graph + QStringList{QStringLiteral("fifo")};
    QTest::newRow("graph into a missing directory") << graph + QStringList{QStringLiteral("nodir/g.dot")};
    QTest::newRow("policy output over the policy") << policy + QStringList{QStringLiteral("P.yaml")};
    QTest::newRow("policy output over the capabilities") << policy + QStringList{QStringLiteral("C.yaml")};
    QTest::newRow("policy output over the audit file") << policy + QStringList{QStringLiteral("H.jsonl")};
    QTest::newRow("policy output onto a FIFO") << policy + QStringList{QStringLiteral("fifo")};
    QTest::newRow("evidence over the signing key")
        << evidence + QStringList{QStringLiteral("K.key"), QStringLiteral("--sign-key"), QStringLiteral("K.key")};
    QTest::newRow("evidence over the audit file") << evidence + QStringList{QStringLiteral("L.jsonl")};
    QTest::newRow("evidence over the policy")
        << evidence + QStringList{QStringLiteral("P.yaml"), QStringLiteral("--policy"), QStringLiteral("P.yaml")};
    QTest::newRow("evidence onto a FIFO") << evidence + QStringList{QStringLiteral("fifo")};
    QTest::newRow("evidence onto a directory") << evidence + QStringList{QStringLiteral("dir")};
}

void TestCliFiles::outputRefused()
{
    QFETCH(QStringList, args);
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    const QStringList before = snapshot(dir.path());
    const Run r = runCli(dir.path(), args, {RLIM_INFINITY, {}, 30000});
    QVERIFY2(!r.timedOut, "the CLI hung");
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith("Error: "), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QCOMPARE(snapshot(dir.path()), before); // nothing written, replaced or left behind
}

void TestCliFiles::generateKeyRefused_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("prefix");
    QTest::newRow("existing secret key") << QString() << QStringLiteral("K");
    QTest::newRow("existing public key") << QStringLiteral("N.pub") << QStringLiteral("N");
    QTest::newRow("dangling secret key symlink") << QStringLiteral("N.key->stolen.key") << QStringLiteral("N");
    QTest::newRow("public key symlink to the audit file") << QStringLiteral("N.pub->A.jsonl") << QStringLiteral("N");
    QTest::newRow("empty prefix") << QString() << QString();
    QTest::newRow("prefix naming a directory") << QString() << QStringLiteral("dir/");
    QTest::newRow("prefix in a missing directory") << QString() << QStringLiteral("nodir/N");
    QTest::newRow("prefix through a FIFO") << QString() << QStringLiteral("fifo/N");
}

void TestCliFiles::generateKeyRefused()
{
    QFETCH(QString, setup);
    QFETCH(QString, prefix);
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    const QString target = setup.section(QStringLiteral("->"), 1);
    const QString name = setup.section(QStringLiteral("->"), 0, 0);
    if (!target.isEmpty())
        QVERIFY(QFile::link(target, dir.filePath(name)));
    else if (!name.isEmpty())
        QVERIFY(copyFile(dir.filePath(QStringLiteral("C.yaml")), dir.filePath(name)));
    const QStringList before = snapshot(dir.path());
    for (const bool force : {false, true}) {
        QStringList args{QStringLiteral("--generate-key"), prefix};
        if (force)
            args << QStringLiteral("--force");
        const Run r = runCli(dir.path(), args, {RLIM_INFINITY, {}, 30000});
        QVERIFY(!r.timedOut);
        // --force replaces a key file, never a symlink, a missing directory or an empty name
        if (force && (setup == QStringLiteral("N.pub") || (setup.isEmpty() && prefix == QStringLiteral("K"))))
            continue;
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("Error: "), r.err.constData());
        QCOMPARE(snapshot(dir.path()), before);
    }
}

void TestCliFiles::generateKeyForce()
{
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    const QString key = dir.filePath(QStringLiteral("K.key")), pub = dir.filePath(QStringLiteral("K.pub"));
    QVERIFY(QFile::setPermissions(key, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    const QStringList before = snapshot(dir.path());
    const Run r = runCli(dir.path(), {QStringLiteral("--generate-key"), QStringLiteral("K"), QStringLiteral("--force")});
    QCOMPARE(r.exitCode, 0);
    const QStringList after = snapshot(dir.path());
    QCOMPARE(after.size(), before.size());
    QVERIFY(!after.contains(before.filter(QStringLiteral("K.key")).value(0)));
    QVERIFY(!after.contains(before.filter(QStringLiteral("K.pub")).value(0)));
    struct stat st{};
    QCOMPARE(::lstat(QFile::encodeName(key).constData(), &st), 0);
    QCOMPARE(st.st_mode & 07777, 0600u); // a secret key is 0600 whatever the file it replaced was
    QVERIFY(S_ISREG(st.st_mode));
    QVERIFY(QFileInfo(pub).isFile());
}

void TestCliFiles::recordCustody_data()
{
    QTest::addColumn<QString>("setup");
    QTest::newRow("read-only bundle") << QStringLiteral("0444");
    QTest::newRow("bundle behind a symlink") << QStringLiteral("symlink");
    QTest::newRow("a user's file named like the old temporary file") << QStringLiteral("part");
}

void TestCliFiles::recordCustody()
{
    QFETCH(QString, setup);
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    QVERIFY(exportBundle(dir.path(), QStringLiteral("B.zip")));
    const QString bundle = dir.filePath(QStringLiteral("B.zip"));
    QString verified = QStringLiteral("B.zip");
    if (setup == QStringLiteral("0444"))
        QVERIFY(QFile::setPermissions(bundle, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    if (setup == QStringLiteral("symlink")) {
        QVERIFY(QFile::link(QStringLiteral("B.zip"), dir.filePath(QStringLiteral("LB.zip"))));
        verified = QStringLiteral("LB.zip");
    }
    QFile part(dir.filePath(QStringLiteral("B.zip.custody.part")));
    if (setup == QStringLiteral("part")) {
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write("the examiner's notes\n");
        part.close();
    }
    struct stat before{};
    QCOMPARE(::stat(QFile::encodeName(bundle).constData(), &before), 0);
    const QStringList snapBefore = snapshot(dir.path());

    const Run r = runCli(dir.path(), {QStringLiteral("--verify"), verified, QStringLiteral("--record-custody")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(!r.err.contains("Warning"), r.err.constData());
    // only the bundle changed: same names, the same mode, links and other files untouched
    const QStringList snapAfter = snapshot(dir.path());
    QCOMPARE(snapAfter.size(), snapBefore.size());
    for (const QString& line : snapBefore)
        if (!line.startsWith(QStringLiteral("B.zip ")))
            QVERIFY2(snapAfter.contains(line), qPrintable(line));
    struct stat after{};
    QCOMPARE(::lstat(QFile::encodeName(bundle).constData(), &after), 0);
    QVERIFY(S_ISREG(after.st_mode));
    QCOMPARE(after.st_mode & 07777, before.st_mode & 07777);
    QVERIFY(after.st_size > before.st_size);
    if (setup == QStringLiteral("part")) {
        QVERIFY(part.open(QIODevice::ReadOnly));
        QCOMPARE(part.readAll(), QByteArray("the examiner's notes\n"));
    }
    // the appended entry verifies
    const Run again = runCli(dir.path(), {QStringLiteral("--verify"), QStringLiteral("B.zip")});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.out.contains("custody log: 2 entries, chained"), again.out.constData());
}

void TestCliFiles::writeFailure_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("output");
    QTest::newRow("graph") << traceArgs({QStringLiteral("--graph"), QStringLiteral("dot"), QStringLiteral("--output"), QStringLiteral("g.dot")})
                           << QStringLiteral("g.dot");
    QTest::newRow("policy replay diff")
        << QStringList{QStringLiteral("--audit-file"), QStringLiteral("A.jsonl"), QStringLiteral("--policy"), QStringLiteral("P.yaml"),
                       QStringLiteral("--diff"), QStringLiteral("--output"), QStringLiteral("d.json")}
        << QStringLiteral("d.json");
    QTest::newRow("evidence") << traceArgs({QStringLiteral("--no-svg"), QStringLiteral("--evidence"), QStringLiteral("e.zip")})
                              << QStringLiteral("e.zip");
    QTest::newRow("replacing an existing output") << traceArgs({QStringLiteral("--graph"), QStringLiteral("dot"), QStringLiteral("--output"), QStringLiteral("C.yaml")})
                                                  << QStringLiteral("C.yaml");
}

// A full disk is simulated by a file size limit: each write past it fails with EFBIG.
void TestCliFiles::writeFailure()
{
    QFETCH(QStringList, args);
    QFETCH(QString, output);
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    const QStringList before = snapshot(dir.path());
    const Run r = runCli(dir.path(), args, {100, {}, 60000});
    QVERIFY(!r.timedOut);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("Error: "), r.err.constData());
    QVERIFY2(r.err.contains(output.toUtf8()), r.err.constData());
    QCOMPARE(snapshot(dir.path()), before); // no half-written output, no temporary file left
}

void TestCliFiles::recordCustodyWriteFailure()
{
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    QVERIFY(exportBundle(dir.path(), QStringLiteral("B.zip")));
    const QStringList before = snapshot(dir.path());
    const Run r = runCli(dir.path(), {QStringLiteral("--verify"), QStringLiteral("B.zip"), QStringLiteral("--record-custody")}, {4096, {}, 60000});
    QCOMPARE(r.exitCode, 1); // the verification passed, the custody entry asked for was not written
    QVERIFY2(r.err.contains("Error: ") && r.err.contains("custody"), r.err.constData());
    QCOMPARE(snapshot(dir.path()), before);
}

void TestCliFiles::stdoutFull_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("help") << QStringList{QStringLiteral("--help")};
    QTest::newRow("list") << QStringList{QStringLiteral("--audit-file"), QStringLiteral("A.jsonl"), QStringLiteral("--list")};
    QTest::newRow("summary") << traceArgs({QStringLiteral("--summary")});
    QTest::newRow("graph") << traceArgs({QStringLiteral("--graph"), QStringLiteral("dot")});
}

void TestCliFiles::stdoutFull()
{
    QFETCH(QStringList, args);
    // only ever as the redirection of stdout, and only when it is the device it should be
    struct stat st{};
    if (::stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode))
        QSKIP("no /dev/full device");
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    const Run r = runCli(dir.path(), args, {RLIM_INFINITY, QStringLiteral("/dev/full"), 30000});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("Error: ") && r.err.contains("standard output"), r.err.constData());
}

void TestCliFiles::specialInputs_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("says");
    const QString valid = QStringLiteral(RW_SOURCE_DIR "/tests/fuzz/evidence-corpus/valid-unsigned.zip");
    QTest::newRow("bundle is a FIFO") << QStringList{QStringLiteral("--verify"), QStringLiteral("fifo")} << 4 << QByteArray("FIFO");
    QTest::newRow("public key is a FIFO") << QStringList{QStringLiteral("--verify"), valid, QStringLiteral("--public-key"), QStringLiteral("fifo")}
                                         << 1 << QByteArray("FIFO");
    QTest::newRow("public key is a directory")
        << QStringList{QStringLiteral("--verify"), valid, QStringLiteral("--public-key"), QStringLiteral("dir")} << 1 << QByteArray("directory");
    QTest::newRow("secret key is a FIFO") << traceArgs({QStringLiteral("--evidence"), QStringLiteral("e.zip"), QStringLiteral("--sign-key"), QStringLiteral("fifo")})
                                         << 1 << QByteArray("FIFO");
    QTest::newRow("verifier source is a FIFO")
        << QStringList{QStringLiteral("--verify"), valid, QStringLiteral("--audit-file"), QStringLiteral("fifo")} << 4 << QByteArray("FIFO");
    QTest::newRow("verifier source is /dev/zero")
        << QStringList{QStringLiteral("--verify"), valid, QStringLiteral("--audit-file"), QStringLiteral("/dev/zero")} << 4
        << QByteArray("device");
    QTest::newRow("policy is a FIFO") << QStringList{QStringLiteral("--check-policy"), QStringLiteral("fifo")} << 1 << QByteArray("FIFO");
    QTest::newRow("capabilities are a FIFO")
        << QStringList{QStringLiteral("--check-policy"), QStringLiteral("P.yaml"), QStringLiteral("--capabilities"), QStringLiteral("fifo")}
        << 1 << QByteArray("FIFO");
}

void TestCliFiles::specialInputs()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, says);
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    const QStringList before = snapshot(dir.path());
    const Run r = runCli(dir.path(), args, {RLIM_INFINITY, {}, 20000});
    QVERIFY2(!r.timedOut, "the CLI hung on a special file");
    QCOMPARE(r.exitCode, exitCode);
    const QByteArray all = r.out + r.err;
    QVERIFY2(all.contains(says), all.constData());
    QCOMPARE(snapshot(dir.path()), before);
}

void TestCliFiles::oneAction_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    const QString valid = QStringLiteral(RW_SOURCE_DIR "/tests/fuzz/evidence-corpus/valid-unsigned.zip");
    const QString v = QStringLiteral("--verify"), g = QStringLiteral("--generate-key");
    QTest::newRow("verify and generate-key") << QStringList{v, valid, g, QStringLiteral("X")} << 2;
    QTest::newRow("generate-key and verify") << QStringList{g, QStringLiteral("X"), v, valid} << 2;
    QTest::newRow("verify and check-policy") << QStringList{v, valid, QStringLiteral("--check-policy"), QStringLiteral("P.yaml")} << 2;
    QTest::newRow("check-policy and verify") << QStringList{QStringLiteral("--check-policy"), QStringLiteral("P.yaml"), v, valid} << 2;
    QTest::newRow("two verify") << QStringList{v, valid, v, valid} << 2;
    QTest::newRow("two generate-key") << QStringList{g, QStringLiteral("X"), g, QStringLiteral("Y")} << 2;
    QTest::newRow("two check-policy")
        << QStringList{QStringLiteral("--check-policy"), QStringLiteral("P.yaml"), QStringLiteral("--check-policy"), QStringLiteral("C.yaml")} << 2;
    QTest::newRow("list and stats") << QStringList{QStringLiteral("--audit-file"), QStringLiteral("A.jsonl"), QStringLiteral("--list"), QStringLiteral("--stats")} << 2;
    QTest::newRow("trace and list") << traceArgs({QStringLiteral("--list")}) << 2;
    QTest::newRow("trace and stats") << traceArgs({QStringLiteral("--stats")}) << 2;
    QTest::newRow("evidence and verify") << traceArgs({QStringLiteral("--evidence"), QStringLiteral("e.zip"), v, valid}) << 2;
    QTest::newRow("evidence and generate-key") << traceArgs({QStringLiteral("--evidence"), QStringLiteral("e.zip"), g, QStringLiteral("X")}) << 2;
    QTest::newRow("generate-key with an audit file") << QStringList{g, QStringLiteral("X"), QStringLiteral("--audit-file"), QStringLiteral("A.jsonl")} << 2;
    QTest::newRow("empty evidence path") << traceArgs({QStringLiteral("--evidence"), QString()}) << 2;
    QTest::newRow("empty output path")
        << traceArgs({QStringLiteral("--graph"), QStringLiteral("dot"), QStringLiteral("--output"), QString()}) << 2;
    QTest::newRow("empty audit file") << QStringList{QStringLiteral("--audit-file"), QString(), QStringLiteral("--list")} << 2;
    QTest::newRow("empty verify path") << QStringList{v, QString()} << 2;
    QTest::newRow("force without generate-key") << traceArgs({QStringLiteral("--force")}) << 2;
    // one action with several outputs, as the documentation shows them
    QTest::newRow("trace summary") << traceArgs({QStringLiteral("--summary")}) << 0;
    QTest::newRow("summary before trace") << QStringList{QStringLiteral("--audit-file"), QStringLiteral("A.jsonl"), QStringLiteral("--summary"),
                                                         QStringLiteral("--trace-id"), kTrace} << 0;
    QTest::newRow("trace diff") << traceArgs({QStringLiteral("--diff")}) << 0;
    QTest::newRow("policy diff with output")
        << traceArgs({QStringLiteral("--policy"), QStringLiteral("P.yaml"), QStringLiteral("--diff"), QStringLiteral("--output"), QStringLiteral("d.json")}) << 0;
    QTest::newRow("evidence with policy")
        << traceArgs({QStringLiteral("--evidence"), QStringLiteral("e.zip"), QStringLiteral("--policy"), QStringLiteral("P.yaml"), QStringLiteral("--no-svg")}) << 0;
}

void TestCliFiles::oneAction()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QTemporaryDir dir;
    QVERIFY(makeWorkDir(dir.path()));
    const QStringList before = snapshot(dir.path());
    const Run r = runCli(dir.path(), args + QStringList{QStringLiteral("--quiet")}, {RLIM_INFINITY, {}, 60000});
    QVERIFY(!r.timedOut);
    QVERIFY2(r.exitCode == exitCode, r.err.constData());
    if (exitCode == 2) {
        QVERIFY2(r.err.startsWith("Error: "), r.err.constData());
        QCOMPARE(snapshot(dir.path()), before); // a refused call writes nothing
    }
}

QTEST_GUILESS_MAIN(TestCliFiles)
#include "tst_clifiles.moc"
