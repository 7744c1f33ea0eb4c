// Evidence bundles, export and signing: minisign keys and signatures, the
// export and verification round trip, stock minisign accepting our
// signatures, and what the reevaluation puts in a bundle. Tampered and
// hostile bundles: tst_evidenceverify.
#include "app/text/checktext.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidencereader.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/evidence/minisign.h"
#include "replay/policy/policybundle.h"
#include "replay/policy/workspacereevaluation.h"
#include "app/text/evidenceplantext.h"
#include "tests/evidencetestutil.h"
#include "tests/testutil.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace rw;
using rwtest::failures;
using rwtest::findItem;
using rwtest::loadFile;
using rwtest::sample;

class TestEvidence : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void minisignRoundTrip();
    void minisignRejectsDamage();
    void roundTrip();
    void signedManifestNeedsAKey();
    void stockMinisignAccepts();
    void replayDiffCoversExportedTraces();
    void policyFilesMustBeWhatWasEvaluated();

private:
    QTemporaryDir m_dir;
    Workspace m_ws;
    MinisignSecretKey m_key, m_other;
    QString m_bundle;
};

void TestEvidence::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_key = *generateMinisignKey();
    m_other = *generateMinisignKey();
    m_bundle = m_dir.filePath(QStringLiteral("bundle.zip"));
    rwtest::exportRestartBundle(m_ws, m_key, m_bundle);
}

void TestEvidence::minisignRoundTrip()
{
    const std::string pubText = formatPublicKey(m_key.pub());
    const std::string secText = formatSecretKey(m_key);
    QVERIFY(secText.find("NOT ENCRYPTED") != std::string::npos);
    const auto pub = parsePublicKey(pubText);
    const auto sec = parseSecretKey(secText);
    QVERIFY(pub && sec);
    QCOMPARE(pub->key, m_key.publicKey);
    QCOMPARE(sec->seed, m_key.seed);
    const std::string message = "manifest bytes";
    const auto sig = parseSignature(signMinisign(*sec, message, "comment"));
    QVERIFY(sig);
    QCOMPARE(sig->trustedComment, std::string("comment"));
    QCOMPARE(verifyMinisign(*pub, *sig, message), SignatureCheck::Valid);
    QCOMPARE(verifyMinisign(*pub, *sig, "manifest bytez"), SignatureCheck::BadSignature);
    QCOMPARE(verifyMinisign(m_other.pub(), *sig, message), SignatureCheck::WrongKey);
    MinisignSignature edited = *sig;
    edited.trustedComment = "other comment";
    QCOMPARE(verifyMinisign(*pub, edited, message), SignatureCheck::BadTrustedComment);
}

void TestEvidence::minisignRejectsDamage()
{
    std::string sec = formatSecretKey(m_key);
    const std::size_t b64 = sec.find('\n') + 1;
    sec[b64 + 100] = sec[b64 + 100] == 'A' ? 'B' : 'A'; // inside the secret key: the checksum catches it
    std::string why;
    QVERIFY(!parseSecretKey(sec, &why));
    QVERIFY2(why.find("checksum") != std::string::npos, why.c_str());
    QVERIFY(!parsePublicKey("untrusted comment: x\nnot base64!\n"));
    QVERIFY(!parsePublicKey(""));
    QVERIFY(!parseSignature("untrusted comment: x\nAAAA\n"));
}

void TestEvidence::roundTrip()
{
    VerifyOptions o;
    o.publicKey = m_key.pub();
    o.sourceFiles = {sample("untrusted-skill-restart.jsonl").toStdString(), sample("ops-restart-approval.jsonl").toStdString()};
    const VerifyReport r = verifyBundle(m_bundle.toStdString(), o);
    QVERIFY2(r.passed(), qPrintable(failures(r)));
    QCOMPARE(findItem(r, "signature")->status, CheckStatus::Pass);
    QCOMPARE(findItem(r, "original lines")->status, CheckStatus::Pass);
    QCOMPARE(findItem(r, "lines in " + o.sourceFiles[0])->status, CheckStatus::Pass);
    QCOMPARE(r.manifest["selection"]["trace_ids"].size(), std::size_t(2));
    QCOMPARE(r.manifest["examiner"].get<std::string>(), std::string("Test Examiner"));
    QVERIFY(r.lines.find("skill-restart-prod-payments") != std::string::npos);
    // the exported lines are the file's bytes
    const std::string source = rwtest::readFile(sample("untrusted-skill-restart.jsonl"));
    QVERIFY(r.lines.find(source) != std::string::npos);
    const BundleRead read = readBundle(m_bundle.toStdString());
    for (const char* member : {"report.html", "audit/index.json", "audit/sources.json", "reevaluation/policy-strict.yaml",
                               "reevaluation/replay-diff.json", "traces/1-skill-restart-prod-payments/evidence.md",
                               "traces/2-ops-restart-orders/timeline.csv", "traces/2-ops-restart-orders/graph.dot"})
        QVERIFY2(read.find(member), member);
    // without the key and unsigned checks: an unsigned bundle is "not applicable", never a pass
    EvidenceRequest req;
    req.ws = &m_ws;
    req.rows = {0};
    req.graphSvg = false;
    const QString unsignedPath = m_dir.filePath(QStringLiteral("unsigned.zip"));
    QVERIFY(writeEvidenceBundle(req, unsignedPath.toStdString()).ok);
    const VerifyReport u = verifyBundle(unsignedPath.toStdString(), {});
    QVERIFY2(u.passed(), qPrintable(failures(u)));
    QCOMPARE(findItem(u, "signature")->status, CheckStatus::NotApplicable);
    VerifyOptions withKey;
    withKey.publicKey = m_key.pub();
    QVERIFY(!verifyBundle(unsignedPath.toStdString(), withKey).passed()); // a key given: a signature is required
}

void TestEvidence::signedManifestNeedsAKey()
{
    const VerifyReport r = verifyBundle(m_bundle.toStdString(), {});
    QVERIFY(!r.passed());
    // the hint is a code; the CLI words it as its flag (the window as its dialog)
    QCOMPARE(findItem(r, "signature")->hint, CheckHint::NeedsPublicKey);
    QVERIFY(checkDetailText(*findItem(r, "signature"), Reader::CommandLine).find("--public-key") != std::string::npos);
}

void TestEvidence::stockMinisignAccepts()
{
    const QString minisign = QStandardPaths::findExecutable(QStringLiteral("minisign"));
    if (minisign.isEmpty())
        QSKIP("minisign is not installed (apt-get install minisign); our format is still checked by our own verifier");
    const BundleRead read = readBundle(m_bundle.toStdString());
    const QString manifest = m_dir.filePath(QStringLiteral("manifest.json"));
    const QString sig = m_dir.filePath(QStringLiteral("manifest.json.minisig"));
    const QString pub = m_dir.filePath(QStringLiteral("key.pub"));
    for (const auto& [path, bytes] : {std::pair{manifest, read.find(kManifestMember)->bytes},
                                      std::pair{sig, read.find(kSignatureMember)->bytes},
                                      std::pair{pub, formatPublicKey(m_key.pub())}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes.data(), static_cast<qint64>(bytes.size()));
    }
    QProcess p;
    p.start(minisign, {QStringLiteral("-V"), QStringLiteral("-p"), pub, QStringLiteral("-m"), manifest});
    QVERIFY(p.waitForFinished(20000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    // and it refuses a manifest changed by one byte
    QFile f(manifest);
    QVERIFY(f.open(QIODevice::Append));
    f.write(" ");
    f.close();
    p.start(minisign, {QStringLiteral("-V"), QStringLiteral("-p"), pub, QStringLiteral("-m"), manifest});
    QVERIFY(p.waitForFinished(20000));
    QVERIFY(p.exitCode() != 0);
}

void TestEvidence::replayDiffCoversExportedTraces()
{
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(sample("policies/permissive.yaml").toStdString(), diagnostics);
    QVERIFY(bundle);
    const PolicyEngine engine(*bundle, nullptr);
    const std::int64_t skill = m_ws.findRow("skill-restart-prod-payments");
    const std::int64_t ops = m_ws.findRow("ops-restart-orders");
    QVERIFY(skill >= 0 && ops >= 0);
    const std::vector<FileDiff> files =
        reevaluateRowsByFile(m_ws, {static_cast<std::uint32_t>(skill), static_cast<std::uint32_t>(ops)}, engine);
    QCOMPARE(files.size(), std::size_t(2)); // the finance file holds no exported trace
    std::size_t points = 0, changed = 0;
    for (const std::int64_t row : {skill, ops}) {
        const TraceRow& r = m_ws.row(static_cast<std::size_t>(row));
        const ReplayDiffResult one = reevaluate(m_ws.fileOf(r), r.trace, engine);
        points += one.points.size();
        changed += one.summary.changed;
    }
    QCOMPARE(files[0].result.points.size() + files[1].result.points.size(), points);
    QCOMPARE(files[0].result.summary.changed + files[1].result.summary.changed, changed);
    for (const FileDiff& f : files)
        QVERIFY(f.model != &m_ws.file(0));
}

void TestEvidence::policyFilesMustBeWhatWasEvaluated()
{
    const QString copy = m_dir.filePath(QStringLiteral("strict-copy.yaml"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(sample("policies/strict.yaml"), copy));
    QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(copy.toStdString(), diagnostics);
    QVERIFY(bundle);
    const PolicyEngine engine(*bundle, nullptr);
    EvidenceRequest req;
    QCOMPARE(addEvidencePolicyFiles(req, engine).error, EvidencePlanError::None);
    QCOMPARE(req.policyFiles.size(), std::size_t(1));
    QCOMPARE(req.policyFiles[0].name, std::string("policy-strict-copy.yaml"));
    QCOMPARE(req.policyFiles[0].bytes, rwtest::readFile(copy));
    // edited after it was evaluated: refused, nothing added
    QFile f(copy);
    QVERIFY(f.open(QIODevice::Append));
    f.write("# edited\n");
    f.close();
    EvidenceRequest again;
    const EvidencePlanFailure changed = addEvidencePolicyFiles(again, engine);
    QCOMPARE(changed.error, EvidencePlanError::PolicyChanged);
    const std::string error = evidencePlanText(changed, Reader::CommandLine);
    QVERIFY2(error.find("changed since it was loaded") != std::string::npos, error.c_str());
    QVERIFY(again.policyFiles.empty());
    QFile::remove(copy);
    const EvidencePlanFailure gone = addEvidencePolicyFiles(again, engine);
    QCOMPARE(gone.error, EvidencePlanError::PolicyUnreadable);
    QVERIFY(evidencePlanText(gone, Reader::CommandLine).find("cannot be read") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestEvidence)
#include "tst_evidence.moc"
