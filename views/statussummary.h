#pragma once

#include "model/workspace.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

class QLabel;
class QStatusBar;

namespace rw {

class Session;
class TracePage;

// The status bar's account of what is open: the file (or file count), its
// SHA-256 once the background hash is done (click to copy), events in traces
// of the records, how many traces the list shows, and how long the load took.
class StatusSummary : public QObject
{
    Q_OBJECT
public:
    // The file and hash go left; the task rows (`tasks`), then the counts, right.
    StatusSummary(Session& session, TracePage& page, QStatusBar* bar, QWidget* tasks);

    void update();

private:
    void onWorkspaceChanged(std::shared_ptr<const Workspace> ws);

    Session& m_session;
    TracePage& m_page;
    QStatusBar* m_bar;
    std::shared_ptr<const Workspace> m_ws;
    QElapsedTimer m_loadTimer;
    double m_loadSeconds = 0;
    QLabel* m_fileLabel = nullptr;
    QLabel* m_shaLabel = nullptr;
    QLabel* m_countLabel = nullptr;
    QLabel* m_timeLabel = nullptr;
};

} // namespace rw
