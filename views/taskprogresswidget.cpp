#include "taskprogresswidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>

#include <cmath>

namespace rw {

namespace {
constexpr int kShowAfterMs = 300;
}

TaskProgressWidget::TaskProgressWidget(TaskRunner* runner, QWidget* parent) : QWidget(parent), m_runner(runner)
{
    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(12);
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

void TaskProgressWidget::onStarted(TaskId id, TaskKind, const QString& title)
{
    Row row;
    row.title = title;
    row.box = new QWidget(this);
    auto* layout = new QHBoxLayout(row.box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    row.label = new QLabel(title, row.box);
    row.bar = new QProgressBar(row.box);
    row.bar->setRange(0, 0); // busy until the first report
    row.bar->setMaximumWidth(160);
    row.bar->setMaximumHeight(row.label->sizeHint().height());
    row.bar->setTextVisible(false);
    row.bar->setAccessibleName(title);
    row.cancel = new QPushButton(tr("Cancel"), row.box);
    row.cancel->setAccessibleName(tr("Cancel %1").arg(title));
    row.cancel->setToolTip(tr("Stop %1; other work goes on").arg(title));
    layout->addWidget(row.label);
    layout->addWidget(row.bar);
    layout->addWidget(row.cancel);
    connect(row.cancel, &QPushButton::clicked, this, [this, id] { m_runner->cancel(id); });
    row.box->hide();
    m_layout->addWidget(row.box);
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
    if (row.bar->maximum() == 0 && fraction > 0)
        row.bar->setRange(0, 1000);
    row.bar->setValue(static_cast<int>(std::lround(fraction * 1000)));
    QString text = stage.isEmpty() ? row.title : tr("%1: %2").arg(row.title, stage);
    if (etaSeconds >= 1)
        text += tr(" (%1 s left)").arg(static_cast<int>(std::lround(etaSeconds)));
    row.label->setText(text);
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
