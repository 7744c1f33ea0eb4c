#pragma once

#include "model/taskrunner.h"
#include "model/tracequery.h"
#include "model/workspace.h"
#include "replay/analysis/workspaceanalysis.h"
#include "replay/compare/comparisonbuilder.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/evidence/evidenceplan.h"
#include "replay/evidence/evidenceverify.h"
#include "replay/policy/policyengine.h"
#include "replay/policy/workspacereevaluation.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace rw {

// A file that could not be opened: a code and the path, worded by the front end.
struct OpenFailure
{
    std::string path;
    OpenError error = OpenError::None;
    int errnoValue = 0;
};

using RowList = std::shared_ptr<const std::vector<std::uint32_t>>;

// The document between the widgets and the work (Qt Core only; the
// equivalent of Wireshark's toolkit-free capture file): it owns the loaded
// workspace, the filter and its visible rows, the restriction, the policy
// engine with its last re-evaluation, and the last verification. Widgets call
// it and listen to its typed signals; every piece of work runs through its one
// TaskRunner, so each kind has its own cancel token and status row.
class Session : public QObject
{
    Q_OBJECT

public:
    explicit Session(QObject* parent = nullptr);

    TaskRunner& tasks() { return m_tasks; }
    std::shared_ptr<const Workspace> workspace() const { return m_ws; }
    QStringList paths() const { return m_paths; }
    RowList visibleRows() const { return m_visible; }
    QString filter() const { return m_filter; }
    RowList restriction() const { return m_restrict; }
    std::shared_ptr<const PolicyEngine> policy() const { return m_engine; }
    std::shared_ptr<const WorkspaceReevaluation> reevaluation() const { return m_reeval; }
    std::shared_ptr<const VerifyReport> lastVerification() const { return m_verification; }
    // the analysis of the workspace's files (anomalies located in it); null until it is done
    std::shared_ptr<const analysis::WorkspaceAnalysis> analysis() const { return m_analysis; }
    std::shared_ptr<const analysis::AnalysisRules> analysisRules() const { return m_rules; }
    // true while newly loaded files replace the workspace (what it cancels then, it cancels for that)
    bool replacingWorkspace() const { return m_replacing; }

    // Loads the files (added to the open ones when `append`) in one task; the
    // workspace and the current filter's rows arrive together in workspaceChanged.
    TaskId open(const QStringList& paths, bool append = false);
    // Reads what was appended to the open files (View ▸ Follow Growing Files):
    // a grown file is extended, only its new lines read (AuditLoader::extendFile),
    // an unchanged one kept as it is, one removed for now kept as loaded, any
    // other (rotated, truncated) read anew; the workspace arrives as after open().
    // `renamed`: open files rotated away (path -> the name they have now): each
    // stays open under its new name, extended with what it got before the
    // rotation, and the file now at the path is read from its start beside it.
    TaskId loadAppended(const QHash<QString, QString>& renamed = {});
    // Applies a filter (the filter language) within the restriction; a query
    // that does not parse is refused with its error and changes nothing.
    bool setFilter(const QString& query, QueryError* error = nullptr);
    // Shows only these workspace rows (sorted) under the filter; empty pointer: all.
    void restrictTo(RowList rows);
    void setPolicy(std::shared_ptr<const PolicyEngine> engine);
    TaskId reevaluate(std::vector<std::uint32_t> rows);
    // Analyses the workspace in one task (after every load, by itself) with
    // these rules (null: the defaults); the result arrives in analysed().
    TaskId analyze();
    void setAnalysisRules(std::shared_ptr<const analysis::AnalysisRules> rules);
    void clearReevaluation();
    // The whole export in one task, the same recipe as the CLI's: the request
    // is assembled from `choice` against the session's workspace (planEvidence:
    // signing key, traces, the policy bundles as loaded and the replay diff of
    // exactly the exported traces) and written to `zipPath`, which may not be an
    // open file, a bundle in use or the key (evidenceOutputRules). Every outcome
    // arrives in evidenceExported: a refused output in outputFailure, a request
    // that could not be assembled in planFailure (evidencePlanText words both).
    TaskId exportEvidence(const std::string& zipPath, EvidenceChoice choice);
    // A request assembled by the caller (tests); the path may not be an open file.
    TaskId exportEvidence(EvidenceRequest request, const std::string& zipPath);
    // Two traces side by side, or one against itself under the session's policy;
    // the overlay is laid out in the task (a newer comparison kills the layout).
    TaskId compare(std::size_t leftRow, std::size_t rightRow);
    TaskId compareWithPolicy(std::size_t row);
    TaskId verify(std::string bundlePath, VerifyOptions options);
    void cancel(TaskId id) { m_tasks.cancel(id); }

Q_SIGNALS:
    void workspaceChanged(std::shared_ptr<const rw::Workspace> ws, rw::RowList visibleRows);
    void openFailed(const std::vector<rw::OpenFailure>& failures);
    void visibleRowsChanged(rw::RowList visibleRows);
    void reevaluated(std::shared_ptr<const rw::WorkspaceReevaluation> result);
    // the analysis of the current workspace; null when it was dropped (files changed)
    void analysed(std::shared_ptr<const rw::analysis::WorkspaceAnalysis> result);
    void reevaluationCleared();
    void evidenceExported(const rw::EvidenceResult& result); // with its notes
    void comparisonReady(std::shared_ptr<const rw::ComparisonResult> result);
    void verified(std::shared_ptr<const rw::VerifyReport> report);

private:
    struct Loaded
    {
        std::shared_ptr<Workspace> ws;
        QStringList paths;
        std::vector<OpenFailure> failures;
        RowList visible;
        std::string query; // the filter the rows were computed with
        // made in the load when the filter asks about anomalies (the list appears once, filtered)
        std::shared_ptr<const analysis::WorkspaceAnalysis> analysis;
        std::shared_ptr<const analysis::AnalysisRules> rules; // what `analysis` was made with
        bool cancelled = false;
    };
    static RowList filterRows(const Workspace& ws, const std::string& query, const RowList& restrict,
                              const std::atomic<bool>* cancel,
                              const std::shared_ptr<const analysis::WorkspaceAnalysis>& found);
    TaskId startLoad(const QStringList& all, std::shared_ptr<const Workspace> previous, const QString& title,
                     const QHash<QString, QString>& renamed = {});
    void onLoaded(Loaded loaded);
    void refilter();

    TaskRunner m_tasks;
    std::shared_ptr<const Workspace> m_ws;
    QStringList m_paths;
    QString m_filter;
    RowList m_visible;
    RowList m_restrict;
    std::shared_ptr<const PolicyEngine> m_engine;
    std::shared_ptr<const WorkspaceReevaluation> m_reeval;
    std::shared_ptr<const VerifyReport> m_verification;
    std::shared_ptr<const analysis::AnalysisRules> m_rules;
    std::shared_ptr<const analysis::WorkspaceAnalysis> m_analysis;
    bool m_replacing = false;
};

} // namespace rw

Q_DECLARE_METATYPE(rw::RowList)
Q_DECLARE_METATYPE(std::shared_ptr<const rw::Workspace>)
Q_DECLARE_METATYPE(std::vector<rw::OpenFailure>)
Q_DECLARE_METATYPE(std::shared_ptr<const rw::WorkspaceReevaluation>)
Q_DECLARE_METATYPE(std::shared_ptr<const rw::analysis::WorkspaceAnalysis>)
Q_DECLARE_METATYPE(rw::EvidenceResult)
Q_DECLARE_METATYPE(std::shared_ptr<const rw::ComparisonResult>)
Q_DECLARE_METATYPE(std::shared_ptr<const rw::VerifyReport>)
