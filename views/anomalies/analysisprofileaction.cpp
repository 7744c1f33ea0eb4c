#include "views/anomalies/analysisprofileaction.h"

#include "app/text/plural.h"
#include "app/text/replaydifftext.h"
#include "model/visibletext.h"
#include "replay/analysis/configfiles.h"
#include "views/session/session.h"
#include "views/workbench.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>

#include <algorithm>

namespace rw {

AnalysisProfileAction::AnalysisProfileAction(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    QMenu* policy = workbench.menu(Workbench::Menu::Policy);
    policy->addSeparator();
    policy->addAction(tr("Load &Analysis Profile…"), this, &AnalysisProfileAction::chooseProfile);
    policy->addAction(tr("Use &Built-in Analysis Rules"), this, &AnalysisProfileAction::useBuiltIn);
}

void AnalysisProfileAction::chooseProfile()
{
    const QString path = QFileDialog::getOpenFileName(m_workbench.host(), tr("Load analysis profile"), QString(),
                                                      tr("Analysis profiles (*.yaml *.yml);;All files (*)"));
    if (path.isEmpty())
        return;
    if (!loadProfile(path) && m_workbench.interactive()) {
        // plain text: the findings quote the file, whose keys must not read as markup
        QMessageBox box(QMessageBox::Warning, tr("Analysis profile not loaded"), m_report, QMessageBox::Ok,
                        m_workbench.host());
        box.setTextFormat(Qt::PlainText);
        box.exec();
    }
}

bool AnalysisProfileAction::loadProfile(const QString& path)
{
    // small files, bounded by the YAML reader's limits: read here, the
    // analysis itself runs in the session's task
    const analysis::ConfigFiles files = analysis::configFilesBeside(path.toStdString());
    std::vector<BundleDiagnostic> diagnostics;
    analysis::AnalysisConfig config = analysis::loadConfigFiles(files, diagnostics);
    const auto failed = [&] {
        return std::any_of(diagnostics.begin(), diagnostics.end(),
                           [](const BundleDiagnostic& d) { return d.level == BundleDiagnostic::Level::Error; });
    };
    std::shared_ptr<const analysis::AnalysisRules> rules;
    if (!failed())
        rules = analysis::AnalysisRules::compile(std::move(config), diagnostics);
    const QString name = visibleText(QFileInfo(path).fileName()); // hidden characters shown escaped
    QStringList lines;
    for (const BundleDiagnostic& d : diagnostics)
        lines << QString::fromStdString(bundleDiagnosticLine(d));
    if (failed() || !rules) {
        m_report = tr("%1 was not loaded; the analysis keeps its rules.\n\n%2").arg(name, lines.join(QLatin1Char('\n')));
        return false;
    }
    const analysis::AnalysisConfig& c = rules->config();
    QStringList parts{counted(c.profile.agents.size(), "agent", "agents"),
                      counted(c.policies.size(), "behavioural policy", "behavioural policies")};
    if (!files.exfil.empty())
        parts << tr("exfiltration rules from %1").arg(QStringLiteral("exfiltration.yaml"));
    m_report = tr("Analysis profile %1 loaded: %2").arg(name, parts.join(QStringLiteral(", ")));
    if (!lines.isEmpty())
        m_report += QLatin1Char('\n') + lines.join(QLatin1Char('\n'));
    m_path = path;
    m_workbench.showMessage(tr("Analysis profile %1 loaded (%2); analysing the open files again")
                                .arg(name, parts.join(QStringLiteral(", "))),
                            8000);
    m_workbench.session().setAnalysisRules(std::move(rules));
    return true;
}

void AnalysisProfileAction::useBuiltIn()
{
    m_path.clear();
    m_report = tr("The built-in analysis rules are in use");
    m_workbench.showMessage(tr("Built-in analysis rules; analysing the open files again"), 8000);
    m_workbench.session().setAnalysisRules(nullptr);
}

} // namespace rw
