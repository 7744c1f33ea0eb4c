#include "views/titles.h"

#include "model/visibletext.h"
#include "model/workspace.h"
#include "replay/policy/policyengine.h"

#include <QFile>
#include <QFileInfo>

namespace rw {

QString traceTitle(const Workspace& ws, std::size_t row)
{
    const TraceRow& r = ws.row(row);
    QString title = visibleUtf8(ws.str(r, r.traceId));
    if (ws.fileCount() > 1)
        title += QStringLiteral(" (") + visibleText(QFileInfo(QString::fromStdString(ws.fileOf(r).path())).fileName()) + QLatin1Char(')');
    return title;
}

QString policyTitle(const PolicyEngine& engine)
{
    const PolicyBundle& bundle = engine.policy();
    return visibleText(QFileInfo(QFile::decodeName(bundle.path.c_str())).fileName()) + QStringLiteral(" (") +
           QString::fromStdString(bundle.sha256).left(12) + QLatin1Char(')');
}

} // namespace rw
