#include "views/evidence/evidencecontroller.h"

#include "app/pdf/reportpdf.h"
#include "app/text/analysisevidence.h"
#include "app/text/evidenceplantext.h"
#include "app/text/outputtext.h"
#include "app/text/plural.h"
#include "model/visibletext.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidenceplan.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/policy/policyengine.h"
#include "views/evidence/verificationdialog.h"
#include "views/filterbar.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QTemporaryDir>

namespace rw {

EvidenceController::EvidenceController(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    QMenu* file = workbench.menu(Workbench::Menu::File);
    file->addAction(tr("Export E&vidence Bundle…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &EvidenceController::exportDialog);
    file->addAction(tr("&Verify Evidence Bundle…"), this, &EvidenceController::verifyDialog);
    connect(&workbench.session(), &Session::evidenceExported, this, &EvidenceController::onExported);
    connect(&workbench.session(), &Session::verified, this, &EvidenceController::onVerified);
}

EvidenceController::~EvidenceController() = default;

void EvidenceController::exportDialog()
{
    const TracePage& page = m_workbench.tracePage();
    const int shown = static_cast<int>(page.shownRows().size());
    if (!page.workspace() || shown == 0) {
        m_workbench.showMessage(tr("Open an audit file first."), 5000);
        return;
    }
    ExportEvidenceDialog dialog(m_workbench.host(), page.currentRow() >= 0, shown, m_workbench.session().policy() != nullptr);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString path = QFileDialog::getSaveFileName(m_workbench.host(), tr("Export evidence bundle"),
                                                      QStringLiteral("evidence-bundle.zip"), tr("Evidence bundles (*.zip)"));
    if (path.isEmpty())
        return;
    dialog.remember();
    exportEvidence(path, dialog.choice());
}

void EvidenceController::exportEvidence(const QString& path, const Options& options)
{
    const TracePage& page = m_workbench.tracePage();
    // the CLI's recipe (replay/evidence/evidenceplan.h), run by the session in its task:
    // the output guard, the signing key, the traces, the policy as loaded and its replay diff
    EvidenceChoice choice;
    choice.tool = "replay-workbench";
    if (options.filtered)
        choice.rows = page.shownRows();
    else if (page.currentRow() >= 0)
        choice.rows.push_back(static_cast<std::uint32_t>(page.currentRow()));
    choice.filter = options.filtered ? page.filterBar()->effectiveQuery().toStdString() : std::string();
    choice.examiner = options.examiner.toStdString();
    choice.caseId = options.caseId.toStdString();
    choice.notes = options.notes.toStdString();
    choice.signKeyPath = QFile::encodeName(options.signKeyPath).toStdString();
    choice.engine = options.includeReevaluation ? m_workbench.session().policy() : nullptr;
    choice.renderPdf = renderReportPdf;
    if (options.includeAnalysis)
        // the rules the workbench shows its anomalies with (a loaded profile, or the built-in ones)
        choice.addAnalysis = [rules = m_workbench.session().analysisRules()](EvidenceRequest& request, const Workspace& ws,
                                                                             const std::atomic<bool>* cancel) {
            const std::shared_ptr<const analysis::AnalysisRules> used = rules ? rules : analysis::defaultAnalysisRules();
            return used ? addEvidenceAnalysis(request, ws, *used, "replay-workbench", cancel)
                        : std::string("the default analysis rules do not compile");
        };
    m_workbench.showMessage(tr("Exporting %1…").arg(counted(choice.rows.size(), "trace", "traces")));
    m_exportPath = path;
    m_workbench.session().exportEvidence(QFile::encodeName(path).toStdString(), std::move(choice));
}

void EvidenceController::onExported(const EvidenceResult& result)
{
    const QString path = m_exportPath;
    m_workbench.showMessage({});
    if (!result.ok) {
        const QString why = QString::fromStdString(
            result.planFailure.error != EvidencePlanError::None ? evidencePlanText(result.planFailure, Reader::Window)
            : result.outputFailure.error != OutputError::None   ? outputFailureText(QFile::encodeName(path).toStdString(), result.outputFailure)
                                                                : result.error);
        m_workbench.showInfo(result.cancelled ? tr("Evidence export cancelled; nothing was written.")
                                  : tr("The evidence bundle was not written: %1").arg(why));
        Q_EMIT evidenceExported(path, why);
        return;
    }
    m_workbench.showMessage(tr("Wrote %1: %2 lines, %3 members, %4 KiB; manifest SHA-256 %5")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(result.lines)
                                 .arg(result.members)
                                 .arg(result.bytes / 1024)
                                 .arg(QString::fromStdString(result.manifestSha256).left(16)),
                             15000);
    // what the exporter noticed (a source changed since it was loaded, a graph not laid out) is in
    // the bundle's export_notes; the examiner sees it here as the CLI prints it on stderr
    if (!result.notes.empty()) {
        QStringList notes;
        for (const std::string& n : result.notes)
            notes << QString::fromStdString(n);
        m_workbench.showInfo(tr("Wrote %1. Notes: %2").arg(QFileInfo(path).fileName(), notes.join(QStringLiteral("; "))));
    }
    Q_EMIT evidenceExported(path, QString());
}

void EvidenceController::verifyDialog()
{
    const QString path = QFileDialog::getOpenFileName(m_workbench.host(), tr("Verify evidence bundle"), QString(), tr("Evidence bundles (*.zip)"));
    if (path.isEmpty())
        return;
    // not the bundle's own folder: a key that travels with the bundle proves nothing
    const QString key = QFileDialog::getOpenFileName(m_workbench.host(), tr("Public key to require (Cancel: none)"), QString(),
                                                     tr("minisign public keys (*.pub);;All files (*)"));
    verifyEvidence(path, key, m_workbench.session().paths());
}

void EvidenceController::verifyEvidence(const QString& path, const QString& publicKeyPath, const QStringList& sources)
{
    VerifyOptions options;
    if (!publicKeyPath.isEmpty()) {
        std::string why;
        options.publicKey = readPublicKeyFile(QFile::encodeName(publicKeyPath).toStdString(), &why);
        if (!options.publicKey) {
            m_workbench.showInfo(tr("The public key %1 cannot be used: %2").arg(publicKeyPath, QString::fromStdString(why)));
            Q_EMIT evidenceVerified(false);
            return;
        }
    }
    for (const QString& s : sources)
        options.sourceFiles.push_back(QFile::encodeName(s).toStdString());
    m_workbench.showMessage(tr("Verifying %1…").arg(visibleText(QFileInfo(path).fileName())));
    m_verifyingPath = path;
    m_workbench.session().verify(QFile::encodeName(path).toStdString(), std::move(options));
}

void EvidenceController::onVerified(std::shared_ptr<const VerifyReport> report)
{
    m_workbench.showMessage({});
    m_verifiedPath = m_verifyingPath;
    if (m_workbench.interactive())
        showVerification();
    Q_EMIT evidenceVerified(report->passed());
}

std::shared_ptr<const VerifyReport> EvidenceController::lastVerification() const
{
    return m_workbench.session().lastVerification();
}

QWidget* EvidenceController::showVerification()
{
    const std::shared_ptr<const VerifyReport> report = m_workbench.session().lastVerification();
    if (!report)
        return nullptr;
    auto* dialog = new VerificationDialog(m_workbench.host(), QFileInfo(m_verifiedPath).fileName(), report);
    connect(dialog, &VerificationDialog::openRequested, this, [this] { openVerifiedBundle(); });
    dialog->show();
    return dialog;
}

bool EvidenceController::openVerifiedBundle()
{
    // only what passed verification is opened, from a directory this window owns
    if (!m_workbench.session().lastVerification() || !m_workbench.session().lastVerification()->passed() || m_workbench.session().lastVerification()->lines.empty())
        return false;
    m_evidenceDir = std::make_unique<QTemporaryDir>();
    if (!m_evidenceDir->isValid())
        return false;
    const QString path = m_evidenceDir->filePath(QFileInfo(m_verifiedPath).completeBaseName() + QStringLiteral("-lines.jsonl"));
    const std::shared_ptr<const VerifyReport> report = m_workbench.session().lastVerification();
    const QString bundle = m_verifiedPath;
    // the lines may run to gigabytes: written in the background, then loaded like any file
    m_workbench.session().tasks().start<QString>(
        TaskKind::Export, tr("Writing the evidence view"),
        [report, path](const CancelToken&, TaskProgress&) {
            const OutputTarget target = chooseOutputFile(QFile::encodeName(path).toStdString(), {});
            const OutputFailure failure = target.ok() ? writeOutputFile(target, report->lines) : target.failure;
            if (failure.error != OutputError::None)
                return QString::fromStdString(outputFailureText(target.requested, failure));
            QFile::setPermissions(path, QFileDevice::ReadOwner); // evidence: read-only from here on
            return QString();
        },
        [this, report, path, bundle](QString error) {
            if (!error.isEmpty()) {
                m_workbench.showInfo(tr("The evidence view could not be opened: %1").arg(error));
                return;
            }
            m_workbench.openFiles({path});
            m_workbench.showInfo(tr("Evidence view of %1: the bundle's original lines, verified (manifest SHA-256 %2). Read-only.")
                         .arg(QFileInfo(bundle).fileName(), QString::fromStdString(report->manifestSha256).left(16)));
        });
    return true;
}

} // namespace rw
