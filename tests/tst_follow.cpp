// Following growing sources for the live watch (issue 14): every line read
// exactly once and in order through growth in pieces, rotation (rename +
// create), copytruncate, truncation, deletion and re-creation, a last line
// completed later, a FIFO, a folder whose newer file takes over, and a writer
// in another process; each open a segment whose SHA-256 is that of the bytes
// read. rw_model only.
#include "model/backgroundsha256.h"
#include "model/followsource.h"
#include "model/followwatcher.h"
#include "model/sourcefile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QThread>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace rw;

namespace {

struct Seen
{
    std::vector<std::string> lines;
    std::vector<FollowedLine> where; // text and path views cleared
    std::vector<std::string> paths;
    std::vector<FollowNote> notes;

    FollowLineSink lineSink()
    {
        return [this](const FollowedLine& l) {
            lines.emplace_back(l.text);
            FollowedLine copy = l;
            copy.text = {};
            paths.emplace_back(l.path);
            copy.path = {};
            where.push_back(copy);
        };
    }
    FollowNoteSink noteSink()
    {
        return [this](const FollowNote& n) { notes.push_back(n); };
    }
    int count(FollowFinding f) const
    {
        return static_cast<int>(std::count_if(notes.begin(), notes.end(), [&](const FollowNote& n) { return n.finding == f; }));
    }
};

bool append(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::Append) && f.write(bytes) == bytes.size();
}

std::vector<std::string> numbered(int from, int to)
{
    std::vector<std::string> out;
    for (int i = from; i < to; ++i)
        out.push_back("{\"n\":" + std::to_string(i) + "}");
    return out;
}

QByteArray joined(const std::vector<std::string>& lines)
{
    QByteArray out;
    for (const std::string& l : lines)
        out += QByteArray::fromStdString(l) + '\n';
    return out;
}

QByteArray readAllOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// the file's modification time, `seconds` from now (newer or older whatever the clock's resolution)
bool setModified(const QString& path, int seconds)
{
    QFile f(path);
    return f.open(QIODevice::ReadWrite) && f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(seconds), QFileDevice::FileModificationTime);
}

std::string shaOf(const QByteArray& bytes)
{
    return sha256Hex(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

} // namespace

class TestFollow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void grownInPieces();
    void rotationDrainsTheOldFileFirst();
    void truncationSaysSoAndRereads_data();
    void truncationSaysSoAndRereads();
    void deletedThenRecreated();
    void incompleteLineAge();
    void longLineSkipped();
    void fifoToItsEnd();
    void folderFollowsTheNewest();
    void folderRotationReadsNothingTwice();
    void writerInAnotherProcess();
    void watcherPollsOnChange();
    void backgroundHash_data();
    void backgroundHash();
    void bigFileSegmentHash();
};

// a line arrives once, when its line break does; offsets and numbers are the file's
void TestFollow::grownInPieces()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(append(path, joined(numbered(0, 3))));
    FileFollower f(path.toStdString());
    Seen seen;
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 3));
    QVERIFY(seen.where[2].backlog);
    QVERIFY(append(path, QByteArray("{\"n\":3}\r\n{\"n\":")));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 4)); // the CR is not part of the line; the unterminated one is held
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines.size(), std::size_t{4});
    QVERIFY(append(path, QByteArray("4}\n")));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 5));
    QVERIFY(!seen.where[3].backlog);
    QCOMPARE(seen.where[4].line, std::uint64_t{5});
    QCOMPARE(seen.where[4].offset, std::uint64_t{4 * 8 + 1}); // four lines of 8 bytes and a CR
    QCOMPARE(seen.count(FollowFinding::Opened), 1);
    const std::vector<FollowSegment> segments = f.segments();
    QCOMPARE(segments.size(), std::size_t{1});
    QVERIFY(segments[0].open);
    QCOMPARE(segments[0].sha256, shaOf(readAllOf(path)));
    QCOMPARE(segments[0].end, static_cast<std::uint64_t>(QFileInfo(path).size()));
}

// logrotate's `create`: lines written to the old file before the rotation are read first, and
// what its writer still appends to it (before it reopens the name) until it has been quiet a while
void TestFollow::rotationDrainsTheOldFileFirst()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    const QString old = path + QStringLiteral(".1");
    QVERIFY(append(path, joined(numbered(0, 2))));
    std::int64_t clock = 1000000;
    FileFollower::Options options;
    options.clockMs = [&] { return clock; };
    options.rotateWaitMs = 5000;
    FileFollower f(path.toStdString(), options);
    Seen seen;
    f.poll(seen.lineSink(), seen.noteSink());
    QVERIFY(append(path, joined(numbered(2, 4)) + "{\"n\":4"));   // unterminated when rotated
    QVERIFY(QFile::rename(path, old));
    QVERIFY(append(path, joined(numbered(7, 9))));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, (std::vector<std::string>{"{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":7}", "{\"n\":8}"}));
    QVERIFY(!seen.where[4].backlog); // the new file's lines were written while following
    QCOMPARE(seen.where[4].line, std::uint64_t{1});
    QCOMPARE(seen.where[4].offset, std::uint64_t{0});
    QCOMPARE(seen.where[4].segment, std::size_t{1});
    QCOMPARE(seen.count(FollowFinding::Rotated), 1);
    QCOMPARE(f.rotatedOpen(), std::size_t{1});
    // the writer has not reopened yet: its line completes in the old file, and one more comes
    clock += 4000;
    QVERIFY(append(old, QByteArray("}\n") + joined(numbered(5, 6)) + "{\"n\":6"));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines.size(), std::size_t{8});
    QCOMPARE(seen.lines[6], std::string("{\"n\":4}"));
    QCOMPARE(seen.lines[7], std::string("{\"n\":5}"));
    QCOMPARE(seen.where[7].segment, std::size_t{0});
    QCOMPARE(seen.where[7].line, std::uint64_t{6});
    // named as the file is now: its offsets are that file's
    QCOMPARE(seen.paths[7], old.toStdString());
    QCOMPARE(seen.paths[4], path.toStdString());
    QCOMPARE(seen.paths[0], path.toStdString()); // read before the rename: named as it was then
    QCOMPARE(f.segments()[0].path, old.toStdString());
    QCOMPARE(f.segments()[1].path, path.toStdString());
    QVERIFY(f.segments()[0].open);
    QCOMPARE(f.segments()[0].sha256, shaOf(readAllOf(old)));
    // quiet for less than the wait: still read; then closed, its last line incomplete
    clock += 4999;
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(f.rotatedOpen(), std::size_t{1});
    QCOMPARE(seen.count(FollowFinding::IncompleteLine), 0);
    clock += 1;
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(f.rotatedOpen(), std::size_t{0});
    QCOMPARE(seen.lines.back(), std::string("{\"n\":6"));
    QVERIFY(seen.where.back().incomplete);
    QCOMPARE(seen.count(FollowFinding::IncompleteLine), 1);
    const std::vector<FollowSegment> segments = f.segments();
    QCOMPARE(segments.size(), std::size_t{2});
    QVERIFY(!segments[0].open && segments[1].open);
    QCOMPARE(segments[0].sha256, shaOf(readAllOf(old)));
    QCOMPARE(segments[0].end, static_cast<std::uint64_t>(QFileInfo(old).size()));
    QCOMPARE(segments[1].sha256, shaOf(readAllOf(path)));
    QVERIFY(segments[0].inode != segments[1].inode);
    // the end of following reads and closes a rotated file at once
    QVERIFY(QFile::rename(path, path + QStringLiteral(".2")));
    QVERIFY(append(path, joined(numbered(9, 10))));
    f.poll(seen.lineSink(), seen.noteSink());
    QVERIFY(append(path + QStringLiteral(".2"), joined(numbered(10, 11))));
    f.finish(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines.back(), std::string("{\"n\":10}"));
    QCOMPARE(f.rotatedOpen(), std::size_t{0});
    QVERIFY(!f.segments()[1].open && !f.segments()[2].open);
}

void TestFollow::truncationSaysSoAndRereads_data()
{
    QTest::addColumn<bool>("copyFirst");
    QTest::addColumn<bool>("longer"); // between two polls: the size alone cannot tell
    QTest::newRow("truncated") << false << false;
    QTest::newRow("copytruncate") << true << false;
    QTest::newRow("truncated, then written past where reading stopped") << false << true;
}

// the same file, shorter than what was read: a possible gap, then read from 0
void TestFollow::truncationSaysSoAndRereads()
{
    QFETCH(bool, copyFirst);
    QFETCH(bool, longer);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(append(path, joined(numbered(0, 5))));
    FileFollower f(path.toStdString());
    Seen seen;
    f.poll(seen.lineSink(), seen.noteSink());
    if (copyFirst)
        QVERIFY(QFile::copy(path, path + QStringLiteral(".1")));
    QVERIFY(::truncate(path.toLocal8Bit().constData(), 0) == 0);
    const int last = longer ? 100 : 6;
    QVERIFY(append(path, joined(numbered(5, last))));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, last));
    QCOMPARE(seen.count(FollowFinding::Truncated), 1);
    QCOMPARE(seen.where[5].offset, std::uint64_t{0});
    QVERIFY(!seen.where[5].backlog);
    QCOMPARE(f.segments().size(), std::size_t{2});
    QCOMPARE(f.segments()[1].sha256, shaOf(readAllOf(path)));
}

// deleted: said once, the open file still read; the name back: read from 0
void TestFollow::deletedThenRecreated()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(append(path, joined(numbered(0, 2))));
    FileFollower f(path.toStdString());
    Seen seen;
    f.poll(seen.lineSink(), seen.noteSink());
    QVERIFY(QFile::remove(path));
    f.poll(seen.lineSink(), seen.noteSink());
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.count(FollowFinding::Removed), 1);
    QVERIFY(append(path, joined(numbered(2, 4))));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 4));
    QCOMPARE(seen.count(FollowFinding::Rotated), 1);
    // a name that never existed: waited for, said once
    FileFollower later(dir.filePath(QStringLiteral("later.jsonl")).toStdString());
    Seen none;
    later.poll(none.lineSink(), none.noteSink());
    later.poll(none.lineSink(), none.noteSink());
    QCOMPARE(none.count(FollowFinding::Waiting), 1);
    QVERIFY(!later.isOpen());
    QVERIFY(append(dir.filePath(QStringLiteral("later.jsonl")), joined(numbered(0, 1))));
    later.poll(none.lineSink(), none.noteSink());
    QCOMPARE(none.lines, numbered(0, 1));
    QVERIFY(!none.where[0].backlog); // it appeared while following
}

// an unterminated line is said once it is older than the limit, and passed on when it completes
void TestFollow::incompleteLineAge()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(append(path, QByteArray("{\"n\":0}\n{\"n\"")));
    std::int64_t clock = 1000;
    FileFollower::Options options;
    options.incompleteAfterMs = 5000;
    options.clockMs = [&] { return clock; };
    FileFollower f(path.toStdString(), options);
    Seen seen;
    f.poll(seen.lineSink(), seen.noteSink());
    clock += 4000;
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.count(FollowFinding::IncompleteLine), 0);
    clock += 2000;
    f.poll(seen.lineSink(), seen.noteSink());
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.count(FollowFinding::IncompleteLine), 1);
    QCOMPARE(seen.notes.back().offset, std::uint64_t{8});
    QVERIFY(append(path, QByteArray(":1}\n")));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 2));
    QVERIFY(!seen.where[1].incomplete);
}

// a line over the limit is never held whole: said, skipped to its line break, the next one read
void TestFollow::longLineSkipped()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(append(path, "{\"n\":0}\n" + QByteArray(3000, 'x')));
    FileFollower::Options options;
    options.maxLineBytes = 1024;
    FileFollower f(path.toStdString(), options);
    Seen seen;
    f.poll(seen.lineSink(), seen.noteSink());
    QVERIFY(append(path, QByteArray(3000, 'y') + "\n{\"n\":1}\n"));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 2));
    QCOMPARE(seen.count(FollowFinding::LineTooLong), 1);
    QCOMPARE(seen.where[1].line, std::uint64_t{3});
}

// a FIFO: read as it comes, without waiting for a writer; its writer closing ends it
void TestFollow::fifoToItsEnd()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fifo"));
    QVERIFY(::mkfifo(path.toLocal8Bit().constData(), 0600) == 0);
    std::string error;
    std::unique_ptr<FollowSource> source = FollowSource::open(path.toStdString(), "*", {}, error);
    QVERIFY2(source, error.c_str());
    QCOMPARE(source->kind(), FollowSource::Kind::Stream);
    Seen seen;
    source->poll(seen.lineSink(), seen.noteSink()); // no writer yet: nothing, and not the end
    QVERIFY(!source->ended());
    std::thread writer([&] {
        QFile w(path);
        if (!w.open(QIODevice::WriteOnly))
            return;
        w.write(joined(numbered(0, 100)));
        w.flush();
        w.write("{\"n\":100}"); // the last line without its line break
    });
    writer.join();
    for (int i = 0; i < 200 && !source->ended(); ++i) {
        source->poll(seen.lineSink(), seen.noteSink());
        QThread::msleep(5);
    }
    QVERIFY(source->ended());
    QCOMPARE(seen.lines, numbered(0, 101));
    QVERIFY(seen.where.back().incomplete);
    QCOMPARE(seen.count(FollowFinding::Ended), 1);
    QCOMPARE(source->segments().front().sha256, shaOf(joined(numbered(0, 100)) + "{\"n\":100}"));
}

// a folder: its newest matching file; a newer one takes over once the old one is read to its end
void TestFollow::folderFollowsTheNewest()
{
    QTemporaryDir dir;
    QVERIFY(append(dir.filePath(QStringLiteral("a.jsonl")), joined(numbered(0, 2))));
    QVERIFY(append(dir.filePath(QStringLiteral("notes.txt")), QByteArray("not followed\n")));
    std::string error;
    std::unique_ptr<FollowSource> source = FollowSource::open(dir.path().toStdString(), "*.jsonl*", {}, error);
    QVERIFY(source);
    QCOMPARE(source->kind(), FollowSource::Kind::Folder);
    Seen seen;
    source->poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 2));
    QVERIFY(append(dir.filePath(QStringLiteral("a.jsonl")), joined(numbered(2, 3))));
    const QString b = dir.filePath(QStringLiteral("b.jsonl"));
    QVERIFY(append(b, joined(numbered(3, 5))));
    // newer by its time, whatever the clock's resolution
    QVERIFY(setModified(b, 5));
    source->poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 5));
    QVERIFY(seen.where[0].backlog && !seen.where[3].backlog);
    QCOMPARE(seen.count(FollowFinding::Switched), 1);
    QCOMPARE(source->currentPath(), b.toStdString());
    QCOMPARE(source->segments().size(), std::size_t{2});
    // back to a.jsonl (written to again): on from where it stopped, nothing read twice
    QVERIFY(append(dir.filePath(QStringLiteral("a.jsonl")), joined(numbered(5, 6))));
    QVERIFY(setModified(dir.filePath(QStringLiteral("a.jsonl")), 10));
    source->poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 6));
    QCOMPARE(seen.where.back().line, std::uint64_t{4});
    // a rotated log compressed beside it is never followed
    QVERIFY(append(dir.filePath(QStringLiteral("c.jsonl.1.gz")), QByteArray("\x1f\x8b")));
    QVERIFY(setModified(dir.filePath(QStringLiteral("c.jsonl.1.gz")), 20));
    source->poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(source->currentPath(), dir.filePath(QStringLiteral("a.jsonl")).toStdString());
}

// a folder whose log is rotated while its writer still appends to the renamed file: that file is
// the newest for a while and is followed again, from where reading stopped, not from 0
void TestFollow::folderRotationReadsNothingTwice()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("audit.jsonl"));
    const QString old = log + QStringLiteral(".1");
    QVERIFY(append(log, joined(numbered(0, 3))));
    std::string error;
    std::unique_ptr<FollowSource> source = FollowSource::open(dir.path().toStdString(), "*.json*", {}, error);
    QVERIFY(source);
    Seen seen;
    source->poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 3));
    QVERIFY(QFile::rename(log, old));
    QVERIFY(append(log, QByteArray()));
    QVERIFY(setModified(log, -5));
    source->poll(seen.lineSink(), seen.noteSink()); // the rotation seen: the old file kept open
    // the writer has not reopened yet: the renamed file grows and is the newest
    QVERIFY(append(old, joined(numbered(3, 5))));
    QVERIFY(setModified(old, 5));
    source->poll(seen.lineSink(), seen.noteSink());
    source->poll(seen.lineSink(), seen.noteSink());
    QVERIFY(append(old, joined(numbered(5, 6))));
    source->poll(seen.lineSink(), seen.noteSink());
    // then it reopens: the new file is written, newer
    QVERIFY(append(log, joined(numbered(6, 8))));
    QVERIFY(setModified(log, 10));
    source->poll(seen.lineSink(), seen.noteSink());
    source->finish(seen.lineSink(), seen.noteSink());
    std::vector<std::string> sorted = seen.lines;
    std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
        return std::stoi(a.substr(5)) < std::stoi(b.substr(5));
    });
    QCOMPARE(sorted, numbered(0, 8)); // each line once
}

// a writer in another process at a set rate, rotating half-way as a daemon under logrotate's
// `create` does: the file renamed, a new one created at the name, and the writer still appending to
// the old one for a while before it reopens the name: every line once, in order
void TestFollow::writerInAnotherProcess()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    const QString script = QStringLiteral(
        "import os, sys, time\n"
        "path = sys.argv[1]\n"
        "f = open(path, 'a')\n"
        "for i in range(2000):\n"
        "    if i == 1000:\n"
        "        os.rename(path, path + '.1'); open(path, 'a').close()\n"
        "    if i == 1100:\n"
        "        f.close(); f = open(path, 'a')\n"
        "    f.write('{\"n\":%d}\\n' % i)\n"
        "    if i % 50 == 0:\n"
        "        f.flush(); time.sleep(0.002)\n"
        "f.close()\n");
    FileFollower follower(path.toStdString());
    Seen seen;
    QProcess writer;
    writer.start(QStringLiteral("python3"), {QStringLiteral("-c"), script, path});
    QVERIFY(writer.waitForStarted());
    while (writer.state() != QProcess::NotRunning) {
        follower.poll(seen.lineSink(), seen.noteSink());
        writer.waitForFinished(3);
    }
    QCOMPARE(writer.exitCode(), 0);
    follower.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines, numbered(0, 2000));
}

// the watcher polls when the file changes, without waiting for its (long) timer
void TestFollow::watcherPollsOnChange()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(append(path, joined(numbered(0, 1))));
    std::string error;
    std::unique_ptr<FollowSource> source = FollowSource::open(path.toStdString(), "*", {}, error);
    FollowWatcher watcher(*source, 60000);
    Seen seen;
    watcher.setSinks(seen.lineSink(), seen.noteSink());
    watcher.start();
    QCOMPARE(seen.lines, numbered(0, 1));
    QVERIFY(append(path, joined(numbered(1, 2))));
    QTRY_COMPARE_WITH_TIMEOUT(seen.lines.size(), std::size_t{2}, 5000);
    QVERIFY(QFile::rename(path, path + QStringLiteral(".1")));
    QVERIFY(append(path, joined(numbered(2, 3))));
    QTRY_COMPARE_WITH_TIMEOUT(seen.lines.size(), std::size_t{3}, 5000);
    QCOMPARE(seen.lines, numbered(0, 3));
}

// the follower's hash runs on a thread once blocks fill: the same digest as one call over the bytes,
// peeked at any point, whatever the pieces (across block edges, more than the queue holds)
void TestFollow::backgroundHash_data()
{
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("piece");
    QTest::addColumn<int>("peekEvery"); // pieces between peeks (0: none)
    const int block = static_cast<int>(BackgroundSha256::kBlockBytes);
    QTest::newRow("empty") << 0 << 1 << 0;
    QTest::newRow("under a block, no thread") << 1000 << 7 << 13;
    QTest::newRow("one block exactly") << block << 4096 << 0;
    QTest::newRow("a byte over") << block + 1 << block + 1 << 1;
    QTest::newRow("more than the queue") << 9 * block + 5 << 65521 << 17;
    QTest::newRow("odd pieces, many peeks") << 3 * block - 1 << 333333 << 1;
}

void TestFollow::backgroundHash()
{
    QFETCH(int, total);
    QFETCH(int, piece);
    QFETCH(int, peekEvery);
    std::string bytes(static_cast<std::size_t>(total), '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>((i * 2654435761u) >> 13);
    BackgroundSha256 h;
    std::size_t done = 0;
    for (int n = 1; done < bytes.size(); ++n) {
        const std::size_t take = std::min<std::size_t>(static_cast<std::size_t>(piece), bytes.size() - done);
        h.update(std::string_view(bytes).substr(done, take));
        done += take;
        if (peekEvery && n % peekEvery == 0)
            QCOMPARE(h.peekHex(), sha256Hex(std::string_view(bytes).substr(0, done)));
    }
    QCOMPARE(h.peekHex(), sha256Hex(bytes));
    QCOMPARE(h.finishHex(), sha256Hex(bytes));
}

// a file of several blocks read in one poll: its segment's hash is the file's
void TestFollow::bigFileSegmentHash()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("audit.jsonl"));
    QVERIFY(append(path, joined(numbered(0, 700000)))); // about 9 MiB
    FileFollower f(path.toStdString());
    Seen seen;
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(seen.lines.size(), std::size_t{700000});
    QCOMPARE(f.segments().front().sha256, shaOf(readAllOf(path)));
    QVERIFY(append(path, QByteArray("{\"n\":700000}\n")));
    f.poll(seen.lineSink(), seen.noteSink());
    QCOMPARE(f.segments().front().sha256, shaOf(readAllOf(path)));
}

QTEST_GUILESS_MAIN(TestFollow)
#include "tst_follow.moc"
