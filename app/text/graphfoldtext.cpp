#include "app/text/graphfoldtext.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace rw {

QString graphFoldText(const ExecutionGraph& g)
{
    const QLocale c = QLocale::c();
    QStringList parts;
    // a decision tree folds plans into one node of its own; the execution graph by tool and outcome
    if (g.collapsedPlans && g.findNode("plan:more") >= 0)
        parts << QCoreApplication::translate("GraphFold", "%1 execution plans were folded into one 'more plans' node")
                     .arg(c.toString(static_cast<qulonglong>(g.collapsedPlans)));
    else if (g.collapsedPlans)
        parts << QCoreApplication::translate("GraphFold", "%1 execution plans were folded into 'similar tool calls' nodes")
                     .arg(c.toString(static_cast<qulonglong>(g.collapsedPlans)));
    if (g.collapsedSteps)
        parts << QCoreApplication::translate("GraphFold", "%1 run steps were folded into one 'more steps' node")
                     .arg(c.toString(static_cast<qulonglong>(g.collapsedSteps)));
    if (g.collapsedSources)
        parts << QCoreApplication::translate("GraphFold", "%1 provenance items from further sources were folded into 'more sources' nodes")
                     .arg(c.toString(static_cast<qulonglong>(g.collapsedSources)));
    return parts.join(QStringLiteral("; "));
}

} // namespace rw
