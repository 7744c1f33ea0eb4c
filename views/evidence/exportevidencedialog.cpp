#include "views/evidence/exportevidencedialog.h"

#include "app/text/plural.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>

namespace rw {

namespace {
QSettings settings() { return QSettings(QStringLiteral("ReplayWorkbench"), QStringLiteral("replay-workbench")); }
} // namespace

ExportEvidenceDialog::ExportEvidenceDialog(QWidget* parent, bool hasSelection, int filteredCount, bool hasPolicy)
    : QDialog(parent)
{
    setWindowTitle(tr("Export Evidence Bundle"));
    auto* form = new QFormLayout;
    m_selected = new QRadioButton(tr("The selected trace"), this);
    m_filtered = new QRadioButton(tr("The %1 shown by the filter").arg(counted(filteredCount, "trace", "traces")), this);
    m_selected->setEnabled(hasSelection);
    (hasSelection ? m_selected : m_filtered)->setChecked(true);
    m_examiner = new QLineEdit(settings().value(QStringLiteral("evidence/examiner")).toString(), this);
    m_caseId = new QLineEdit(this);
    m_notes = new QLineEdit(this);
    m_key = new QLineEdit(settings().value(QStringLiteral("evidence/signKey")).toString(), this);
    m_key->setPlaceholderText(tr("optional: a minisign secret key (aisecops-replay --generate-key)"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(browse);
    m_reevaluation = new QCheckBox(tr("Include the loaded policy bundle and its replay diff"), this);
    m_reevaluation->setEnabled(hasPolicy);
    m_reevaluation->setChecked(hasPolicy);
    m_analysis = new QCheckBox(tr("Include the run-trace analysis (anomalies with their witnesses, default rules)"), this);
    m_analysis->setToolTip(tr("analysis/report.json: every anomaly of the exported traces; verification checks each "
                              "witness against the exported lines"));
    m_analysis->setChecked(settings().value(QStringLiteral("evidence/analysis"), false).toBool());
    form->addRow(tr("Traces:"), m_selected);
    form->addRow(QString(), m_filtered);
    form->addRow(tr("Examiner:"), m_examiner);
    form->addRow(tr("Case id:"), m_caseId);
    form->addRow(tr("Notes:"), m_notes);
    form->addRow(tr("Sign with:"), keyRow);
    form->addRow(QString(), m_reevaluation);
    form->addRow(QString(), m_analysis);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export…"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Secret key"), QString(), tr("minisign keys (*.key);;All files (*)"));
        if (!path.isEmpty())
            m_key->setText(path);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

ExportEvidenceDialog::Choice ExportEvidenceDialog::choice() const
{
    return {m_filtered->isChecked(), m_examiner->text(), m_caseId->text(), m_notes->text(), m_key->text(),
            m_reevaluation->isChecked(), m_analysis->isChecked()};
}

void ExportEvidenceDialog::remember() const
{
    QSettings s = settings();
    s.setValue(QStringLiteral("evidence/examiner"), m_examiner->text());
    s.setValue(QStringLiteral("evidence/signKey"), m_key->text());
    s.setValue(QStringLiteral("evidence/analysis"), m_analysis->isChecked());
}

} // namespace rw
