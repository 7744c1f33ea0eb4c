#pragma once

#include "views/policy/policycontroller.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <vector>

namespace rw {

class MainWindow;

// `replay-workbench --screenshot OUT.png …`: drives a window through a scene
// (select a trace, re-evaluate, compare, verify, open the drawer …), waits for
// the work to finish, renders the window at a fixed size and saves it. Used
// for the documentation's figures and the review of every GUI change; kept
// out of the production start-up path in main.cpp.
class ScreenshotDriver
{
public:
    explicit ScreenshotDriver(QCommandLineParser& parser);

    // after parser.process()
    bool requested() const;
    // The scene on an open window (files, --policy and --filter already
    // applied); returns the process exit code.
    int run(MainWindow& window, bool reevaluate, PolicyController::Scope scope, bool verify);

private:
    QCommandLineParser& m_parser;
    QCommandLineOption m_screenshot, m_selectTrace, m_drawer, m_findings, m_event, m_graph, m_compareWith,
        m_compareReevaluation, m_compareGraph, m_showBehind, m_openEvidence, m_governance, m_exportDialog, m_anomalies,
        m_anomalyFilter, m_openAnomaly, m_heatmap, m_decisionTree;
    int showAnomalies(MainWindow& window);
};

} // namespace rw
