#include "views/evidence/verificationdialog.h"

#include "app/text/checktext.h"
#include "model/visibletext.h"
#include "replay/evidence/evidenceverify.h"
#include "views/styles.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rw {

VerificationDialog::VerificationDialog(QWidget* parent, const QString& bundleName, std::shared_ptr<const VerifyReport> report)
    : QDialog(parent)
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Verification of %1").arg(visibleText(bundleName)));
    resize(900, 560);
    auto* layout = new QVBoxLayout(this);
    auto* verdict = new QLabel(this);
    QFont f = verdict->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.3);
    verdict->setFont(f);
    const bool passed = report->passed();
    verdict->setText(!passed                 ? tr("FAIL: the bundle cannot be trusted as it is")
                     : report->authenticated() ? tr("PASS: every item checks out, signature included")
                                               : tr("PASS, NOT SIGNED: the hashes agree, but nothing shows who made the bundle"));
    verdict->setStyleSheet(QStringLiteral("color:") + verdictColor(passed).name());
    layout->addWidget(verdict);
    auto* tree = new QTreeWidget(this);
    tree->setHeaderLabels({tr("Result"), tr("Item"), tr("Detail")});
    tree->setRootIsDecorated(false);
    for (const CheckItem& i : report->items) {
        auto* item = new QTreeWidgetItem(tree, {QString::fromLatin1(checkStatusName(i.status)), visibleUtf8(i.item),
                                                visibleUtf8(checkDetailText(i, Reader::Window))});
        item->setToolTip(2, item->text(2));
        if (const QColor c = checkStatusColor(i.status); c.isValid())
            item->setForeground(0, c);
    }
    tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree->header()->setSectionResizeMode(1, QHeaderView::Interactive);
    tree->setColumnWidth(1, 400);
    tree->setTextElideMode(Qt::ElideMiddle); // member paths: the start and the file name both matter
    layout->addWidget(tree, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* open = buttons->addButton(tr("Open as Evidence View"), QDialogButtonBox::ActionRole);
    open->setEnabled(passed);
    connect(open, &QPushButton::clicked, this, [this] {
        accept();
        Q_EMIT openRequested();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace rw
