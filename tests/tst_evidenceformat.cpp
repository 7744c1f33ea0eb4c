// The pieces an evidence export of millions of records is made of, checked
// against the slow, obvious versions they replaced: index entries written by
// hand are the bytes canonical JSON gives, the columnar index reader agrees
// with a JSON parser on what is valid and what each field holds, chunked
// deflate round-trips through zlib, bounded JSON parsing refuses what is too
// deep, and a verification reusing the exporter's buffers says the same.
#include "model/eventjson.h"
#include "model/sourcefile.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencerecords.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/zipdeflate.h"

#include <QtTest>

#include <zlib.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <random>
#include <thread>

using namespace rw;

class TestEvidenceFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void indexEntryIsCanonicalJson_data();
    void indexEntryIsCanonicalJson();
    void indexReaderAgreesWithParser_data();
    void indexReaderAgreesWithParser();
    void indexReaderFields();
    void indexDepthLimit();
    void chunkedDeflateRoundTrips_data();
    void chunkedDeflateRoundTrips();
    void chunkedDeflateStops();
    void boundedParse_data();
    void boundedParse();
    void sha256IntoMatchesOnEveryThread();
};

namespace {

std::string canonical(std::size_t line, const std::string& traceId, std::size_t source, std::uint64_t sourceLine,
                      std::uint64_t byteOffset, std::uint64_t recordOffset, std::string_view record)
{
    return canonicalJson({{"line", line},
                          {"trace_id", traceId},
                          {"source", source},
                          {"source_line", sourceLine},
                          {"byte_offset", byteOffset},
                          {"record_offset", recordOffset},
                          {"bytes", record.size()},
                          {"sha256", sha256Hex(record)}});
}

std::string inflateRaw(const std::string& deflated, std::size_t expected, bool* ok)
{
    std::string out(expected + 1, '\0');
    z_stream s{};
    *ok = inflateInit2(&s, -MAX_WBITS) == Z_OK;
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
    s.avail_in = static_cast<uInt>(deflated.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&s, Z_FINISH);
    *ok = *ok && rc == Z_STREAM_END && s.avail_in == 0;
    out.resize(s.total_out);
    inflateEnd(&s);
    return out;
}

} // namespace

void TestEvidenceFormat::indexEntryIsCanonicalJson_data()
{
    QTest::addColumn<QByteArray>("traceId");
    QTest::addColumn<quint64>("big");
    QTest::newRow("plain") << QByteArray("big-trace") << quint64(0);
    QTest::newRow("quotes and backslashes") << QByteArray("a\"b\\c") << quint64(7);
    QTest::newRow("control characters") << QByteArray("tab\there\nnl\x01\x1f") << quint64(123456789);
    QTest::newRow("non-ASCII") << QByteArray("trace-\xc3\xa9-\xe2\x80\xae-\xf0\x9f\x98\x80") << quint64(1);
    QTest::newRow("invalid UTF-8") << QByteArray("bad-\xff\xfe-\xc3") << quint64(UINT64_MAX);
    QTest::newRow("empty") << QByteArray() << quint64(UINT64_MAX - 1);
}

void TestEvidenceFormat::indexEntryIsCanonicalJson()
{
    QFETCH(QByteArray, traceId);
    QFETCH(quint64, big);
    const std::string id = traceId.toStdString();
    const std::string record = R"({"event_type":"tool_call","x":"\u00e9"})";
    std::string out;
    appendIndexEntry(out, 42, indexTraceIdJson(id), 3, big, big / 2, 1234, record.size(), sha256Hex(record));
    QCOMPARE(out, canonical(42, id, 3, big, big / 2, 1234, record));
}

void TestEvidenceFormat::indexReaderAgreesWithParser_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty list") << QByteArray("[]");
    QTest::newRow("empty list, spaced") << QByteArray(" \n[ \t]\r\n");
    QTest::newRow("two entries") << QByteArray("[\n{\"bytes\":1,\"sha256\":\"x\"},\n{\"bytes\":2}\n]\n");
    QTest::newRow("strings with separators") << QByteArray(R"([{"a":"],}{[","b":"\"","c":"\\"},{"d":"\\\""}])");
    QTest::newRow("nested values") << QByteArray(R"([{"a":[1,[2,{"b":[]}]],"c":{"d":{}}},[],5,"s",null])");
    QTest::newRow("not a list") << QByteArray(R"({"bytes":1})");
    QTest::newRow("trailing comma") << QByteArray("[{\"a\":1},]");
    QTest::newRow("empty element") << QByteArray("[{\"a\":1},,{\"a\":2}]");
    QTest::newRow("stray closing brace") << QByteArray("[{\"a\":1}}]");
    QTest::newRow("unclosed") << QByteArray("[{\"a\":1}");
    QTest::newRow("unterminated string") << QByteArray("[{\"a\":\"x}]");
    QTest::newRow("garbage after") << QByteArray("[{\"a\":1}] x");
    QTest::newRow("second list after") << QByteArray("[1][2]");
    QTest::newRow("bad value in entry") << QByteArray("[{\"a\":tru}]");
    QTest::newRow("bad escape in ignored field") << QByteArray(R"([{"a":"\q","bytes":1}])");
    QTest::newRow("missing colon") << QByteArray("[{\"a\" 1}]");
    QTest::newRow("invalid UTF-8") << QByteArray("[{\"a\":\"\xff\"}]");
    QTest::newRow("nothing") << QByteArray("");
}

void TestEvidenceFormat::indexReaderAgreesWithParser()
{
    QFETCH(QByteArray, text);
    const std::string s = text.toStdString();
    const bool valid = nlohmann::json::accept(s) && nlohmann::json::parse(s).is_array();
    const auto read = readIndex(s);
    QCOMPARE(read.has_value(), valid);
    if (valid)
        QCOMPARE(read->size(), nlohmann::json::parse(s).size());
}

void TestEvidenceFormat::indexReaderFields()
{
    const std::string hex(64, 'a');
    const std::string text = "[{\"bytes\":5,\"record_offset\":0,\"source\":2,\"byte_offset\":99,\"sha256\":\"" + hex +
                             "\"},"
                             "{\"bytes\":5.0,\"record_offset\":-1,\"source\":\"2\",\"sha256\":\"short\"},"
                             "{\"bytes\":1,\"bytes\":7,\"sha256\":1},"
                             "[1,2],"
                             "{\"bytes\":18446744073709551615,\"record_offset\":null}]";
    const auto index = readIndex(text);
    QVERIFY(index);
    QCOMPARE(index->size(), std::size_t(5));
    const IndexEntry& a = (*index)[0];
    QCOMPARE(a.get(IndexEntry::Bytes), std::optional<std::uint64_t>(5));
    QCOMPARE(a.get(IndexEntry::RecordOffset), std::optional<std::uint64_t>(0));
    QCOMPARE(a.get(IndexEntry::Source), std::optional<std::uint64_t>(2));
    QCOMPARE(a.get(IndexEntry::ByteOffset), std::optional<std::uint64_t>(99));
    QVERIFY(a.hasRecordOffsetKey());
    QVERIFY(a.sha256Is(hex));
    QVERIFY(!a.sha256Is(std::string(64, 'b')));
    // wrong types read as absent: a float, a negative number, a string
    const IndexEntry& b = (*index)[1];
    QVERIFY(!b.get(IndexEntry::Bytes));
    QVERIFY(!b.get(IndexEntry::RecordOffset));
    QVERIFY(b.hasRecordOffsetKey());
    QVERIFY(!b.get(IndexEntry::Source));
    QVERIFY(!b.get(IndexEntry::ByteOffset));
    QVERIFY(!b.sha256Is("short"));
    // a repeated key ends with its last value, as nlohmann_json reads it
    const IndexEntry& c = (*index)[2];
    QCOMPARE(c.get(IndexEntry::Bytes), std::optional<std::uint64_t>(7));
    QVERIFY(!c.hasRecordOffsetKey());
    // an entry that is not an object has no fields
    QVERIFY(!(*index)[3].get(IndexEntry::Bytes));
    QCOMPARE((*index)[4].get(IndexEntry::Bytes), std::optional<std::uint64_t>(UINT64_MAX));
    QVERIFY((*index)[4].hasRecordOffsetKey() && !(*index)[4].get(IndexEntry::RecordOffset));

    // slicing by them: a float length is "no length", as before
    const RecordSlices slices = sliceRecords("abcde\n", std::vector<IndexEntry>{b}, false);
    QVERIFY(slices.problem.find("has no length") != std::string::npos);
    const RecordSlices good = sliceRecords("abcde\n", std::vector<IndexEntry>{a}, true);
    QVERIFY2(good.problem.empty(), good.problem.c_str());
    QCOMPARE(good.records.size(), std::size_t(1));
    QCOMPARE(std::string(good.records[0]), std::string("abcde"));
}

void TestEvidenceFormat::indexDepthLimit()
{
    auto nested = [](int depth) { return "[" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "]"; };
    QVERIFY(readIndex(nested(64), 64));
    QVERIFY(!readIndex(nested(65), 64));
    QVERIFY(!readIndex(nested(5000), 64));
}

void TestEvidenceFormat::chunkedDeflateRoundTrips_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("chunk");
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("level");
    const int chunk = 64 << 10;
    QTest::newRow("empty") << 0 << chunk << 2 << 3;
    QTest::newRow("one byte") << 1 << chunk << 2 << 3;
    QTest::newRow("chunk - 1") << chunk - 1 << chunk << 2 << 3;
    QTest::newRow("exactly one chunk") << chunk << chunk << 2 << 3;
    QTest::newRow("chunk + 1") << chunk + 1 << chunk << 2 << 3;
    QTest::newRow("many chunks, 1 thread") << 40 * chunk + 17 << chunk << 1 << 3;
    QTest::newRow("many chunks, 4 threads") << 40 * chunk + 17 << chunk << 4 << 3;
    QTest::newRow("level 0") << 10 * chunk << chunk << 3 << 0;
    QTest::newRow("level 1") << 10 * chunk << chunk << 3 << 1;
    QTest::newRow("level 3") << 10 * chunk + 3 << chunk << 2 << 3;
    QTest::newRow("random bytes (stored blocks)") << 5 * chunk << chunk << 2 << -1;
}

void TestEvidenceFormat::chunkedDeflateRoundTrips()
{
    QFETCH(int, size);
    QFETCH(int, chunk);
    QFETCH(int, threads);
    QFETCH(int, level);
    // text with repeats across chunk borders (the dictionary matters) and random runs
    std::mt19937 random(size);
    std::string input;
    const bool noise = level < 0; // incompressible: the output is bigger than the input
    if (noise)
        level = 2;
    while (input.size() < static_cast<std::size_t>(size)) {
        if (noise) {
            input += static_cast<char>(random());
            continue;
        }
        input += R"({"event_type":"tool_call","trace_id":"t-)" + std::to_string(random() % 50) + "\"}\n";
        for (int i = 0; i < 20; ++i)
            input += static_cast<char>(random());
    }
    input.resize(static_cast<std::size_t>(size));
    const DeflatedMember d = deflateChunked(input, level, static_cast<unsigned>(threads), static_cast<std::size_t>(chunk));
    QVERIFY(d.ok);
    if (!noise && size > 4 * chunk)
        QVERIFY2(d.data.size() < input.size() / 2, "text this repetitive should compress");
    QCOMPARE(d.crc, static_cast<std::uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(input.data()), input.size())));
    bool ok = false;
    const std::string back = inflateRaw(d.data, input.size(), &ok);
    QVERIFY(ok);
    QCOMPARE(back.size(), input.size());
    QVERIFY(back == input);
}

void TestEvidenceFormat::chunkedDeflateStops()
{
    const std::string input(8u << 20, 'x');
    const std::atomic<bool> stop{true};
    QVERIFY(!deflateChunked(input, 3, 2, 64u << 10, &stop).ok);
}

void TestEvidenceFormat::boundedParse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("depth");
    QTest::addColumn<bool>("ok");
    auto nested = [](int depth) -> QByteArray { return QByteArray(depth, '[') + QByteArray(depth, ']'); };
    QTest::newRow("at the limit") << nested(64) << 64 << true;
    QTest::newRow("one deeper") << nested(65) << 64 << false;
    QTest::newRow("very deep") << nested(100000) << 64 << false;
    QTest::newRow("brackets in strings do not count") << QByteArray("[\"" + QByteArray(500, '[') + "\"]") << 2 << true;
    QTest::newRow("invalid") << QByteArray("{bad") << 64 << false;
    QTest::newRow("many objects in one list") << QByteArray("[" + QByteArray("{\"a\":1},").repeated(20000) + "{}]") << 64 << true;
}

void TestEvidenceFormat::boundedParse()
{
    QFETCH(QByteArray, text);
    QFETCH(int, depth);
    QFETCH(bool, ok);
    std::string error;
    const auto ordered = parseJsonText(text.toStdString(), &error, depth);
    QCOMPARE(ordered.has_value(), ok);
    QCOMPARE(error.empty(), ok);
    QCOMPARE(parseJsonValue(text.toStdString(), static_cast<std::size_t>(depth)).has_value(), ok);
}

void TestEvidenceFormat::sha256IntoMatchesOnEveryThread()
{
    // the per-thread context must start clean on every call, whatever came before
    std::vector<std::string> inputs = {"", "abc", std::string(1000, 'z'), std::string(3u << 20, '\x01')};
    const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    std::atomic<int> bad{0};
    auto work = [&] {
        for (int round = 0; round < 50; ++round)
            for (const std::string& in : inputs) {
                char hex[64];
                sha256HexInto(in, hex);
                if (std::string(hex, 64) != sha256Hex(in))
                    ++bad;
            }
    };
    std::thread a(work), b(work);
    work();
    a.join();
    b.join();
    QCOMPARE(bad.load(), 0);
    QCOMPARE(sha256Hex("abc"), abc);
}

QTEST_GUILESS_MAIN(TestEvidenceFormat)
#include "tst_evidenceformat.moc"
