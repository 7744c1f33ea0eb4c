#pragma once

#include "views/evidence/exportevidencedialog.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace rw {

class Workbench;
struct EvidenceResult;
struct VerifyReport;

// Evidence bundles in the window: export the selected or filtered traces,
// verify a bundle item by item, and open a verified bundle's original lines
// read-only. The work runs in the session's tasks.
class EvidenceController : public QObject
{
    Q_OBJECT
public:
    using Options = ExportEvidenceDialog::Choice;

    explicit EvidenceController(Workbench& workbench);
    ~EvidenceController() override;

    void exportEvidence(const QString& path, const Options& options);
    void verifyEvidence(const QString& path, const QString& publicKeyPath = {}, const QStringList& sources = {});
    std::shared_ptr<const VerifyReport> lastVerification() const;
    // The verification report as a (non-modal) window; nullptr before any verification.
    QWidget* showVerification();
    // Opens the verified bundle's original lines read-only, from a temporary
    // directory this controller owns (written in the background); false when
    // the last verification did not pass.
    bool openVerifiedBundle();

Q_SIGNALS:
    void evidenceExported(const QString& path, const QString& error);
    void evidenceVerified(bool passed);

private:
    void exportDialog();
    void verifyDialog();
    void onExported(const EvidenceResult& result);
    void onVerified(std::shared_ptr<const VerifyReport> report);

    Workbench& m_workbench;
    QString m_exportPath;    // of the export running or last finished
    QString m_verifyingPath; // of the verification running
    QString m_verifiedPath;  // of the session's last verification
    std::unique_ptr<QTemporaryDir> m_evidenceDir;
};

} // namespace rw
