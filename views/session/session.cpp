#include "views/session/session.h"

#include "model/auditloader.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace rw {

Session::Session(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<rw::TaskKind>("rw::TaskKind");
    qRegisterMetaType<rw::TaskId>("rw::TaskId");
    qRegisterMetaType<rw::RowList>("rw::RowList");
    qRegisterMetaType<std::shared_ptr<const rw::analysis::WorkspaceAnalysis>>();
}

RowList Session::filterRows(const Workspace& ws, const std::string& query, const RowList& restrict,
                            const std::atomic<bool>* cancel, const std::shared_ptr<const analysis::WorkspaceAnalysis>& found)
{
    QueryError error;
    const TraceQuery q = TraceQuery::parse(query, &error);
    auto rows = std::make_shared<std::vector<std::uint32_t>>();
    if (error.code != QueryErrorCode::None)
        return rows;
    *rows = q.filter(ws, cancel, found ? std::span<const RowAnomalies>(found->rows) : std::span<const RowAnomalies>());
    if (restrict)
        rows->erase(std::remove_if(rows->begin(), rows->end(),
                                   [&](std::uint32_t r) { return !std::binary_search(restrict->begin(), restrict->end(), r); }),
                    rows->end());
    return rows;
}

TaskId Session::open(const QStringList& paths, bool append)
{
    QStringList all = append ? m_paths : QStringList();
    for (const QString& p : paths)
        if (!all.contains(QFileInfo(p).absoluteFilePath()))
            all << QFileInfo(p).absoluteFilePath();
    const QString title = all.size() == 1 ? tr("Loading %1").arg(QFileInfo(all.front()).fileName())
                                          : tr("Loading %1 files").arg(all.size());
    return startLoad(all, nullptr, title);
}

TaskId Session::loadAppended(const QHash<QString, QString>& renamed)
{
    if (!m_ws || m_paths.isEmpty())
        return 0;
    const QString title = m_paths.size() == 1 ? tr("Reading new lines of %1").arg(QFileInfo(m_paths.front()).fileName())
                                              : tr("Reading new lines of %1 files").arg(m_paths.size());
    return startLoad(m_paths, m_ws, title, renamed);
}

TaskId Session::startLoad(const QStringList& all, std::shared_ptr<const Workspace> previous, const QString& title,
                          const QHash<QString, QString>& renamed)
{
    const std::string query = m_filter.toStdString();
    // the filter of the moment is applied in the same task: the list appears once, filtered
    // (a filter that asks about anomalies gets the analysis made there too: Follow keeps its list)
    std::shared_ptr<const analysis::AnalysisRules> rules = m_rules;
    return m_tasks.start<Loaded>(
        TaskKind::Load, title,
        [all, query, rules, previous, renamed](const CancelToken& cancel, TaskProgress& progress) {
            Loaded out;
            out.query = query;
            out.rules = rules;
            out.ws = std::make_shared<Workspace>();
            for (int i = 0; i < all.size() && !cancel.cancelled(); ++i) {
                progress.setStage(QFileInfo(all[i]).fileName());
                const std::string path = QFile::encodeName(all[i]).toStdString();
                auto report = [&](std::uint64_t done, std::uint64_t total) { progress.report(done, total); };
                // Reading what was appended: an unchanged file stays as it is, a grown
                // one is extended (only its new lines read), anything else is read anew.
                // One that cannot be read now stays as loaded (nothing is lost): gone
                // for now, it is watched until it is back; any other failure is said.
                const auto was = static_cast<std::size_t>(i);
                const bool known = previous && was < previous->fileCount() && previous->file(was).path() == path;
                if (out.paths.contains(all[i]))
                    continue; // read already, as the new name of a file rotated away: never twice
                // rotated away: the old file under its new name first (what it got before the
                // rotation read too), then the new file at the path, from its start
                // (not when that name is open already, or read just before: its own entry reads it, once)
                if (const auto moved = renamed.constFind(all[i]); known && moved != renamed.constEnd()) {
                    const std::string newName = QFile::encodeName(*moved).toStdString();
                    const bool openAlready = all.contains(*moved) || out.paths.contains(*moved);
                    LoadResult old;
                    if (!openAlready)
                        old = AuditLoader::extendFile(previous->file(was), {}, report, cancel.flag(), newName);
                    if (cancel.cancelled())
                        break;
                    if (openAlready) {
                        // read at its own place in the list
                    } else if (old.model) {
                        out.paths << *moved;
                        if (old.extended)
                            out.ws->addExtendedFile(std::move(old.model), *previous, was, old.keptEvents);
                        else
                            out.ws->addFile(std::move(old.model));
                    } else {
                        // gone before it could be read under its new name: said (its name no longer opens)
                        out.failures.push_back({newName, old.error, old.errnoValue});
                    }
                    LoadResult fresh = AuditLoader::loadFile(path, {}, report, cancel.flag());
                    if (cancel.cancelled())
                        break;
                    if (fresh.model) {
                        out.paths << all[i];
                        out.ws->addFile(std::move(fresh.model));
                    } else {
                        out.failures.push_back({path, fresh.error, fresh.errnoValue});
                    }
                    continue;
                }
                if (known && previous->file(was).unchangedOnDisk()) {
                    out.ws->addFileFrom(*previous, was);
                    out.paths << all[i];
                    continue;
                }
                LoadResult r = known ? AuditLoader::extendFile(previous->file(was), {}, report, cancel.flag())
                                     : AuditLoader::loadFile(path, {}, report, cancel.flag());
                if (cancel.cancelled())
                    break;
                if (!r.model && known) {
                    if (r.error != OpenError::NotFound)
                        out.failures.push_back({path, r.error, r.errnoValue});
                    out.ws->addFileFrom(*previous, was);
                    out.paths << all[i];
                    continue;
                }
                if (!r.model) {
                    out.failures.push_back({path, r.error, r.errnoValue});
                    continue;
                }
                out.paths << all[i];
                if (r.extended)
                    out.ws->addExtendedFile(std::move(r.model), *previous, was, r.keptEvents);
                else
                    out.ws->addFile(std::move(r.model));
            }
            out.cancelled = cancel.cancelled();
            if (!out.cancelled && out.ws->fileCount() > 0) {
                QueryError error;
                if (TraceQuery::parse(query, &error).hasAnomalyTerms()) {
                    progress.setStage(tr("analysing"));
                    const std::shared_ptr<const analysis::AnalysisRules> use = rules ? rules : analysis::defaultAnalysisRules();
                    auto made = use ? analysis::analyzeWorkspace(*out.ws, *use, cancel.flag()) : nullptr;
                    if (made && made->complete)
                        out.analysis = std::move(made);
                }
                out.visible = filterRows(*out.ws, query, nullptr, cancel.flag(), out.analysis);
            }
            out.cancelled = cancel.cancelled(); // a filter cut short is no list to show
            return out;
        },
        [this](Loaded loaded) { onLoaded(std::move(loaded)); });
}

void Session::onLoaded(Loaded loaded)
{
    if (!loaded.failures.empty())
        Q_EMIT openFailed(loaded.failures);
    if (loaded.cancelled || loaded.ws->fileCount() == 0)
        return; // the files open before stay open
    // re-evaluations and restrictions name rows of the old workspace (cancelled
    // here, not by the user: listeners tell the two apart by replacingWorkspace())
    m_replacing = true;
    m_tasks.cancelKind(TaskKind::Reevaluate);
    m_tasks.cancelKind(TaskKind::Filter);
    m_replacing = false;
    const bool hadReevaluation = m_reeval != nullptr;
    m_reeval.reset();
    m_restrict.reset();
    const bool hadAnalysis = m_analysis != nullptr;
    m_analysis.reset();
    m_ws = loaded.ws;
    m_paths = loaded.paths;
    m_visible = loaded.visible;
    if (hadReevaluation)
        Q_EMIT reevaluationCleared();
    if (hadAnalysis)
        Q_EMIT analysed(nullptr);
    Q_EMIT workspaceChanged(m_ws, m_visible);
    // made with the list, under the rules of now (a profile loaded meanwhile: analysed again below)
    if (loaded.analysis && loaded.rules == m_rules) {
        m_analysis = loaded.analysis;
        Q_EMIT analysed(m_analysis);
    }
    // the filter changed while the files loaded: apply the one of now
    if (m_filter.toStdString() != loaded.query)
        refilter();
    if (!m_analysis)
        analyze();
}

void Session::setAnalysisRules(std::shared_ptr<const analysis::AnalysisRules> rules)
{
    m_rules = std::move(rules);
    if (m_ws)
        analyze();
}

TaskId Session::analyze()
{
    if (!m_ws || m_ws->fileCount() == 0)
        return 0;
    const std::shared_ptr<const Workspace> ws = m_ws;
    std::shared_ptr<const analysis::AnalysisRules> rules = m_rules ? m_rules : analysis::defaultAnalysisRules();
    using Result = std::shared_ptr<const analysis::WorkspaceAnalysis>;
    return m_tasks.start<Result>(
        TaskKind::Analyze, tr("Analysing %n file(s)", nullptr, static_cast<int>(ws->fileCount())),
        [ws, rules](const CancelToken& cancel, TaskProgress& progress) -> Result {
            if (!rules)
                return nullptr;
            return analysis::analyzeWorkspace(*ws, *rules, cancel.flag(),
                                              [&](std::size_t done, std::size_t total) { progress.report(done, total); });
        },
        [this, ws](Result result) {
            if (ws != m_ws || !result || !result->complete)
                return; // files changed since (a newer analysis follows), or cut short
            m_analysis = std::move(result);
            Q_EMIT analysed(m_analysis);
            // a filter that asks about anomalies (anomalies>0) could not be answered before
            QueryError error;
            if (TraceQuery::parse(m_filter.toStdString(), &error).hasAnomalyTerms())
                refilter();
        });
}

bool Session::setFilter(const QString& query, QueryError* error)
{
    QueryError parseError;
    (void)TraceQuery::parse(query.toStdString(), &parseError);
    if (error)
        *error = parseError;
    if (parseError.code != QueryErrorCode::None)
        return false;
    m_filter = query;
    refilter();
    return true;
}

void Session::restrictTo(RowList rows)
{
    m_restrict = std::move(rows);
    refilter();
}

void Session::refilter()
{
    if (!m_ws)
        return;
    const std::shared_ptr<const Workspace> ws = m_ws;
    const std::string query = m_filter.toStdString();
    const RowList restrict = m_restrict;
    const std::shared_ptr<const analysis::WorkspaceAnalysis> found = m_analysis;
    m_tasks.start<RowList>(
        TaskKind::Filter, tr("Filtering"),
        [ws, query, restrict, found](const CancelToken& cancel, TaskProgress&) {
            return filterRows(*ws, query, restrict, cancel.flag(), found);
        },
        [this, ws](RowList rows) {
            if (ws != m_ws)
                return;
            m_visible = std::move(rows);
            Q_EMIT visibleRowsChanged(m_visible);
        });
}

void Session::setPolicy(std::shared_ptr<const PolicyEngine> engine)
{
    m_engine = std::move(engine);
    clearReevaluation();
}

void Session::clearReevaluation()
{
    m_tasks.cancelKind(TaskKind::Reevaluate);
    if (m_reeval) {
        m_reeval.reset();
        Q_EMIT reevaluationCleared();
    }
}

TaskId Session::reevaluate(std::vector<std::uint32_t> rows)
{
    if (!m_ws || !m_engine)
        return 0;
    const std::shared_ptr<const Workspace> ws = m_ws;
    const std::shared_ptr<const PolicyEngine> engine = m_engine;
    return m_tasks.start<std::shared_ptr<const WorkspaceReevaluation>>(
        TaskKind::Reevaluate, tr("Re-evaluating %n trace(s)", nullptr, static_cast<int>(rows.size())),
        [ws, engine, rows](const CancelToken& cancel, TaskProgress& progress) {
            auto result = std::make_shared<WorkspaceReevaluation>(reevaluateRows(*ws, rows, *engine, [&](std::size_t done) {
                progress.report(done, rows.size());
                return !cancel.cancelled();
            }));
            return std::shared_ptr<const WorkspaceReevaluation>(std::move(result));
        },
        [this, ws](std::shared_ptr<const WorkspaceReevaluation> result) {
            if (ws != m_ws || result->cancelled)
                return;
            m_reeval = std::move(result);
            Q_EMIT reevaluated(m_reeval);
        });
}

namespace {

// The writing phase of an export, on the task's thread: two phases (traces,
// then graph layouts on all cores), each reported as it goes.
EvidenceResult writeInTask(EvidenceRequest& request, const OutputTarget& target, const CancelToken& cancel, TaskProgress& progress)
{
    request.progress = [&](std::size_t done, std::size_t total) {
        progress.report(done, total);
        return !cancel.cancelled();
    };
    progress.setStage(Session::tr("writing"));
    return writeEvidenceBundle(request, target);
}

} // namespace

TaskId Session::exportEvidence(const std::string& zipPath, EvidenceChoice choice)
{
    if (!m_ws) {
        EvidenceResult result;
        result.planFailure.error = EvidencePlanError::NoWorkspace;
        Q_EMIT evidenceExported(result);
        return 0;
    }
    const std::shared_ptr<const Workspace> ws = m_ws;
    if (m_analysis && choice.anomalies.empty())
        choice.anomalies = m_analysis->rows; // a filter's anomalies>0 means what the list showed
    return m_tasks.start<EvidenceResult>(
        TaskKind::Evidence, tr("Exporting evidence"),
        [ws, zipPath, choice = std::move(choice)](const CancelToken& cancel, TaskProgress& progress) {
            const OutputTarget target = chooseOutputFile(zipPath, evidenceOutputRules(*ws, choice.engine.get(), choice.signKeyPath));
            if (!target.ok()) {
                EvidenceResult refused;
                refused.outputFailure = target.failure;
                return refused;
            }
            if (choice.engine)
                progress.setStage(tr("re-evaluating"));
            EvidencePlan plan = planEvidence(choice, *ws, cancel.flag());
            if (!plan.ok()) {
                EvidenceResult failed;
                failed.planFailure = plan.failure;
                return failed;
            }
            return writeInTask(plan.request, target, cancel, progress);
        },
        [this](EvidenceResult result) { Q_EMIT evidenceExported(result); });
}

TaskId Session::exportEvidence(EvidenceRequest request, const std::string& zipPath)
{
    if (!m_ws)
        return 0;
    const std::shared_ptr<const Workspace> ws = m_ws;
    OutputTarget target = chooseOutputFile(zipPath, evidenceOutputRules(*m_ws, nullptr, {}));
    return m_tasks.start<EvidenceResult>(
        TaskKind::Evidence, tr("Exporting evidence"),
        [ws, request = std::move(request), target = std::move(target)](const CancelToken& cancel, TaskProgress& progress) mutable {
            request.ws = ws.get();
            return writeInTask(request, target, cancel, progress);
        },
        [this](EvidenceResult result) { Q_EMIT evidenceExported(result); });
}

TaskId Session::compare(std::size_t leftRow, std::size_t rightRow)
{
    if (!m_ws || leftRow >= m_ws->rows().size() || rightRow >= m_ws->rows().size())
        return 0;
    const std::shared_ptr<const Workspace> ws = m_ws;
    return m_tasks.start<std::shared_ptr<const ComparisonResult>>(
        TaskKind::Compare, tr("Comparing"),
        [ws, leftRow, rightRow](const CancelToken& cancel, TaskProgress&) {
            return std::make_shared<const ComparisonResult>(compareWorkspaceRows(ws, leftRow, rightRow, cancel.flag()));
        },
        [this](std::shared_ptr<const ComparisonResult> result) {
            if (result->ws == m_ws)
                Q_EMIT comparisonReady(std::move(result));
        });
}

TaskId Session::compareWithPolicy(std::size_t row)
{
    if (!m_ws || !m_engine || row >= m_ws->rows().size())
        return 0;
    const std::shared_ptr<const Workspace> ws = m_ws;
    const std::shared_ptr<const PolicyEngine> engine = m_engine;
    return m_tasks.start<std::shared_ptr<const ComparisonResult>>(
        TaskKind::Compare, tr("Comparing with the policy"),
        [ws, engine, row](const CancelToken& cancel, TaskProgress&) {
            return std::make_shared<const ComparisonResult>(rw::compareWithPolicy(ws, row, *engine, cancel.flag()));
        },
        [this](std::shared_ptr<const ComparisonResult> result) {
            if (result->ws == m_ws)
                Q_EMIT comparisonReady(std::move(result));
        });
}

TaskId Session::verify(std::string bundlePath, VerifyOptions options)
{
    return m_tasks.start<std::shared_ptr<const VerifyReport>>(
        TaskKind::Verify, tr("Verifying evidence"),
        [bundlePath, options](const CancelToken&, TaskProgress&) {
            return std::make_shared<const VerifyReport>(verifyBundle(bundlePath, options));
        },
        [this](std::shared_ptr<const VerifyReport> report) {
            m_verification = std::move(report);
            Q_EMIT verified(m_verification);
        });
}

} // namespace rw
