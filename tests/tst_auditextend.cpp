// The loader's append path (AuditLoader::extendFile): a grown audit log
// extended from its previous model must be the model a full load of the grown
// file gives — every record, string, trace, finding and count — whatever was
// appended (a half-written last line completed, bad lines, ids repeated across
// the old and new part, CRLF, slices on all cores); and a file that was not
// only appended to is loaded in full.
#include "model/auditloader.h"
#include "tests/testutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace rw;
using rwtest::planLine;

namespace {

// Everything a model holds, as text (ids as their strings: two loads intern in different orders).
std::string dump(const ReplayModel& m)
{
    std::string out;
    auto add = [&](const std::string& s) { out += s + '\n'; };
    const LoadStats& st = m.stats();
    add("bytes " + std::to_string(st.bytes) + " lines " + std::to_string(st.lines) + " blank " +
        std::to_string(st.blankLines) + " crlf " + std::to_string(st.crlfLines) + " events " + std::to_string(st.events) +
        " rejected " + std::to_string(st.rejected) + " unstored " + std::to_string(st.unstoredRecords) + " traces " +
        std::to_string(st.traces) + " without " + std::to_string(st.withoutTrace) + " format " +
        std::to_string(static_cast<int>(m.format())));
    for (std::size_t k = 0; k < kDiagnosticCodeCount; ++k)
        if (st.diagnosticCounts[k])
            add("count " + std::to_string(k) + ' ' + std::to_string(st.diagnosticCounts[k]));
    for (std::size_t i = 0; i < m.eventCount(); ++i) {
        const EventRecord& r = m.event(i);
        std::string line = "event " + std::to_string(r.offset) + ' ' + std::to_string(r.length) + ' ' +
                           std::to_string(r.line) + ' ' + std::to_string(r.flags) + ' ' + std::to_string(r.timeUs) + ' ' +
                           std::to_string(static_cast<int>(r.decision)) + ' ' + std::to_string(static_cast<int>(r.risk));
        for (std::size_t f = 0; f < kFieldCount; ++f)
            line += r.str[f] == kNoStr ? std::string(" -") : " [" + std::string(m.str(r.str[f])) + ']';
        for (const ProvenanceItem& p : m.provenance(r))
            line += " prov " + std::string(m.str(p.sourceType)) + '/' + std::string(m.str(p.sourceName)) + '/' +
                    std::string(m.str(p.trustLevel));
        for (const Span32 span : {r.requestedCaps, r.grantedCaps, r.violations}) {
            line += " list";
            for (const StrId s : m.list(span))
                line += ' ' + std::string(m.str(s));
        }
        add(line);
    }
    for (std::size_t t = 0; t < m.traceCount(); ++t) {
        std::string line = "trace " + std::string(m.str(m.trace(t).id)) + " diags " +
                           std::to_string(m.traceDiagnosticCount(t)) + ':';
        for (const std::uint32_t e : m.traceEvents(t))
            line += ' ' + std::to_string(e);
        add(line);
    }
    for (const Diagnostic& d : m.diagnostics())
        add("finding " + std::to_string(d.line) + ' ' + std::to_string(d.offset) + ' ' +
            std::to_string(static_cast<int>(d.code)) + ' ' + std::to_string(d.record) + ' ' + d.detail);
    return out;
}

void append(const QString& path, const std::string& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::Append));
    QCOMPARE(f.write(bytes.data(), static_cast<qint64>(bytes.size())), static_cast<qint64>(bytes.size()));
}

std::string lines(const std::string& prefix, int count, int traces)
{
    std::string out;
    for (int i = 0; i < count; ++i)
        out += planLine("t" + std::to_string(i % traces), prefix + std::to_string(i),
                        i % 3 == 0 ? std::string(", \"provenance\": [{\"source_type\": \"web\", \"trust_level\": \"low\"}]")
                                   : std::string()) +
               '\n';
    return out;
}

} // namespace

class TestAuditExtend : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void extendedEqualsFullLoad_data();
    void extendedEqualsFullLoad();
    void notAppendedIsLoadedInFull_data();
    void notAppendedIsLoadedInFull();
    void keptStringsOutliveThePreviousModel();
};

void TestAuditExtend::extendedEqualsFullLoad_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<int>("threads");
    const std::string base = lines("e", 40, 7);
    auto b = [](const std::string& s) { return QByteArray::fromStdString(s); };
    QTest::newRow("plain append") << b(base) << b(lines("n", 25, 9)) << 1;
    const std::string whole = planLine("t1", "half") + '\n';
    QTest::newRow("half-written last line completed")
        << b(base + whole.substr(0, whole.size() / 2)) << b(whole.substr(whole.size() / 2) + lines("n", 3, 2)) << 1;
    QTest::newRow("half-written line still unfinished")
        << b(base + whole.substr(0, 20)) << b(whole.substr(20, 10)) << 1;
    QTest::newRow("a last line that is whole JSON without its line break")
        << b(base + planLine("t2", "nobreak")) << b("\n" + lines("n", 2, 2)) << 1;
    QTest::newRow("bad lines, blank lines and CRLF")
        << b(base + "not json\n\n" + planLine("t3", "crlf") + "\r\n") << b("{\"broken\": \n   \n" + planLine("t3", "c2") + "\r\n") << 1;
    QTest::newRow("ids repeated across the old and the new part")
        << b(base + planLine("t1", "e3") + '\n') << b(planLine("t4", "e5") + '\n' + planLine("t4", "n0") + '\n' + planLine("t4", "n0") + '\n') << 1;
    QTest::newRow("blank unfinished last line") << b(base + "   ") << b("  \n" + lines("n", 2, 2)) << 1;
    QTest::newRow("CR at the end of the unfinished line") << b(base + "\r") << b("\n" + lines("n", 2, 2)) << 1;
    QTest::newRow("nothing appended") << b(base) << QByteArray() << 1;
    // more than a MiB appended: several slices on several cores
    QTest::newRow("big append on all cores") << b(base) << b(lines("big", 9000, 300)) << 4;
}

void TestAuditExtend::extendedEqualsFullLoad()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(int, threads);
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/audit.jsonl");
    append(path, before.toStdString());
    LoadOptions options;
    options.limits.threads = static_cast<unsigned>(threads);
    LoadResult first = AuditLoader::loadFile(path.toStdString(), options);
    QVERIFY(first.model);
    append(path, after.toStdString());

    LoadResult grown = AuditLoader::extendFile(*first.model, options);
    QVERIFY(grown.model);
    QVERIFY(grown.extended);
    QVERIFY(grown.keptEvents > 0);
    QVERIFY(grown.keptEvents <= first.model->eventCount());
    first.model.reset(); // nothing of the extension may point into the previous model
    const std::string extended = dump(*grown.model); // before any other mapping can take the old one's place
    LoadResult full = AuditLoader::loadFile(path.toStdString(), options);
    QVERIFY(full.model);
    QCOMPARE(extended, dump(*full.model));
    QCOMPARE(grown.model->sha256(), full.model->sha256());

    // Follow extends what it extended before: the kept hashes, fingerprint and moved strings again
    append(path, lines("again", 6, 5) + planLine("t1", "e2") + '\n');
    LoadResult twice = AuditLoader::extendFile(*grown.model, options);
    QVERIFY(twice.extended);
    grown.model.reset();
    const std::string again = dump(*twice.model);
    LoadResult fullAgain = AuditLoader::loadFile(path.toStdString(), options);
    QCOMPARE(again, dump(*fullAgain.model));
}

void TestAuditExtend::notAppendedIsLoadedInFull_data()
{
    QTest::addColumn<QString>("change");
    QTest::newRow("rotated: another file at the name") << QStringLiteral("rotate");
    QTest::newRow("truncated") << QStringLiteral("truncate");
    QTest::newRow("run trace document") << QStringLiteral("runtrace");
    QTest::newRow("run document still being written") << QStringLiteral("halfdocument");
    QTest::newRow("rewritten in place, same size") << QStringLiteral("inplace");
    QTest::newRow("findings limit reached by the new lines") << QStringLiteral("limit");
}

void TestAuditExtend::notAppendedIsLoadedInFull()
{
    QFETCH(QString, change);
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/audit.jsonl");
    const std::string document = rwtest::readFile(QStringLiteral(RW_SOURCE_DIR "/sample-audits/run-branching.json"));
    LoadOptions options;
    options.limits.maxStoredDiagnostics = 4;
    if (change == QLatin1String("runtrace"))
        append(path, document);
    else if (change == QLatin1String("halfdocument")) // pretty-printed: read as lines until it is whole
        append(path, document.substr(0, document.find('\n', document.size() / 2) + 1));
    else if (change == QLatin1String("limit"))
        append(path, lines("e", 30, 4) + "bad one\nbad two\n");
    else if (change == QLatin1String("inplace")) // past the 64 KiB edges the fingerprint covers
        append(path, lines("e", 3000, 4));
    else
        append(path, lines("e", 30, 4));
    LoadResult first = AuditLoader::loadFile(path.toStdString(), options);
    QVERIFY(first.model);
    if (change == QLatin1String("rotate")) {
        QVERIFY(QFile::rename(path, path + QStringLiteral(".1")));
        append(path, lines("r", 50, 3));
    } else if (change == QLatin1String("truncate")) {
        QVERIFY(::truncate(QFile::encodeName(path).constData(), 0) == 0);
        append(path, lines("r", 45, 3));
    } else if (change == QLatin1String("halfdocument")) {
        append(path, document.substr(document.find('\n', document.size() / 2) + 1));
    } else if (change == QLatin1String("inplace")) {
        // a letter in the middle changed, nothing appended: the edges before the cut are the same
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const QByteArray all = f.readAll();
        const qsizetype at = all.indexOf("\"e1500\"") + 2;
        QVERIFY(at > 128 * 1024 && at < all.size() - 128 * 1024);
        f.seek(at);
        f.write("X");
        f.close();
        const timespec later[2] = {{0, UTIME_OMIT}, {std::time(nullptr) + 5, 0}}; // a newer time, whatever the clock's grain
        QVERIFY(::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), later, 0) == 0);
    } else if (change == QLatin1String("limit")) {
        append(path, "bad three\nbad four\nbad five\n" + lines("n", 3, 2));
    } else {
        append(path, "\n");
    }
    LoadResult grown = AuditLoader::extendFile(*first.model, options);
    QVERIFY(grown.model);
    QVERIFY(!grown.extended);
    QCOMPARE(grown.keptEvents, std::size_t{0});
    LoadResult full = AuditLoader::loadFile(path.toStdString(), options);
    QCOMPARE(dump(*grown.model), dump(*full.model));
    if (change == QLatin1String("halfdocument"))
        QCOMPARE(grown.model->format(), Format::RunTrace);
}

void TestAuditExtend::keptStringsOutliveThePreviousModel()
{
    // escaped strings live in the pool's arena, plain ones in the mapping: both
    // must read the same after the previous model (its arena, its mapping) is gone
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/audit.jsonl");
    append(path, planLine("t\\u00e9", "esc\\\"aped", ", \"reason\": \"line\\nbreak\"") + '\n' + planLine("plain", "p1") + '\n');
    LoadResult first = AuditLoader::loadFile(path.toStdString());
    QVERIFY(first.model);
    append(path, planLine("plain", "p2") + '\n');
    LoadResult grown = AuditLoader::extendFile(*first.model);
    first.model.reset();
    QVERIFY(grown.extended);
    const ReplayModel& m = *grown.model;
    QCOMPARE(m.eventCount(), std::size_t{3});
    QCOMPARE(m.str(m.event(0), Field::TraceId), std::string_view("t\xc3\xa9"));
    QCOMPARE(m.str(m.event(0), Field::EventId), std::string_view("esc\"aped"));
    QCOMPARE(m.str(m.event(0), Field::Reason), std::string_view("line\nbreak"));
    QCOMPARE(m.str(m.event(1), Field::TraceId), std::string_view("plain"));
    QCOMPARE(m.traceCount(), std::size_t{2});
    QCOMPARE(m.traceEvents(1).size(), std::size_t{2});
}

QTEST_GUILESS_MAIN(TestAuditExtend)
#include "tst_auditextend.moc"
