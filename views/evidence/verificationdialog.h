#pragma once

#include <QDialog>

#include <memory>

namespace rw {

struct VerifyReport;

// The verification report of an evidence bundle, item by item, with the
// verdict on top. Not modal: the examiner keeps working while it is open.
// "Open as Evidence View" (enabled when it passed) emits openRequested.
class VerificationDialog : public QDialog
{
    Q_OBJECT
public:
    VerificationDialog(QWidget* parent, const QString& bundleName, std::shared_ptr<const VerifyReport> report);

Q_SIGNALS:
    void openRequested();
};

} // namespace rw
