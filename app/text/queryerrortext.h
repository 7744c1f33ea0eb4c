#pragma once

#include "model/tracequery.h"

#include <QString>

namespace rw {

// What is wrong with a filter, in words (the filter bar's tooltip, the CLI's --filter error).
QString queryErrorText(const QueryError& error);

} // namespace rw
