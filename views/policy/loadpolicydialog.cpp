#include "views/policy/loadpolicydialog.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

namespace rw {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("LoadPolicyDialog", text); }
} // namespace

std::optional<LoadPolicyDialog::Choice> LoadPolicyDialog::ask(QWidget* parent)
{
    Choice choice;
    choice.policy = QFileDialog::getOpenFileName(parent, tr("Load policy bundle"), QString(),
                                                 tr("Policy bundles (*.yaml *.yml);;All files (*)"));
    if (choice.policy.isEmpty())
        return std::nullopt;
    const auto answer = QMessageBox::question(parent, tr("Capability bundle"),
                                              tr("Also load a capability bundle? Without one the capability gate is not "
                                                 "evaluated."),
                                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes)
        choice.capabilities = QFileDialog::getOpenFileName(parent, tr("Load capability bundle"),
                                                           QFileInfo(choice.policy).absolutePath(),
                                                           tr("Capability bundles (*.yaml *.yml);;All files (*)"));
    return choice;
}

} // namespace rw
