#pragma once

#include "model/tracequery.h"

#include <QString>

namespace rw {

// The filter language explained, made from its field table (model/tracequery.h
// queryFields()): a field the parser learns shows up in all of these at once.

// One line: what the field asks of a trace (and, for a vocabulary, its words).
QString queryFieldDescription(QueryField field);
// Every name the parser accepts: "decision, tool, …, governance (also result), …"
QString queryFieldList();
// The filter bar's tooltip while its text parses: the grammar and a term per field.
QString filterTooltipText();
// The body of Help ▸ Filter Syntax (rich text): a row per field with an
// example and its description, then the grammar.
QString filterSyntaxHtml();

} // namespace rw
