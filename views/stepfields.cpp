#include "views/stepfields.h"

#include "model/visibletext.h"
#include "views/models/tracelistmodel.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTreeWidgetItem>

#include <algorithm>
#include <cstdint>

namespace rw {

namespace {

using Json = nlohmann::ordered_json;

QString tr(const char* text) { return QCoreApplication::translate("EventDrawer", text); }

// a value as a person reads it: strings as they are, the rest as JSON, hidden characters escaped
QString shown(const Json& v)
{
    if (v.is_string())
        return visibleUtf8(v.get_ref<const std::string&>());
    return visibleJsonText(v.dump(-1, ' ', false, Json::error_handler_t::replace));
}

const Json* member(const Json* object, const char* key)
{
    if (!object || !object->is_object())
        return nullptr;
    const auto it = object->find(key);
    return it == object->end() ? nullptr : &*it;
}

// rows of one list at most: a step of the file's with 10,000 parameters or
// alternatives stays a drawer, the rest is in Pretty and Tree
constexpr std::size_t kMaxRows = 200;

void addMore(const AddField& add, QTreeWidgetItem* parent, std::size_t total)
{
    if (total > kMaxRows)
        add(parent, tr("…"), tr("%1 more (see Pretty or Tree)").arg(total - kMaxRows));
}

// each member of an object as a row under `parent` (a scalar or array: one row)
void addMembers(const AddField& add, QTreeWidgetItem* parent, const Json* value)
{
    if (!value)
        return;
    if (!value->is_object()) {
        add(parent, tr("(value)"), shown(*value));
        return;
    }
    std::size_t n = 0;
    for (auto it = value->begin(); it != value->end() && n < kMaxRows; ++it, ++n)
        add(parent, visibleUtf8(it.key()), shown(it.value()));
    addMore(add, parent, value->size());
}

// milliseconds as microseconds, saturated: a forged duration_ms must not overflow
std::int64_t msToUs(std::int64_t ms)
{
    constexpr std::int64_t kLimit = INT64_MAX / 1000;
    return std::clamp(ms, -kLimit, kLimit) * 1000;
}

QString utc(std::int64_t us) { return formatTimeUs(us) + QStringLiteral(" UTC"); }

// what the run's permissions summary says of one permission
QString permissionMark(const ReplayModel& m, const RunInfo& run, std::string_view permission)
{
    const auto find = [&](Span32 list) -> const RunPermission* {
        for (const RunPermission& p : m.runPermissions(list))
            if (m.str(p.permission) == permission)
                return &p;
        return nullptr;
    };
    if (find(run.denied))
        return tr("denied");
    const bool granted = find(run.granted) != nullptr;
    if (const RunPermission* e = find(run.escalated)) {
        const QString to = granted ? tr("granted") : tr("not in the run's grants");
        if (e->approvalId == kNoStr && e->approvedBy == kNoStr)
            return tr("escalated, %1").arg(to);
        QString approval = visibleUtf8(m.str(e->approvalId));
        if (e->approvedBy != kNoStr)
            approval += (approval.isEmpty() ? QString() : QStringLiteral(", ")) + tr("by %1").arg(visibleUtf8(m.str(e->approvedBy)));
        return tr("escalated, approved (%1), %2").arg(approval, to);
    }
    if (granted)
        return tr("granted");
    return run.hasSummary ? tr("not in the run's grants") : QString();
}

} // namespace

void addRunStepFields(const AddField& add, const ReplayModel& m, std::size_t eventIndex, const RunStep& step,
                      const Json* json)
{
    const EventRecord& e = m.event(eventIndex);
    auto s = [&](Field f) { return e.s(f) == kNoStr ? QString() : visibleUtf8(m.str(e, f)); };
    QTreeWidgetItem* top = add(nullptr, tr("Step"), tr("%1 · %2").arg(step.stepIndex).arg(s(Field::PlanIntent)));
    if (!top)
        return;
    add(top, tr("Reasoning"), s(Field::Reason));
    if (e.timeUs != kNoTime && step.durationMs != kNoNumber) {
        const std::int64_t us = msToUs(step.durationMs);
        add(top, tr("Started"), utc(stepStartUs(e.timeUs, step.durationMs)));
        add(top, tr("Ended"), utc(e.timeUs)); // as written: the Timestamp row below
        add(top, tr("Duration"), formatDurationUs(us));
    } else {
        add(top, tr("Timestamp"), s(Field::Timestamp));
    }
    if (step.parentStepIndex != kNoNumber)
        add(top, tr("Resumed from step"), QString::number(step.parentStepIndex));

    const Json* toolCall = member(json, "tool_call");
    if (QTreeWidgetItem* tool = add(top, tr("Tool"), s(Field::ToolName).isEmpty() ? tr("(none)") : s(Field::ToolName))) {
        addMembers(add, tool, member(toolCall, "parameters"));
        tool->setExpanded(true);
    }
    const Json* result = member(json, "result");
    if (QTreeWidgetItem* r = add(top, tr("Result"), step.resultStatus != kNoStr ? visibleUtf8(m.str(step.resultStatus)) : tr("(no status)"))) {
        addMembers(add, r, member(result, "data"));
        r->setExpanded(true);
    }

    const RunInfo* run = m.runOf(eventIndex);
    QStringList used;
    for (const StrId p : m.list(e.requestedCaps))
        used << visibleUtf8(m.str(p));
    if (QTreeWidgetItem* perms = add(top, tr("Permissions"), used.isEmpty() ? tr("(none)") : used.mid(0, 8).join(QStringLiteral(", ")))) {
        std::size_t n = 0;
        for (const StrId p : m.list(e.requestedCaps)) {
            if (n++ == kMaxRows)
                break;
            const QString mark = run ? permissionMark(m, *run, m.str(p)) : QString();
            add(perms, visibleUtf8(m.str(p)), mark.isEmpty() ? tr("(no permissions summary)") : mark);
        }
        addMore(add, perms, static_cast<std::size_t>(used.size()));
        perms->setExpanded(true);
    }

    if (const Json* alternatives = member(json, "alternatives"); alternatives && alternatives->is_array()) {
        QStringList names;
        for (std::size_t i = 0; i < alternatives->size() && i < 8; ++i)
            if (const Json* action = member(&(*alternatives)[i], "action"))
                names << shown(*action);
        QTreeWidgetItem* alt = add(top, tr("Alternatives"), names.isEmpty() ? QString::number(alternatives->size()) : names.join(QStringLiteral(", ")));
        std::size_t n = 0;
        for (const Json& a : *alternatives) {
            if (n++ == kMaxRows)
                break;
            const auto text = [&](const char* k) { const Json* v = member(&a, k); return v ? shown(*v) : QString(); };
            QTreeWidgetItem* row = add(alt, text("action").isEmpty() ? tr("(alternative)") : text("action"),
                                       text("rejection_reasoning").isEmpty() ? tr("(no reason given)") : text("rejection_reasoning"));
            if (!row)
                continue;
            add(row, tr("Tool"), text("tool"));
            add(row, tr("Score"), text("score"));
            add(row, tr("Parameters"), text("parameters"));
        }
        addMore(add, alt, alternatives->size());
        if (alt)
            alt->setExpanded(true);
        if (const Json* selection = member(json, "selection")) {
            QTreeWidgetItem* chose = add(top, tr("Chosen because"), shown(member(selection, "criteria") ? *member(selection, "criteria") : *selection));
            if (chose && member(selection, "score"))
                add(chose, tr("Score"), shown(*member(selection, "score")));
        }
    }
    top->setExpanded(true);
}

} // namespace rw
