#include "app/text/queryerrortext.h"

#include "app/text/queryhelptext.h"

#include <QCoreApplication>

namespace rw {

QString queryErrorText(const QueryError& e)
{
    const QString token = QString::fromStdString(e.token);
    switch (e.code) {
    case QueryErrorCode::None: return {};
    case QueryErrorCode::UnterminatedQuote: return QCoreApplication::translate("FilterBar", "Unterminated quote starting at column %1").arg(e.position + 1);
    case QueryErrorCode::UnexpectedToken: return QCoreApplication::translate("FilterBar", "Unexpected \"%1\" at column %2").arg(token).arg(e.position + 1);
    case QueryErrorCode::MissingValue: return QCoreApplication::translate("FilterBar", "A value is missing at column %1").arg(e.position + 1);
    case QueryErrorCode::UnknownField:
        return QCoreApplication::translate("FilterBar", "Unknown field \"%1\". Known: %2").arg(token, queryFieldList());
    case QueryErrorCode::OperatorNotAllowed:
        if (e.token == "~")
            return QCoreApplication::translate("FilterBar", "\"~\" works on text fields only, not on numbers or true/false (column %1)").arg(e.position + 1);
        return QCoreApplication::translate("FilterBar", "\"%1\" compares numbers and times only").arg(token);
    case QueryErrorCode::BadNumber: return QCoreApplication::translate("FilterBar", "\"%1\" is not a number").arg(token);
    case QueryErrorCode::BadTime: return QCoreApplication::translate("FilterBar", "\"%1\" is not a time (use 2026-03-05T14:00)").arg(token);
    case QueryErrorCode::BadDuration: return QCoreApplication::translate("FilterBar", "\"%1\" is not a duration (use 1.5s, 200ms, 3m)").arg(token);
    case QueryErrorCode::UnbalancedParenthesis: return QCoreApplication::translate("FilterBar", "Unbalanced parenthesis at column %1").arg(e.position + 1);
    case QueryErrorCode::EmptyGroup: return QCoreApplication::translate("FilterBar", "Empty parentheses at column %1").arg(e.position + 1);
    case QueryErrorCode::TooDeep:
        return QCoreApplication::translate("FilterBar", "Parentheses and NOT are nested too deeply at column %1 (at most %2 levels)")
            .arg(e.position + 1)
            .arg(kMaxQueryDepth);
    case QueryErrorCode::TooLong:
        return QCoreApplication::translate("FilterBar", "The filter is too long: %1 bytes, at most %2 (column %3 is past the limit)")
            .arg(e.position + e.length)
            .arg(kMaxQueryBytes)
            .arg(e.position + 1);
    case QueryErrorCode::BadRegex:
        if (!e.detail.empty())
            return QCoreApplication::translate("FilterBar", "\"%1\" is not a regular expression RE2 accepts: %2 (column %3)")
                .arg(token, QString::fromStdString(e.detail))
                .arg(e.position + 1);
        return QCoreApplication::translate("FilterBar", "The regular expression at column %1 is longer than %2 bytes")
            .arg(e.position + 1)
            .arg(kMaxRegexBytes);
    case QueryErrorCode::NotAStepField:
        return QCoreApplication::translate("FilterBar", "\"%1\" describes a whole trace, not a step (column %2)").arg(token).arg(e.position + 1);
    case QueryErrorCode::UnknownVariable:
        return QCoreApplication::translate("FilterBar", "Unknown variable \"%1\" at column %2: rules may name $agent.approved_tools, $agent.baseline_grant, $agent.approvable and $step.tool, $step.action, $step.agent, $step.result.status, $step.approval.id, $step.param.<key>")
            .arg(token)
            .arg(e.position + 1);
    case QueryErrorCode::VariableNotHere:
        return QCoreApplication::translate("FilterBar", "\"%1\" at column %2 is a variable of analysis rules (behavioural policies); the filter bar compares with values only")
            .arg(token)
            .arg(e.position + 1);
    case QueryErrorCode::BadBool:
        return QCoreApplication::translate("FilterBar", "\"%1\" at column %2 is not true or false").arg(token).arg(e.position + 1);
    case QueryErrorCode::TooManyTerms:
        return QCoreApplication::translate("FilterBar", "Too many terms at column %1 (at most %2)").arg(e.position + 1).arg(kMaxQueryTerms);
    }
    return {};
}

} // namespace rw
