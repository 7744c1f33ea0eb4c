#include "app/text/anomalyquerytext.h"

#include "model/visibletext.h"

#include <QStringList>

namespace rw {

QString anomalyQueryProblemText(const analysis::AnomalyQueryProblem& problem)
{
    using analysis::AnomalyQueryError;
    QStringList detectors;
    for (std::size_t d = 0; d < analysis::kDetectorCount; ++d)
        detectors << QString::fromLatin1(analysis::detectorName(static_cast<analysis::Detector>(d)));
    QString why;
    switch (problem.error) {
    case AnomalyQueryError::None: return {};
    case AnomalyQueryError::UnknownDetector:
        why = QStringLiteral("no detector is named so (%1)").arg(detectors.join(QStringLiteral(", ")));
        break;
    case AnomalyQueryError::UnknownSeverity: why = QStringLiteral("a severity is info, warn or critical"); break;
    case AnomalyQueryError::BadTime: why = QStringLiteral("a time is ISO 8601, as 2026-03-05T14:22:00Z"); break;
    case AnomalyQueryError::BadOperator:
        why = QStringLiteral("only severity and time compare with <, <=, >, >=; the others take : or =");
        break;
    case AnomalyQueryError::EmptyValue: why = QStringLiteral("nothing after the field"); break;
    case AnomalyQueryError::UnknownField:
        why = QStringLiteral("no field is named so (anomaly, detector, severity, agent, rule, run, time, status)");
        break;
    case AnomalyQueryError::UnknownStatus:
        why = QStringLiteral("every anomaly is open: triage statuses come with case files");
        break;
    }
    return QStringLiteral("%1 (character %2): %3")
        .arg(QString::fromStdString(visibleText(problem.term)))
        .arg(problem.character + 1)
        .arg(why);
}

} // namespace rw
