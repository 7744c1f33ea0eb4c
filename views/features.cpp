#include "views/features.h"

#include "views/anomalies/analysisprofileaction.h"
#include "views/anomalies/anomalyfeed.h"
#include "views/compare/comparisoncontroller.h"
#include "views/decisiontree/decisiontreetab.h"
#include "views/evidence/evidencecontroller.h"
#include "views/export/graphexport.h"
#include "views/filewatch.h"
#include "views/findings/findingspanel.h"
#include "views/governance/governancemetrics.h"
#include "views/heatmap/heatmaptab.h"
#include "views/policy/policycontroller.h"

namespace rw {

void installFeatures(Workbench& workbench)
{
    // each is a child of the window, which owns it
    new GraphExport(workbench);
    new EvidenceController(workbench);
    new PolicyController(workbench);
    new DecisionTreeTab(workbench); // beside the execution graph
    new ComparisonController(workbench);
    new FindingsPanel(workbench);
    new AnomalyFeed(workbench);
    new AnalysisProfileAction(workbench);
    new PermissionHeatmapTab(workbench);
    new GovernanceMetrics(workbench);
    new FileWatch(workbench);
}

} // namespace rw
