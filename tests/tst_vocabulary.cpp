// The vocabularies' name tables (model/vocabulary.h), the values the loader
// derives from them, the filter language's three generated field lists, the
// styles keyed by enum, and the timeline painting without allocating per marker.
#include "app/text/queryerrortext.h"
#include "app/text/queryhelptext.h"
#include "model/tracequery.h"
#include "model/vocabulary.h"
#include "replay/evidence/evidenceverify.h"
#include "tests/allocationcount.h"
#include "tests/testutil.h"
#include "views/filterbar.h"
#include "views/models/rolevalues.h"
#include "views/styles.h"
#include "views/timelineview.h"

#include <QImage>
#include <QLineEdit>
#include <QRegularExpression>
#include <QtTest>


using namespace rw;

namespace {

// One row of a name-table test: which vocabulary, the value as an int, the word.
enum class Vocab { Decision, Trust, Governance, Risk };

int fromText(Vocab v, std::string_view word)
{
    switch (v) {
    case Vocab::Decision: return static_cast<int>(decisionFromText(word));
    case Vocab::Trust: return static_cast<int>(trustFromText(word));
    case Vocab::Governance: return static_cast<int>(governanceFromText(word));
    case Vocab::Risk: return static_cast<int>(riskFromText(word));
    }
    return -1;
}

QByteArray nameOf(Vocab v, int value)
{
    switch (v) {
    case Vocab::Decision: return decisionName(static_cast<Decision>(value));
    case Vocab::Trust: return trustName(static_cast<Trust>(value));
    case Vocab::Governance: return governanceName(static_cast<Governance>(value));
    case Vocab::Risk: return riskName(static_cast<Risk>(value));
    }
    return {};
}

// `name` as a whole word of `text` (so "diags" is not found in "diagnostics")
bool hasWord(const QString& text, std::string_view name)
{
    const QString n = QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
    return text.contains(QRegularExpression(QStringLiteral("(^|[^a-z_])") + QRegularExpression::escape(n) +
                                            QStringLiteral("($|[^a-z_])")));
}

} // namespace

Q_DECLARE_METATYPE(Vocab)

class TestVocabulary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundTrip_data();
    void roundTrip();
    void unknownWord_data();
    void unknownWord();
    void typedDecision_data();
    void typedDecision();
    void loaderSetsValues();
    void fieldInEveryList_data();
    void fieldInEveryList();
    void everyListedNameParses();
    void stylesByEnum();
    void timelinePaintAllocatesNothingPerMarker();
};

void TestVocabulary::initTestCase()
{
    registerRoleValueTypes();
    rwtest::countAllocationsAvailable();
}

void TestVocabulary::roundTrip_data()
{
    QTest::addColumn<Vocab>("vocab");
    QTest::addColumn<int>("value");
    QTest::addColumn<QByteArray>("word");
    auto row = [](const char* name, Vocab v, auto value, const char* word) {
        QTest::newRow(name) << v << static_cast<int>(value) << QByteArray(word);
    };
    row("allowed", Vocab::Decision, Decision::Allowed, "allowed");
    row("blocked", Vocab::Decision, Decision::Blocked, "blocked");
    row("require_approval", Vocab::Decision, Decision::RequireApproval, "require_approval");
    row("pending", Vocab::Decision, Decision::Pending, "pending");
    row("observed decision", Vocab::Decision, Decision::Observed, "observed");
    row("trusted", Vocab::Trust, Trust::Trusted, "trusted");
    row("internal", Vocab::Trust, Trust::Internal, "internal");
    row("external", Vocab::Trust, Trust::External, "external");
    row("unverified", Vocab::Trust, Trust::Unverified, "unverified");
    row("observed", Vocab::Governance, Governance::Observed, "observed");
    row("matched", Vocab::Governance, Governance::Matched, "matched");
    row("enforced", Vocab::Governance, Governance::Enforced, "enforced");
    row("blocked governance", Vocab::Governance, Governance::Blocked, "blocked");
    row("review", Vocab::Governance, Governance::Review, "review");
    row("violation", Vocab::Governance, Governance::Violation, "violation");
    row("low", Vocab::Risk, Risk::Low, "low");
    row("medium", Vocab::Risk, Risk::Medium, "medium");
    row("high", Vocab::Risk, Risk::High, "high");
    row("critical", Vocab::Risk, Risk::Critical, "critical");
}

void TestVocabulary::roundTrip()
{
    QFETCH(Vocab, vocab);
    QFETCH(int, value);
    QFETCH(QByteArray, word);
    QCOMPARE(nameOf(vocab, value), word);
    QCOMPARE(fromText(vocab, word.toStdString()), value);
    // the role conversion speaks the same word
    QVariant v;
    switch (vocab) {
    case Vocab::Decision: v = QVariant::fromValue(static_cast<Decision>(value)); break;
    case Vocab::Trust: v = QVariant::fromValue(static_cast<Trust>(value)); break;
    case Vocab::Governance: v = QVariant::fromValue(static_cast<Governance>(value)); break;
    case Vocab::Risk: v = QVariant::fromValue(static_cast<Risk>(value)); break;
    }
    QCOMPARE(v.toString(), QString::fromLatin1(word));
}

void TestVocabulary::unknownWord_data()
{
    QTest::addColumn<Vocab>("vocab");
    QTest::addColumn<QByteArray>("word");
    QTest::addColumn<int>("value");
    auto row = [](const char* name, Vocab v, const char* word, auto value) {
        QTest::newRow(name) << v << QByteArray(word) << static_cast<int>(value);
    };
    // exact, as upstream's engine compares: other spellings are not the word
    row("decision empty", Vocab::Decision, "", Decision::None);
    row("decision unknown", Vocab::Decision, "escalated", Decision::Other);
    row("decision policy action", Vocab::Decision, "allow", Decision::Other);
    row("decision case", Vocab::Decision, "Blocked", Decision::Other);
    row("decision trailing space", Vocab::Decision, "blocked ", Decision::Other);
    row("decision placeholder none", Vocab::Decision, "none", Decision::Other);
    row("decision placeholder other", Vocab::Decision, "other", Decision::Other);
    row("trust empty", Vocab::Trust, "", Trust::None);
    row("trust unknown", Vocab::Trust, "partner", Trust::Other);
    row("trust case", Vocab::Trust, "TRUSTED", Trust::Other);
    row("trust placeholder none", Vocab::Trust, "none", Trust::Other);
    row("governance unknown", Vocab::Governance, "approved", Governance::Observed);
    row("governance empty", Vocab::Governance, "", Governance::Observed);
    row("risk empty", Vocab::Risk, "", Risk::None);
    row("risk unknown", Vocab::Risk, "extreme", Risk::Other);
    row("risk case", Vocab::Risk, "High", Risk::Other);
}

void TestVocabulary::unknownWord()
{
    QFETCH(Vocab, vocab);
    QFETCH(QByteArray, word);
    QFETCH(int, value);
    QCOMPARE(fromText(vocab, word.toStdString()), value);
}

void TestVocabulary::typedDecision_data()
{
    QTest::addColumn<QByteArray>("typed");
    QTest::addColumn<Decision>("decision");
    QTest::newRow("wire word") << QByteArray("require_approval") << Decision::RequireApproval;
    QTest::newRow("allow") << QByteArray("allow") << Decision::Allowed;
    QTest::newRow("block") << QByteArray("block") << Decision::Blocked;
    QTest::newRow("deny") << QByteArray("deny") << Decision::Blocked;
    QTest::newRow("denied") << QByteArray("denied") << Decision::Blocked;
    QTest::newRow("approval") << QByteArray("approval") << Decision::RequireApproval;
    QTest::newRow("approve") << QByteArray("approve") << Decision::RequireApproval;
    QTest::newRow("require-approval") << QByteArray("require-approval") << Decision::RequireApproval;
    QTest::newRow("pending") << QByteArray("pending") << Decision::Pending;
    QTest::newRow("a glob stays a glob") << QByteArray("allow*") << Decision::None;
    QTest::newRow("unknown") << QByteArray("escalated") << Decision::None;
    QTest::newRow("placeholder") << QByteArray("other") << Decision::None;
}

void TestVocabulary::typedDecision()
{
    QFETCH(QByteArray, typed);
    QFETCH(Decision, decision);
    QCOMPARE(decisionFromTyped(typed.toStdString()), decision);
}

// Every record's decision and risk agree with its words, on a file split
// over threads and with more distinct words than the loader's memo has slots.
void TestVocabulary::loaderSetsValues()
{
    const char* decisions[] = {"allowed", "blocked", "require_approval", "pending", "observed", "allow", ""};
    const char* risks[] = {"low", "medium", "high", "critical", "extreme", ""};
    std::string input;
    for (int i = 0; i < 4000; ++i) {
        const std::string decision = i % 11 == 0 ? "custom-" + std::to_string(i % 97) : decisions[i % 7];
        input += R"({"timestamp": "2026-03-05T14:00:00Z", "event_type": "decision", "trace_id": "t)" +
                 std::to_string(i % 50) + R"(", "decision": ")" + decision + R"(", "risk_level": ")" + risks[i % 6] +
                 "\"}\n";
    }
    input += R"({"timestamp": "2026-03-05T14:00:00Z", "event_type": "decision", "trace_id": "t0"})" "\n";
    const auto model = rwtest::load(input, 4);
    QCOMPARE(model->eventCount(), std::size_t(4001));
    std::size_t others = 0;
    for (std::size_t i = 0; i < model->eventCount(); ++i) {
        const EventRecord& e = model->event(i);
        QCOMPARE(e.decision, decisionFromText(model->str(e, Field::Decision)));
        QCOMPARE(e.risk, riskFromText(model->str(e, Field::RiskLevel)));
        others += e.decision == Decision::Other;
    }
    QVERIFY(others > 400);
    QCOMPARE(model->event(4000).decision, Decision::None); // no decision at all
    QCOMPARE(model->event(4000).risk, Risk::Low);          // upstream's default
}

// Every name the parser accepts is in the three lists made from the table:
// the unknown-field error's Known:, the filter bar's tooltip, the Help body.
void TestVocabulary::fieldInEveryList_data()
{
    QTest::addColumn<QByteArray>("name");
    for (const std::string_view name : queryFieldNames())
        QTest::newRow(std::string(name).c_str()) << QByteArray(name.data(), static_cast<qsizetype>(name.size()));
}

void TestVocabulary::fieldInEveryList()
{
    QFETCH(QByteArray, name);
    const std::string n = name.toStdString();
    QueryError error;
    TraceQuery::parse(n + ":x", &error);
    QVERIFY2(error.code != QueryErrorCode::UnknownField, name.constData());

    QueryError unknown;
    TraceQuery::parse("no_such_field:x", &unknown);
    QCOMPARE(unknown.code, QueryErrorCode::UnknownField);
    QVERIFY2(hasWord(queryErrorText(unknown), n), qPrintable(queryErrorText(unknown)));
    QVERIFY2(hasWord(filterTooltipText(), n), qPrintable(filterTooltipText()));
    QVERIFY2(hasWord(filterSyntaxHtml(), n), qPrintable(filterSyntaxHtml()));

    // the filter bar shows that very tooltip while its text parses
    FilterBar bar;
    bar.lineEdit()->setText(QStringLiteral("events>1"));
    QVERIFY(bar.isValid());
    QVERIFY(hasWord(bar.lineEdit()->toolTip(), n));
}

// ... and every name those lists offer is one the parser accepts, with words of its own.
void TestVocabulary::everyListedNameParses()
{
    const QString list = queryFieldList();
    static const QRegularExpression name(QStringLiteral("[a-z_.]+")); // result.status, approval.id
    int names = 0;
    for (auto it = name.globalMatch(list); it.hasNext();) {
        const QString word = it.next().captured();
        if (word == u"also")
            continue; // "governance (also result)"
        ++names;
        QueryError error;
        TraceQuery::parse(word.toStdString() + ":x", &error);
        QVERIFY2(error.code != QueryErrorCode::UnknownField, qPrintable(word));
    }
    QCOMPARE(std::size_t(names), queryFieldNames().size());
    for (const QueryFieldInfo& f : queryFields()) {
        QVERIFY(!queryFieldDescription(f.field).isEmpty());
        QVERIFY(filterSyntaxHtml().contains(queryFieldDescription(f.field).toHtmlEscaped()));
        QVERIFY(filterSyntaxHtml().contains(QString::fromLatin1(f.example.data(), static_cast<qsizetype>(f.example.size())).toHtmlEscaped()));
    }
}

void TestVocabulary::stylesByEnum()
{
    // the decisions a trace ends with are told apart by colour and by shape
    const Decision shown[] = {Decision::Allowed, Decision::Blocked, Decision::RequireApproval, Decision::Pending,
                              Decision::Observed, Decision::Other};
    for (const Decision a : shown)
        for (const Decision b : shown)
            if (a != b) {
                QVERIFY(decisionStyle(a).color != decisionStyle(b).color);
                QVERIFY(decisionStyle(a).shape != decisionStyle(b).shape);
            }
    for (std::size_t i = 0; i < kTrustCount; ++i)
        QVERIFY(trustStyle(static_cast<Trust>(i)).color.isValid());
    for (std::size_t i = 0; i < kGovernanceCount; ++i)
        QVERIFY(governanceStyle(static_cast<Governance>(i)).color.isValid());
    for (std::size_t i = 0; i < kRiskCount; ++i)
        QVERIFY(riskStyle(static_cast<Risk>(i)).color.isValid());
    // governance shares the colour of the decision word it is named after
    QCOMPARE(governanceStyle(Governance::Blocked).color, decisionStyle(Decision::Blocked).color);
    QCOMPARE(governanceStyle(Governance::Matched).color, decisionStyle(Decision::Allowed).color);
    QVERIFY(verdictColor(true) != verdictColor(false));
    QCOMPARE(checkStatusColor(CheckStatus::Fail), verdictColor(false));
    QVERIFY(!checkStatusColor(CheckStatus::NotApplicable).isValid());
}

// Painting ten times the markers costs not one allocation more: styles, pens
// and paths are made in setTrace, not per marker (ASan's allocator hooks count).
void TestVocabulary::timelinePaintAllocatesNothingPerMarker()
{
    if (!rwtest::countAllocationsAvailable())
        QSKIP("counts allocations through the sanitizer's hooks: the asan preset");
    const char* decisions[] = {"allowed", "blocked", "require_approval", "pending", "observed", "escalated"};
    auto trace = [&](int events) {
        std::string input;
        for (int i = 0; i < events; ++i) {
            // the same second for both traces: the axis and its labels are the same
            const long long us = static_cast<long long>(i) * 1000000 / (events - 1);
            char ts[40];
            std::snprintf(ts, sizeof ts, "2026-03-05T14:00:%02lld.%06lldZ", us / 1000000, us % 1000000);
            input += std::string(R"({"timestamp": ")") + ts + R"(", "event_type": "decision", "decision_stage": "evaluate", "trace_id": "t", "decision": ")" +
                     decisions[i % 6] + "\"}\n";
        }
        return rwtest::load(input);
    };
    auto allocationsToPaint = [](TimelineView& view, const ReplayModel& model) {
        const auto events = model.traceEvents(0);
        view.setTrace(&model, std::vector<std::uint32_t>(events.begin(), events.end()));
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        view.render(&image); // warm: the painter's own buffers grow once
        return rwtest::countAllocations([&] { view.render(&image); });
    };
    TimelineView view;
    view.resize(1800, 220); // every marker in a pixel column of its own
    const auto few = trace(60);
    const auto many = trace(600);
    const std::size_t forFew = allocationsToPaint(view, *few);
    const std::size_t forMany = allocationsToPaint(view, *many);
    QVERIFY2(forMany <= forFew, qPrintable(QStringLiteral("%1 allocations for 60 markers, %2 for 600").arg(forFew).arg(forMany)));
}

QTEST_MAIN(TestVocabulary)
#include "tst_vocabulary.moc"
