#include "model/stringpool.h"

#include <QtTest>
#include <string>
#include <vector>

class TestStringPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void internDeduplicates();
    void absentIsNotEmpty();
    void uniqueIsNotDeduplicated();
    void growsAndKeepsIds();
    void absorbRemapsAcrossPools();
};

void TestStringPool::internDeduplicates()
{
    rw::StringPool pool;
    const std::string a = "send_email", b = "send_email";
    const rw::StrId ia = pool.intern(a);
    QCOMPARE(pool.intern(b), ia);
    QCOMPARE(pool.internCopy("send_email"), ia);
    QVERIFY(pool.intern("read_customer") != ia);
    QCOMPARE(pool.view(ia), std::string_view("send_email"));
    QCOMPARE(pool.find("send_email"), ia);
    QCOMPARE(pool.find("missing"), rw::kNoStr);
}

void TestStringPool::absentIsNotEmpty()
{
    rw::StringPool pool;
    const rw::StrId empty = pool.intern("");
    QVERIFY(empty != rw::kNoStr);
    QCOMPARE(pool.view(empty).size(), std::size_t(0));
}

void TestStringPool::uniqueIsNotDeduplicated()
{
    rw::StringPool pool;
    const rw::StrId u1 = pool.addUnique("evt-1");
    const rw::StrId u2 = pool.addUniqueCopy("evt-1");
    QVERIFY(u1 != u2);
    QCOMPARE(pool.find("evt-1"), rw::kNoStr); // unique strings are not in the hash table
}

void TestStringPool::growsAndKeepsIds()
{
    rw::StringPool pool;
    std::vector<std::string> texts;
    for (int i = 0; i < 50000; ++i)
        texts.push_back("trace-" + std::to_string(i * 7919));
    std::vector<rw::StrId> ids;
    for (const auto& t : texts)
        ids.push_back(pool.internCopy(t));
    for (std::size_t i = 0; i < texts.size(); ++i) {
        QCOMPARE(pool.find(texts[i]), ids[i]);
        QCOMPARE(pool.view(ids[i]), std::string_view(texts[i]));
    }
}

void TestStringPool::absorbRemapsAcrossPools()
{
    rw::StringPool global, chunk;
    const rw::StrId gA = global.intern("allowed");
    const rw::StrId cA = chunk.intern("allowed");
    const rw::StrId cB = chunk.internCopy(std::string("blocked"));
    const rw::StrId cU = chunk.addUniqueCopy("evt-9");
    const auto remap = global.absorb(std::move(chunk));
    QCOMPARE(remap[cA], gA);
    QCOMPARE(global.view(remap[cB]), std::string_view("blocked"));
    QCOMPARE(global.find("blocked"), remap[cB]);
    QCOMPARE(global.view(remap[cU]), std::string_view("evt-9")); // arena moved with it
    QCOMPARE(remap[rw::kNoStr], rw::kNoStr);
}

QTEST_GUILESS_MAIN(TestStringPool)
#include "tst_stringpool.moc"
