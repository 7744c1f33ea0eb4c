#include "app/text/queryhelptext.h"

#include "model/vocabulary.h"

#include <QCoreApplication>
#include <QStringList>

namespace rw {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("FilterHelp", text); }

QString latin1(std::string_view s) { return QString::fromLatin1(s.data(), static_cast<qsizetype>(s.size())); }

// the words of a vocabulary, from its one table, without the placeholders
template <class E> QString wordsOf(const char* (*name)(E), E first, E last)
{
    QStringList words;
    for (auto i = vocabularyIndex(first); i <= vocabularyIndex(last); ++i)
        words << QString::fromLatin1(name(static_cast<E>(i)));
    return words.join(QStringLiteral(", "));
}

// "governance (also result)"
QString namesOf(const QueryFieldInfo& f)
{
    return f.alias.empty() ? latin1(f.name) : tr("%1 (also %2)").arg(latin1(f.name), latin1(f.alias));
}

} // namespace

QString queryFieldDescription(QueryField field)
{
    // a switch, so that a field added to the table without words does not build (-Wswitch)
    switch (field) {
    case QueryField::Decision:
        return tr("the trace's final decision: %1; allow, deny and approval work too")
            .arg(wordsOf(decisionName, Decision::Allowed, Decision::Observed));
    case QueryField::Tool: return tr("the tool of the trace's last event");
    case QueryField::Trust:
        return tr("a provenance item of the trace has this trust level: %1")
            .arg(wordsOf(trustName, Trust::Trusted, Trust::Unverified));
    case QueryField::Agent: return tr("the agent's name or id");
    case QueryField::Tenant: return tr("the tenant id");
    case QueryField::Stage: return tr("an event of the trace is at this decision stage (plan, evaluate, execute, …)");
    case QueryField::Trace: return tr("the trace id");
    case QueryField::Governance:
        return tr("the governance result: %1").arg(wordsOf(governanceName, Governance::Observed, Governance::Violation));
    case QueryField::Budget: return tr("the runtime budget status: violated, or what the last usage reported");
    case QueryField::Reason: return tr("the reason given for the final decision");
    case QueryField::File: return tr("the file, numbered in the order they were opened from 1");
    case QueryField::Events: return tr("the number of events");
    case QueryField::Duration: return tr("first to last event, in us, ms, s, m or h (seconds without a unit)");
    case QueryField::Diagnostics: return tr("the number of findings about the trace's records");
    case QueryField::Violations: return tr("the number of runtime budget violations");
    case QueryField::FirstSeen: return tr("the time of the first event, UTC; a date, or a date and hour, is enough");
    case QueryField::Action: return tr("a step's action (a run step's action, an interceptor plan's intent)");
    case QueryField::ActionType:
        return tr("a step's action type (observe, modify, destroy, …) from an analysis profile; the workbench loads "
                  "none yet, so here it matches nothing (analysis rules and the CLI have one)");
    case QueryField::Permission: return tr("a permission the step used (a run step's permissions_used, a plan's capabilities)");
    case QueryField::Param: return tr("a parameter of the step's tool call: param.host:web-03; param: alone looks at every parameter");
    case QueryField::ResultStatus: return tr("the status of the step's result: success, error, blocked, …");
    case QueryField::Reasoning:
        return tr("the step's reasoning; reasoning~\"re\" is a regular expression (RE2 syntax, case-sensitive "
                  "unless it starts with (?i))");
    case QueryField::Escalated:
        return tr("the step used a permission recorded as escalated: true or false (traces without any: -escalated:true)");
    case QueryField::Env:
        return tr("the environment of the step's target host, from an analysis profile (none in the workbench yet: "
                  "matches nothing here)");
    case QueryField::Dest:
        return tr("where the step sends data (a host, e-mail domain or bucket; trusted or untrusted), from an "
                  "analysis profile (none in the workbench yet: matches nothing here)");
    case QueryField::Step: return tr("the step's index, from 0");
    case QueryField::Approval: return tr("the approval id of the step; approval.id:* for steps with an approval");
    case QueryField::Anomalies: return tr("anomalies the run-trace analysis found in the trace (the workbench's, after a load)");
    case QueryField::Worst: return tr("the most severe of them: info, warn, critical, or none");
    }
    return {};
}

QString queryFieldList()
{
    QStringList names;
    for (const QueryFieldInfo& f : queryFields())
        names << namesOf(f);
    return names.join(QStringLiteral(", "));
}

QString filterTooltipText()
{
    // a plain-text tooltip does not wrap: three terms a line
    QStringList lines{tr("Filter: juxtaposition is AND; OR, NOT / -, parentheses, \"quotes\"; * is a wildcard")};
    QStringList terms;
    for (const QueryFieldInfo& f : queryFields()) {
        terms << (f.alias.empty() ? latin1(f.example) : tr("%1 (also %2)").arg(latin1(f.example), latin1(f.alias)));
        if (terms.size() == 3) {
            lines << terms.join(QStringLiteral("   "));
            terms.clear();
        }
    }
    if (!terms.isEmpty())
        lines << terms.join(QStringLiteral("   "));
    lines << tr("Help ▸ Filter Syntax says what each field matches");
    return lines.join(QLatin1Char('\n'));
}

QString filterSyntaxHtml()
{
    QString html = tr("<p>A filter keeps the traces that match all its terms. A term is <b>field:value</b> "
                      "(case-insensitive, <b>*</b> wildcard, <b>=</b> and <b>!=</b> too), <b>field~\"regex\"</b> "
                      "on any text field (RE2, case-sensitive unless <b>(?i)</b>; <b>\\d</b> and the like as "
                      "written), a number or time compared with <b>&lt; &lt;= &gt; &gt;=</b>, or free text found "
                      "in the trace id, agent, tool, tenant, decision or reason.</p>");
    // two columns, the example term (which starts with the field's name) and
    // its description: a message box is narrow
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">");
    for (const QueryFieldInfo& f : queryFields()) {
        QString term = QStringLiteral("<code>%1</code>").arg(latin1(f.example).toHtmlEscaped());
        if (!f.alias.empty())
            term += tr("<br>or <code>%1</code>")
                        .arg(QString(latin1(f.alias) + QLatin1Char(f.value == QueryValue::Word ? ':' : '>')).toHtmlEscaped());
        html += QStringLiteral("<tr><td style=\"white-space:nowrap\">%1</td><td>%2</td></tr>")
                    .arg(term, queryFieldDescription(f.field).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    html += tr("<p>AND (or just a space), OR, NOT or -, parentheses, \"quoted values\". "
               "<b>field:(a OR b)</b> tests one field against several values. Step fields (action, "
               "perm, param.K, reasoning, …) keep a trace when one of its steps matches the term, each term "
               "on its own: <b>action:restart_service result.status:error</b> may be two different steps. "
               "An interceptor trace's steps are its execution plans, numbered from 0.</p>");
    return html;
}

} // namespace rw
