// The Markdown and HTML we write quote values from the logs without letting
// them act as markup: evidence.md (upstream's layout, unchanged for ordinary
// values: tst_peercompat checks that) and the bundle's report.html.
#include "model/markdowntext.h"
#include "model/upstreamjson.h"
#include "replay/evidence/evidencereport.h"

#include <QtTest>

using namespace rw;

namespace {

const std::string kImg = "<img src=x onerror=alert(1)>";

} // namespace

class TestMarkupEscape : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void markdownCode_data();
    void markdownCode();
    void markdownText_data();
    void markdownText();
    void evidenceMarkdownQuotesValues();
    void reportHtmlQuotesValues();
};

void TestMarkupEscape::markdownCode_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("ordinary") << QByteArray("fin-2026-03-05_invoice") << QByteArray("`fin-2026-03-05_invoice`");
    QTest::newRow("empty") << QByteArray("") << QByteArray("``");
    QTest::newRow("html is literal in a span") << QByteArray::fromStdString(kImg) << QByteArray("`<img src=x onerror=alert(1)>`");
    QTest::newRow("backtick cannot end the span") << QByteArray("a`b") << QByteArray("`` a`b ``");
    QTest::newRow("backtick run") << QByteArray("``x") << QByteArray("``` ``x ```");
    QTest::newRow("newline cannot end the item") << QByteArray("a\n\n# Verdict: PASS") << QByteArray("`a\\n\\n# Verdict: PASS`");
    QTest::newRow("bidi shown") << QByteArray("invoice-\xe2\x80\xaegnp.exe") << QByteArray("`invoice-\\u202egnp.exe`");
    QTest::newRow("escape sequence") << QByteArray("a\x1b[2Jb") << QByteArray("`a\\x1b[2Jb`");
}

void TestMarkupEscape::markdownCode()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(QByteArray::fromStdString(rw::markdownCode(value.toStdString())), expected);
}

void TestMarkupEscape::markdownText_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("ordinary") << QByteArray("Tool 'send_email' requires approval; risk: high.")
                              << QByteArray("Tool 'send_email' requires approval; risk: high.");
    QTest::newRow("pattern with brackets") << QByteArray("Matched pattern: api[_-]?key") << QByteArray("Matched pattern: api[_-]?key");
    QTest::newRow("raw html") << QByteArray::fromStdString(kImg) << QByteArray("\\<img src=x onerror=alert(1)>");
    QTest::newRow("inline link") << QByteArray("[approved](javascript:alert(1))") << QByteArray("[approved]\\(javascript:alert(1))");
    QTest::newRow("image") << QByteArray("![x](http://evil/p.png)") << QByteArray("![x]\\(http://evil/p.png)");
    QTest::newRow("reference link") << QByteArray("[a][b]") << QByteArray("[a]\\[b]");
    QTest::newRow("autolink") << QByteArray("<http://evil>") << QByteArray("\\<http://evil>");
    QTest::newRow("entity") << QByteArray("&#x202e;&lt;") << QByteArray("\\&#x202e;\\&lt;");
    QTest::newRow("code span") << QByteArray("`x`") << QByteArray("\\`x\\`");
    QTest::newRow("backslash") << QByteArray("C:\\temp") << QByteArray("C:\\\\\\\\temp");
    QTest::newRow("newline") << QByteArray("ok\n## Result: PASS") << QByteArray("ok\\\\n## Result: PASS");
    QTest::newRow("zero width") << QByteArray("pay\xe2\x80\x8bments") << QByteArray("pay\\\\u200bments");
}

void TestMarkupEscape::markdownText()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(QByteArray::fromStdString(rw::markdownText(value.toStdString())), expected);
}

void TestMarkupEscape::evidenceMarkdownQuotesValues()
{
    upstream::Json doc = {{"trace_id", "t`1"},
                          {"generated_at", "2026-03-05T14:02:11+00:00"},
                          {"final_governance_result", "violation"},
                          {"agent_identity", {{"agent_name", kImg}}},
                          {"policy_decision", {{"final_decision", "blocked"}, {"final_reason", kImg + "\n\n# PASS"}}},
                          {"replay_diff_summary", {{"summary", "[ok](javascript:x)"}}}};
    const std::string md = upstream::evidenceMarkdown(doc);
    QVERIFY2(md.find("- Reason: \\<img src=x onerror=alert(1)>\\\\n\\\\n# PASS\n") != std::string::npos, md.c_str());
    QVERIFY2(md.find("- Agent Name: `<img src=x onerror=alert(1)>`\n") != std::string::npos, md.c_str());
    QVERIFY2(md.find("- Trace ID: `` t`1 ``\n") != std::string::npos, md.c_str());
    QVERIFY2(md.find("- Summary: [ok]\\(javascript:x)\n") != std::string::npos, md.c_str());
    QVERIFY(md.find("\n# PASS") == std::string::npos);
    // outside code spans, no raw "<" is left
    for (std::size_t at = md.find('<'); at != std::string::npos; at = md.find('<', at + 1)) {
        const std::size_t lineStart = md.rfind('\n', at) + 1;
        const std::string_view line(md.data() + lineStart, md.find('\n', at) - lineStart);
        QVERIFY2(md[at - 1] == '\\' || line.find('`') < at - lineStart, std::string(line).c_str());
    }
}

void TestMarkupEscape::reportHtmlQuotesValues()
{
    EvidenceReportInfo info;
    info.created = "2026-03-05";
    info.examiner = kImg;
    info.traces.push_back({"invoice-\xe2\x80\xaegnp.exe", kImg, "blocked\x1b[2J", "violation", 3, 0, 0, "traces/001"});
    const std::string html = evidenceReportHtml(info);
    QVERIFY(html.find("<img") == std::string::npos);
    QVERIFY(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    QVERIFY2(html.find("invoice-\\u202egnp.exe") != std::string::npos, html.c_str());
    QVERIFY(html.find("blocked\\x1b[2J") != std::string::npos);
    QVERIFY(html.find("\xe2\x80\xae") == std::string::npos && html.find('\x1b') == std::string::npos);
}

QTEST_GUILESS_MAIN(TestMarkupEscape)
#include "tst_markupescape.moc"
