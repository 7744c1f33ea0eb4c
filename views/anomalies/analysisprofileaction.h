#pragma once

#include <QObject>
#include <QString>

namespace rw {

class Workbench;

// Policy ▸ Load Analysis Profile…: the run-trace analysis with a profile of
// the user's (analysis.yaml, with the behaviour/ folder and exfiltration.yaml
// beside it when they are there) instead of the built-in rules, and Policy ▸
// Use Built-in Analysis Rules to go back. The session analyses the open files
// again in the background (the latest request winning); every view that
// shows the analysis follows. A profile with an error is refused with its
// findings (file:line:column) and the rules in use stay.
class AnalysisProfileAction : public QObject
{
    Q_OBJECT
public:
    explicit AnalysisProfileAction(Workbench& workbench);

    // Loads `path` as above; false (and the rules in use kept) on an error.
    // The findings, worded as the CLI words them, are in lastReport().
    bool loadProfile(const QString& path);
    void useBuiltIn();
    QString lastReport() const { return m_report; }
    QString profilePath() const { return m_path; } // empty: the built-in rules

private:
    void chooseProfile();

    Workbench& m_workbench;
    QString m_report;
    QString m_path;
};

} // namespace rw
