#include "tests/evidencetestutil.h"

#include "model/auditloader.h"
#include "model/tracequery.h"
#include "replay/evidence/evidencebundle.h"
#include "tests/testutil.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <QFile>
#include <QStringList>
#include <QtTest>

using namespace rw;

namespace rwtest {

QString sample(const char* name) { return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + QLatin1String(name); }

QString sample(const QString& name) { return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + name; }

std::unique_ptr<ReplayModel> loadFile(const QString& path)
{
    LoadResult r = AuditLoader::loadFile(path.toStdString());
    return std::move(r.model);
}

void writeBytes(const QString& path, const std::string& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes.data(), static_cast<qint64>(bytes.size())), static_cast<qint64>(bytes.size()));
}

void writeZip(const std::vector<BundleEntry>& entries, const QString& path, bool stored)
{
    QuaZip zip(path);
    QVERIFY(zip.open(QuaZip::mdCreate));
    for (const BundleEntry& e : entries) {
        QuaZipFile f(&zip);
        QVERIFY(f.open(QIODevice::WriteOnly, QuaZipNewInfo(QString::fromStdString(e.name)), nullptr, 0, stored ? 0 : 8));
        f.write(e.bytes.data(), static_cast<qint64>(e.bytes.size()));
        f.close();
    }
    zip.close();
}

const CheckItem* findItem(const VerifyReport& r, const std::string& item)
{
    for (const CheckItem& i : r.items)
        if (i.item == item)
            return &i;
    return nullptr;
}

QString failures(const VerifyReport& r)
{
    QStringList out;
    for (const CheckItem& i : r.items)
        if (i.status == CheckStatus::Fail)
            out << QString::fromStdString(i.item + ": " + i.detail);
    return out.join(QStringLiteral("; "));
}

void exportRestartBundle(Workspace& ws, const MinisignSecretKey& key, const QString& path)
{
    ws.addFile(loadFile(sample("finance-email-blocked.jsonl")));
    ws.addFile(loadFile(sample("untrusted-skill-restart.jsonl")));
    ws.addFile(loadFile(sample("ops-restart-approval.jsonl")));
    EvidenceRequest req;
    req.ws = &ws;
    QueryError error;
    req.rows = TraceQuery::parse("tool:restart_service", &error).filter(ws);
    QCOMPARE(req.rows.size(), std::size_t(2));
    req.filter = "tool:restart_service";
    req.examiner = "Test Examiner";
    req.caseId = "CASE-1";
    req.signKey = key;
    req.graphSvg = false; // the helper is not needed for what is tested here
    req.policyFiles.push_back({"policy-strict.yaml", readFile(sample("policies/strict.yaml"))});
    req.replayDiffJson = "{}\n";
    std::size_t progressCalls = 0;
    req.progress = [&](std::size_t, std::size_t) { return ++progressCalls > 0; };
    const EvidenceResult r = writeEvidenceBundle(req, path.toStdString());
    QVERIFY2(r.ok, r.error.c_str());
    QCOMPARE(progressCalls, std::size_t(2));
    QCOMPARE(r.lines, std::size_t(14)); // 10 + 4 events
}

QString exportAll(const QString& source, const QString& path, const MinisignSecretKey* key)
{
    Workspace ws;
    ws.addFile(loadFile(source));
    EvidenceRequest req;
    req.ws = &ws;
    for (std::uint32_t r = 0; r < ws.rows().size(); ++r)
        req.rows.push_back(r);
    req.examiner = "Examiner";
    req.graphSvg = false;
    if (key)
        req.signKey = *key;
    const EvidenceResult result = writeEvidenceBundle(req, path.toStdString());
    if (!result.ok)
        qWarning("export of %s failed: %s", qPrintable(source), result.error.c_str());
    return result.ok ? path : QString();
}

} // namespace rwtest
