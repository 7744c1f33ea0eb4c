#pragma once

#include <QObject>
#include <QStringList>

#include <optional>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

class QDockWidget;

namespace rw {

class ReevaluationPanel;
class Workbench;
struct WorkspaceReevaluation;

// The Policy menu: load a policy bundle, re-evaluate the current, filtered or
// all traces under it in the background, and the re-evaluation panel (a dock)
// whose counts restrict the trace list to the traces behind them.
class PolicyController : public QObject
{
    Q_OBJECT
public:
    enum class Scope { Current, Filtered, All };

    explicit PolicyController(Workbench& workbench);

    // Small and bounded (1 MiB, a 2 s watchdog): loaded on the GUI thread.
    bool loadPolicy(const QString& policyPath, const QString& capabilitiesPath = {}, QString* error = nullptr);
    void reevaluate(Scope scope);
    void reevaluate(Scope scope, bool quiet); // quiet: no dock shown, no "select a trace" messages
    // Shows only these workspace rows (still under the filter) until cleared.
    void restrictToRows(const QString& description, std::vector<std::uint32_t> rows);
    void clearRestriction();
    bool hasRestriction() const;

    ReevaluationPanel* panel() const { return m_panel; }
    QDockWidget* dock() const { return m_dock; }

Q_SIGNALS:
    void reevaluated();

private:
    void loadDialog();
    void clearReevaluation();
    void onReevaluated(std::shared_ptr<const WorkspaceReevaluation> result);

    Workbench& m_workbench;
    QString m_scope; // what the running or last re-evaluation covers, in words
    // the last re-evaluation's scope and files: the same files again (a followed
    // file grew) are re-evaluated again, so that B's count stays live
    std::optional<Scope> m_lastScope; // of the last re-evaluation that finished
    QStringList m_lastPaths;
    Scope m_runningScope = Scope::All; // of the one under way
    bool m_quietRun = false;
    ReevaluationPanel* m_panel = nullptr;
    QDockWidget* m_dock = nullptr;
};

} // namespace rw
