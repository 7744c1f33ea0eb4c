#pragma once

#include "model/workspace.h"

#include <QElapsedTimer>
#include <QMainWindow>

#include <atomic>
#include <memory>

class QDockWidget;
class QFileSystemWatcher;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTemporaryDir;
class QTimer;
class QTableView;
class QToolButton;

namespace rw {

class DiagnosticsModel;
class DiffView;
struct VerifyReport;
struct EvidenceResult;
class PolicyEngine;
class ReevaluationPanel;
struct WorkspaceReevaluation;
class EventDrawer;
class Session;
struct ComparisonResult;
class TaskProgressWidget;
class EventTableModel;
class FilterBar;
class GraphView;
class TimelineView;
class TraceListModel;

// The workbench window: trace list with filter bar on top, the selected
// trace's timeline and event table below, the event drawer and the
// diagnostics panel as docks, file / hash / counts in the status bar. The
// work runs through the Session's task runner (latest request wins per kind,
// one status row and Cancel per task).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        bool persistSettings = true; // off for screenshots and tests: a fixed, clean layout
    };

    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    void openFiles(const QStringList& paths, bool append = false);
    bool selectTrace(const QString& traceId);
    // Runs the event loop until no load or filter job is pending (tests, screenshots).
    bool waitUntilIdle(int timeoutMs = 60000);
    // Writes the selected trace's execution graph to `path` (.dot/.gv, .svg or
    // .png, by suffix) off the GUI thread; graphExported() reports the outcome.
    void exportGraph(const QString& path);

    // Policy menu (mainwindowpolicy.cpp). Loading a bundle is small and bounded
    // (1 MiB, a 2 s watchdog); re-evaluation and comparisons run in the background.
    enum class Scope { Current, Filtered, All };
    bool loadPolicy(const QString& policyPath, const QString& capabilitiesPath = {}, QString* error = nullptr);
    void reevaluate(Scope scope);
    void markForComparison();
    bool compareWithMarked();
    bool compareWithReevaluation();
    // Shows only these workspace rows (still under the filter) until cleared.
    void restrictToRows(const QString& description, std::vector<std::uint32_t> rows);
    void clearRestriction();
    bool hasRestriction() const;

    // Evidence bundles (mainwindowevidence.cpp), written and verified off the GUI thread.
    struct EvidenceOptions
    {
        bool filtered = false; // the filtered traces, else the selected one
        QString examiner, caseId, notes;
        QString signKeyPath;
        bool includeReevaluation = true; // the loaded bundle's bytes and replay-diff.json
    };
    void exportEvidence(const QString& path, const EvidenceOptions& options);
    void verifyEvidence(const QString& path, const QString& publicKeyPath = {}, const QStringList& sources = {});
    std::shared_ptr<const VerifyReport> lastVerification() const;
    // Opens the verified bundle's original lines read-only, from a temporary
    // directory the window owns (written in the background); false when the
    // last verification did not pass.
    bool openVerifiedBundle();
    // The verification report as a (non-modal) window; nullptr before any verification.
    QWidget* showVerification();

    std::shared_ptr<const Workspace> workspace() const { return m_ws; }
    Session* session() const { return m_session; }
    TaskProgressWidget* taskProgress() const { return m_tasks; }
    DiffView* diffView() const { return m_diff; }
    ReevaluationPanel* reevaluationPanel() const { return m_reevalPanel; }
    QDockWidget* reevaluationDock() const { return m_reevalDock; }
    TraceListModel* traceModel() const { return m_traceModel; }
    EventTableModel* eventModel() const { return m_eventModel; }
    QTableView* traceView() const { return m_traceView; }
    QTableView* eventView() const { return m_eventView; }
    TimelineView* timeline() const { return m_timeline; }
    GraphView* graphView() const { return m_graph; }
    QTabWidget* traceTabs() const { return m_traceTabs; }
    EventDrawer* drawer() const { return m_drawer; }
    QDockWidget* drawerDock() const { return m_drawerDock; }
    QDockWidget* diagnosticsDock() const { return m_diagDock; }
    FilterBar* filterBar() const { return m_filter; }
    QString statusText() const;

Q_SIGNALS:
    void loaded();
    void filtered();
    void graphExported(const QString& path, const QString& error);
    void reevaluated();
    void compared();
    void evidenceExported(const QString& path, const QString& error);
    void evidenceVerified(bool passed);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    // mainwindow.cpp: layout, loading, selection
    void buildUi();
    void connectSession();
    void onWorkspaceChanged(std::shared_ptr<const Workspace> ws, std::shared_ptr<const std::vector<std::uint32_t>> visible);
    void onVisibleRowsChanged(std::shared_ptr<const std::vector<std::uint32_t>> visible);
    void applyFilter(const QString& query);
    void showTrace(std::size_t workspaceRow);
    void layoutGraph();
    // not showEvent: that name is QWidget's, and this one hid it
    void selectEvent(std::int64_t eventIndex, const QObject* origin);
    void updateStatus();
    void watchFiles();
    void onFileChanged(const QString& path);
    void showInfo(const QString& text, const QString& action = {}, std::function<void()> onAction = {});
    const ReplayModel* currentModel() const;

    // mainwindowactions.cpp: menus, shortcuts, settings, dialogs
    void buildMenus();
    void openDialog();
    void goToTrace();
    void moveTraceSelection(int delta);
    void openDrawer();
    void about();
    void addRecent(const QStringList& paths);
    void rebuildRecentMenu();
    void restoreSettings();
    void saveSettings();

    // mainwindowexport.cpp: exporting what is shown
    void exportGraphDialog();

    // mainwindowpolicy.cpp: policy bundles, re-evaluation, comparisons
    void buildPolicyUi();
    void buildPolicyMenu(QMenu* trace, QMenu* policy);
    void loadPolicyDialog();
    struct ComparisonTitles
    {
        QString left, right, leftName, rightName;
    };
    void startComparison(const ComparisonTitles& titles);
    void showComparison(std::shared_ptr<const ComparisonResult> result);
    void clearReevaluation();

    // mainwindowevidence.cpp
    void exportEvidenceDialog();
    void verifyEvidenceDialog();
    void onEvidenceExported(const EvidenceResult& result);
    void onVerified(std::shared_ptr<const VerifyReport> report);

    Options m_options;
    Session* m_session = nullptr;
    std::shared_ptr<const Workspace> m_ws; // the session's, as last delivered
    QStringList m_paths;
    std::vector<std::pair<qint64, qulonglong>> m_loadedFileState; // size, inode per file
    QString m_policyTitle; // file name and short hash of the loaded bundle
    QString m_reevalScope; // what the running or last re-evaluation covers, in words
    ComparisonTitles m_comparisonTitles; // of the comparison running or shown
    std::int64_t m_markedRow = -1;
    QString m_exportPath;    // of the export running or last finished
    QString m_verifyingPath; // of the verification running
    QString m_verifiedPath;  // of the session's last verification
    std::unique_ptr<QTemporaryDir> m_evidenceDir;
    DiffView* m_diff = nullptr;
    ReevaluationPanel* m_reevalPanel = nullptr;
    QDockWidget* m_reevalDock = nullptr;
    QElapsedTimer m_loadTimer;
    double m_loadSeconds = 0;
    std::size_t m_visible = 0;
    std::int64_t m_currentRow = -1; // workspace row shown below
    std::int64_t m_currentEvent = -1;

    FilterBar* m_filter = nullptr;
    TraceListModel* m_traceModel = nullptr;
    EventTableModel* m_eventModel = nullptr;
    DiagnosticsModel* m_diagModel = nullptr;
    QTableView* m_traceView = nullptr;
    QTableView* m_eventView = nullptr;
    QTableView* m_diagView = nullptr;
    TimelineView* m_timeline = nullptr;
    GraphView* m_graph = nullptr;
    QTabWidget* m_traceTabs = nullptr;
    EventDrawer* m_drawer = nullptr;
    QDockWidget* m_drawerDock = nullptr;
    QDockWidget* m_diagDock = nullptr;
    QWidget* m_infoBar = nullptr;
    QLabel* m_infoLabel = nullptr;
    QPushButton* m_infoAction = nullptr;
    QLabel* m_emptyState = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QLabel* m_fileLabel = nullptr;
    QLabel* m_shaLabel = nullptr;
    QLabel* m_countLabel = nullptr;
    QLabel* m_timeLabel = nullptr;
    QToolButton* m_diagButton = nullptr;
    TaskProgressWidget* m_tasks = nullptr;
    QMenu* m_recentMenu = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    std::function<void()> m_infoCallback;
};

} // namespace rw
