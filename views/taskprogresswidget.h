#pragma once

#include "model/taskrunner.h"

#include <QWidget>

#include <map>

class QHBoxLayout;
class QLabel;
class QProgressBar;
class QToolButton;

namespace rw {

// The status bar's view of the task runner, after Qt Creator's progress
// manager: one row per running task (title, stage, a bar, the time left) with
// its own Cancel, so a reload's progress never hides a re-evaluation's and
// cancelling one never stops another. A row appears only once its task has run
// for a moment: filtering a few traces does not flash a bar.
class TaskProgressWidget : public QWidget
{
    Q_OBJECT

public:
    explicit TaskProgressWidget(TaskRunner* runner, QWidget* parent = nullptr);
    int visibleRows() const;

private:
    struct Row
    {
        QWidget* box = nullptr;
        QLabel* label = nullptr;
        QProgressBar* bar = nullptr;
        QToolButton* cancel = nullptr;
        QString title;
    };
    void onStarted(TaskId id, TaskKind kind, const QString& title);
    void onProgress(TaskId id, const QString& stage, double fraction, double etaSeconds);
    void onFinished(TaskId id);

    TaskRunner* m_runner;
    QHBoxLayout* m_layout = nullptr;
    std::map<TaskId, Row> m_rows;
};

} // namespace rw
