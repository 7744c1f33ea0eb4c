// Evidence bundles in the window: export the selected or filtered traces,
// verify a bundle item by item, open a verified bundle's lines read-only.
#include "views/mainwindow.h"

#include "app/text/checktext.h"
#include "views/session/session.h"

#include "app/pdf/reportpdf.h"
#include "app/text/outputtext.h"
#include "app/text/plural.h"
#include "model/visibletext.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/policy/policybundle.h"
#include "replay/policy/policyengine.h"
#include "views/filterbar.h"
#include "views/models/tracelistmodel.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rw {

namespace {

QSettings evidenceSettings() { return QSettings(QStringLiteral("ReplayWorkbench"), QStringLiteral("replay-workbench")); }

} // namespace

void MainWindow::exportEvidenceDialog()
{
    if (!m_ws || m_traceModel->rowCount() == 0) {
        statusBar()->showMessage(tr("Open an audit file first."), 5000);
        return;
    }
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Export Evidence Bundle"));
    auto* form = new QFormLayout;
    auto* selected = new QRadioButton(tr("The selected trace"), &dialog);
    auto* filtered = new QRadioButton(tr("The %1 shown by the filter").arg(counted(m_traceModel->rowCount(), "trace", "traces")), &dialog);
    selected->setEnabled(m_currentRow >= 0);
    (m_currentRow >= 0 ? selected : filtered)->setChecked(true);
    auto* examiner = new QLineEdit(evidenceSettings().value(QStringLiteral("evidence/examiner")).toString(), &dialog);
    auto* caseId = new QLineEdit(&dialog);
    auto* notes = new QLineEdit(&dialog);
    auto* key = new QLineEdit(evidenceSettings().value(QStringLiteral("evidence/signKey")).toString(), &dialog);
    key->setPlaceholderText(tr("optional: a minisign secret key (aisecops-replay --generate-key)"));
    auto* browse = new QPushButton(tr("Browse…"), &dialog);
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(key, 1);
    keyRow->addWidget(browse);
    auto* reeval = new QCheckBox(tr("Include the loaded policy bundle and its replay diff"), &dialog);
    reeval->setEnabled(m_session->policy() != nullptr);
    reeval->setChecked(m_session->policy() != nullptr);
    form->addRow(tr("Traces:"), selected);
    form->addRow(QString(), filtered);
    form->addRow(tr("Examiner:"), examiner);
    form->addRow(tr("Case id:"), caseId);
    form->addRow(tr("Notes:"), notes);
    form->addRow(tr("Sign with:"), keyRow);
    form->addRow(QString(), reeval);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export…"));
    auto* layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString path = QFileDialog::getOpenFileName(&dialog, tr("Secret key"), QString(), tr("minisign keys (*.key);;All files (*)"));
        if (!path.isEmpty())
            key->setText(path);
    });
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export evidence bundle"), QStringLiteral("evidence-bundle.zip"),
                                                      tr("Evidence bundles (*.zip)"));
    if (path.isEmpty())
        return;
    evidenceSettings().setValue(QStringLiteral("evidence/examiner"), examiner->text());
    evidenceSettings().setValue(QStringLiteral("evidence/signKey"), key->text());
    exportEvidence(path, {filtered->isChecked(), examiner->text(), caseId->text(), notes->text(), key->text(), reeval->isChecked()});
}

void MainWindow::exportEvidence(const QString& path, const EvidenceOptions& options)
{
    auto fail = [&](const QString& why) {
        showInfo(tr("The evidence bundle was not written: %1").arg(why));
        Q_EMIT evidenceExported(path, why);
    };
    if (!m_ws) {
        fail(tr("nothing is open"));
        return;
    }
    // the bundle never replaces an open audit file, a policy in use or the signing key
    OutputRules rules;
    for (std::size_t f = 0; f < m_ws->fileCount(); ++f)
        rules.inputs.push_back(m_ws->file(f).path());
    if (const std::shared_ptr<const PolicyEngine> engine = m_session->policy()) {
        rules.inputs.push_back(engine->policy().path);
        if (engine->capabilities())
            rules.inputs.push_back(engine->capabilities()->path);
    }
    if (!options.signKeyPath.isEmpty())
        rules.keys.push_back(QFile::encodeName(options.signKeyPath).toStdString());
    const OutputTarget target = chooseOutputFile(QFile::encodeName(path).toStdString(), std::move(rules));
    if (!target.ok()) {
        fail(QString::fromStdString(outputFailureText(QFile::encodeName(path).toStdString(), target.failure)));
        return;
    }
    auto req = std::make_shared<EvidenceRequest>();
    req->tool = "replay-workbench";
    if (options.filtered) {
        for (int r = 0; r < m_traceModel->rowCount(); ++r)
            req->rows.push_back(static_cast<std::uint32_t>(m_traceModel->workspaceRow(r)));
    } else if (m_currentRow >= 0) {
        req->rows.push_back(static_cast<std::uint32_t>(m_currentRow));
    }
    if (req->rows.empty()) {
        fail(tr("no trace is selected"));
        return;
    }
    if (!options.signKeyPath.isEmpty()) {
        std::string why;
        req->signKey = readSecretKeyFile(QFile::encodeName(options.signKeyPath).toStdString(), &why);
        if (!req->signKey) {
            fail(tr("the signing key %1 cannot be used: %2").arg(options.signKeyPath, QString::fromStdString(why)));
            return;
        }
    }
    req->examiner = options.examiner.toStdString();
    req->caseId = options.caseId.toStdString();
    req->notes = options.notes.toStdString();
    req->filter = options.filtered ? m_filter->effectiveQuery().toStdString() : std::string();
    const std::shared_ptr<const PolicyEngine> engine = options.includeReevaluation ? m_session->policy() : nullptr;
    if (engine) {
        if (const std::string error = addPolicyFiles(*req, *engine); !error.empty()) {
            fail(QString::fromStdString(error));
            return;
        }
    }
    req->renderPdf = renderReportPdf;
    statusBar()->showMessage(tr("Exporting %1…").arg(counted(req->rows.size(), "trace", "traces")));
    m_exportPath = path;
    m_session->exportEvidence(std::move(*req), target, engine);
}

void MainWindow::onEvidenceExported(const EvidenceResult& result)
{
    const QString path = m_exportPath;
    statusBar()->clearMessage();
    if (!result.ok) {
        const QString why = QString::fromStdString(result.outputFailure.error != OutputError::None
                                                       ? outputFailureText(QFile::encodeName(path).toStdString(), result.outputFailure)
                                                       : result.error);
        showInfo(result.cancelled ? tr("Evidence export cancelled; nothing was written.")
                                  : tr("The evidence bundle was not written: %1").arg(why));
        Q_EMIT evidenceExported(path, why);
        return;
    }
    statusBar()->showMessage(tr("Wrote %1: %2 lines, %3 members, %4 KiB; manifest SHA-256 %5")
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
        showInfo(tr("Wrote %1. Notes: %2").arg(QFileInfo(path).fileName(), notes.join(QStringLiteral("; "))));
    }
    Q_EMIT evidenceExported(path, QString());
}

void MainWindow::verifyEvidenceDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Verify evidence bundle"), QString(), tr("Evidence bundles (*.zip)"));
    if (path.isEmpty())
        return;
    // not the bundle's own folder: a key that travels with the bundle proves nothing
    const QString key = QFileDialog::getOpenFileName(this, tr("Public key to require (Cancel: none)"), QString(),
                                                     tr("minisign public keys (*.pub);;All files (*)"));
    verifyEvidence(path, key, m_paths);
}

void MainWindow::verifyEvidence(const QString& path, const QString& publicKeyPath, const QStringList& sources)
{
    VerifyOptions options;
    if (!publicKeyPath.isEmpty()) {
        std::string why;
        options.publicKey = readPublicKeyFile(QFile::encodeName(publicKeyPath).toStdString(), &why);
        if (!options.publicKey) {
            showInfo(tr("The public key %1 cannot be used: %2").arg(publicKeyPath, QString::fromStdString(why)));
            Q_EMIT evidenceVerified(false);
            return;
        }
    }
    for (const QString& s : sources)
        options.sourceFiles.push_back(QFile::encodeName(s).toStdString());
    statusBar()->showMessage(tr("Verifying %1…").arg(visibleText(QFileInfo(path).fileName())));
    m_verifyingPath = path;
    m_session->verify(QFile::encodeName(path).toStdString(), std::move(options));
}

void MainWindow::onVerified(std::shared_ptr<const VerifyReport> report)
{
    statusBar()->clearMessage();
    m_verifiedPath = m_verifyingPath;
    if (m_options.persistSettings)
        showVerification();
    Q_EMIT evidenceVerified(report->passed());
}

std::shared_ptr<const VerifyReport> MainWindow::lastVerification() const
{
    return m_session->lastVerification();
}

QWidget* MainWindow::showVerification()
{
    if (!m_session->lastVerification())
        return nullptr;
    // not modal: the examiner keeps working in the window while the report stays open
    auto* d = new QDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    QDialog& dialog = *d;
    dialog.setWindowTitle(tr("Verification of %1").arg(QFileInfo(m_verifiedPath).fileName()));
    dialog.resize(900, 560);
    auto* layout = new QVBoxLayout(&dialog);
    auto* result = new QLabel(&dialog);
    QFont f = result->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.3);
    result->setFont(f);
    const bool passed = m_session->lastVerification()->passed();
    result->setText(!passed ? tr("FAIL: the bundle cannot be trusted as it is")
                    : m_session->lastVerification()->authenticated() ? tr("PASS: every item checks out, signature included")
                                                      : tr("PASS, NOT SIGNED: the hashes agree, but nothing shows who made the bundle"));
    result->setStyleSheet(passed ? QStringLiteral("color:#007a55") : QStringLiteral("color:#992200"));
    layout->addWidget(result);
    auto* tree = new QTreeWidget(&dialog);
    tree->setHeaderLabels({tr("Result"), tr("Item"), tr("Detail")});
    tree->setRootIsDecorated(false);
    for (const CheckItem& i : m_session->lastVerification()->items) {
        auto* item = new QTreeWidgetItem(tree, {QString::fromLatin1(checkStatusName(i.status)), visibleUtf8(i.item),
                                                visibleUtf8(checkDetailText(i, Reader::Window))});
        item->setToolTip(2, item->text(2));
        if (i.status == CheckStatus::Fail)
            item->setForeground(0, QColor(0x99, 0x22, 0x00));
        else if (i.status == CheckStatus::Pass)
            item->setForeground(0, QColor(0x00, 0x7a, 0x55));
    }
    tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree->header()->setSectionResizeMode(1, QHeaderView::Interactive);
    tree->setColumnWidth(1, 400);
    tree->setTextElideMode(Qt::ElideMiddle); // member paths: the start and the file name both matter
    layout->addWidget(tree, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QPushButton* open = buttons->addButton(tr("Open as Evidence View"), QDialogButtonBox::ActionRole);
    open->setEnabled(passed);
    connect(open, &QPushButton::clicked, d, [this, d] {
        d->accept();
        openVerifiedBundle();
    });
    connect(buttons, &QDialogButtonBox::rejected, d, &QDialog::reject);
    layout->addWidget(buttons);
    d->show();
    return d;
}

bool MainWindow::openVerifiedBundle()
{
    // only what passed verification is opened, from a directory this window owns
    if (!m_session->lastVerification() || !m_session->lastVerification()->passed() || m_session->lastVerification()->lines.empty())
        return false;
    m_evidenceDir = std::make_unique<QTemporaryDir>();
    if (!m_evidenceDir->isValid())
        return false;
    const QString path = m_evidenceDir->filePath(QFileInfo(m_verifiedPath).completeBaseName() + QStringLiteral("-lines.jsonl"));
    const std::shared_ptr<const VerifyReport> report = m_session->lastVerification();
    const QString bundle = m_verifiedPath;
    // the lines may run to gigabytes: written in the background, then loaded like any file
    m_session->tasks().start<QString>(
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
                showInfo(tr("The evidence view could not be opened: %1").arg(error));
                return;
            }
            openFiles({path});
            showInfo(tr("Evidence view of %1: the bundle's original lines, verified (manifest SHA-256 %2). Read-only.")
                         .arg(QFileInfo(bundle).fileName(), QString::fromStdString(report->manifestSha256).left(16)));
        });
    return true;
}

} // namespace rw
