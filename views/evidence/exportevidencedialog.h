#pragma once

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QRadioButton;

namespace rw {

// File ▸ Export Evidence Bundle: which traces (the selected one or the
// filtered ones), who examines, the case, notes, an optional signing key, and
// whether the loaded policy and its replay diff go in, and whether the
// run-trace analysis does. The examiner, the key and the analysis choice are
// remembered between exports.
class ExportEvidenceDialog : public QDialog
{
    Q_OBJECT
public:
    struct Choice
    {
        bool filtered = false; // the filtered traces, else the selected one
        QString examiner, caseId, notes;
        QString signKeyPath;
        bool includeReevaluation = true; // the loaded bundle's bytes and replay-diff.json
        bool includeAnalysis = false;    // the run-trace analysis of the exported traces (analysis/)
    };

    ExportEvidenceDialog(QWidget* parent, bool hasSelection, int filteredCount, bool hasPolicy);

    Choice choice() const;
    // Remembers the examiner and the key for the next export.
    void remember() const;

private:
    QRadioButton* m_selected = nullptr;
    QRadioButton* m_filtered = nullptr;
    QLineEdit* m_examiner = nullptr;
    QLineEdit* m_caseId = nullptr;
    QLineEdit* m_notes = nullptr;
    QLineEdit* m_key = nullptr;
    QCheckBox* m_reevaluation = nullptr;
    QCheckBox* m_analysis = nullptr;
};

} // namespace rw
