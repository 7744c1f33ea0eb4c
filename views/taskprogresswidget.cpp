#include "views/taskprogresswidget.h"

#include "model/visibletext.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QFrame>
#include <QToolButton>
#include <QTimer>

#include <cmath>

namespace rw {

namespace {
constexpr int kShowAfterMs = 300;
}

TaskProgressWidget::TaskProgressWidget(TaskRunner* runner, QWidget* parent) : QWidget(parent), m_runner(runner)
{
    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 8, 0);
    m_layout->setSpacing(10);
    // a rule after the last task keeps the counts that follow from reading as part of it
    auto* end = new QFrame(this);
    end->setFrameShape(QFrame::VLine);
    end->setFrameShadow(QFrame::Sunken);
    m_layout->addWidget(end);
    connect(runner, &TaskRunner::taskStarted, this, &TaskProgressWidget::onStarted);
    connect(runner, &TaskRunner::taskProgress, this, &TaskProgressWidget::onProgress);
    connect(runner, &TaskRunner::taskFinished, this, [this](TaskId id, TaskKind, bool) { onFinished(id); });
    hide();
}

int TaskProgressWidget::visibleRows() const
{
    int n = 0;
    for (const auto& [id, row] : m_rows)
        n += row.box->isVisibleTo(this) ? 1 : 0;
    return n;
}

void TaskProgressWidget::onStarted(TaskId id, TaskKind, const QString& rawTitle)
{
    // titles and stages name files: escaped here, where they are shown, as everywhere text meets the screen
    const QString title = visibleText(rawTitle);
    Row row;
    row.title = title;
    row.box = new QWidget(this);
    auto* layout = new QHBoxLayout(row.box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    // each task starts with a rule, so its Cancel reads as its own and not the next one's
    auto* rule = new QFrame(row.box);
    rule->setFrameShape(QFrame::VLine);
    rule->setFrameShadow(QFrame::Sunken);
    layout->addWidget(rule);
    layout->addSpacing(6);
    row.label = new QLabel(row.box);
    row.label->setText(row.label->fontMetrics().elidedText(title, Qt::ElideMiddle, 240));
    row.box->setToolTip(title);
    row.bar = new QProgressBar(row.box);
    row.bar->setRange(0, 0); // busy until the first report
    row.bar->setFixedWidth(150);
    row.bar->setMaximumHeight(row.label->sizeHint().height());
    row.bar->setTextVisible(false);
    row.bar->setAccessibleName(title);
    // small and flat, as Qt Creator's and Wireshark's stop buttons: the task, not the button, is the content
    row.cancel = new QToolButton(row.box);
    row.cancel->setText(QStringLiteral("✕"));
    row.cancel->setAutoRaise(true);
    row.cancel->setAccessibleName(tr("Cancel %1").arg(title));
    row.cancel->setToolTip(tr("Cancel %1 (other work goes on)").arg(title));
    layout->addWidget(row.label);
    layout->addWidget(row.bar);
    layout->addWidget(row.cancel);
    connect(row.cancel, &QToolButton::clicked, this, [this, id] { m_runner->cancel(id); });
    row.box->hide();
    m_layout->insertWidget(m_layout->count() - 1, row.box); // before the trailing rule
    m_rows.emplace(id, row);
    QTimer::singleShot(kShowAfterMs, this, [this, id] {
        const auto it = m_rows.find(id);
        if (it == m_rows.end())
            return;
        it->second.box->show();
        show();
    });
}

void TaskProgressWidget::onProgress(TaskId id, const QString& stage, double fraction, double etaSeconds)
{
    const auto it = m_rows.find(id);
    if (it == m_rows.end())
        return;
    Row& row = it->second;
    if (row.bar->maximum() == 0 && fraction > 0) {
        row.bar->setRange(0, 1000);
        row.bar->setTextVisible(true);
    }
    row.bar->setValue(static_cast<int>(std::lround(fraction * 1000)));
    // the title stays readable in a crowded status bar; the stage and the time
    // left go in the bar and the tooltip
    const QString left = etaSeconds >= 1 ? tr("%1 s left").arg(static_cast<int>(std::lround(etaSeconds))) : QString();
    row.bar->setFormat(left.isEmpty() ? QStringLiteral("%p%") : QStringLiteral("%p% · ") + left);
    const QString tip = stage.isEmpty() ? row.title : tr("%1: %2").arg(row.title, visibleText(stage));
    row.box->setToolTip(left.isEmpty() ? tip : tip + QStringLiteral(" (") + left + QLatin1Char(')'));
}

void TaskProgressWidget::onFinished(TaskId id)
{
    const auto it = m_rows.find(id);
    if (it == m_rows.end())
        return;
    it->second.box->deleteLater();
    m_rows.erase(it);
    if (m_rows.empty())
        hide();
}

} // namespace rw
