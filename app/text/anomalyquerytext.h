#pragma once

// Why the anomaly feed's filter (replay/analysis/anomalyquery.h) was refused.
#include "replay/analysis/anomalyquery.h"

#include <QString>

namespace rw {

// "<term> (character N): <why>", the term in its visible form
QString anomalyQueryProblemText(const analysis::AnomalyQueryProblem& problem);

} // namespace rw
