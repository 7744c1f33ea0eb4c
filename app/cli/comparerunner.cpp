#include "app/cli/comparerunner.h"

#include "app/cli/cliload.h"
#include "app/text/terminaltext.h"
#include "model/upstreamjson.h"
#include "replay/compare/tracecompare.h"

#include <algorithm>
#include <memory>

namespace rw {

namespace {

const char* changeName(RowChange c)
{
    switch (c) {
    case RowChange::Same: return "same";
    case RowChange::Changed: return "changed";
    case RowChange::Removed: return "only_left";
    case RowChange::Added: return "only_right";
    }
    return "";
}

const char* changeMark(RowChange c)
{
    switch (c) {
    case RowChange::Same: return "=";
    case RowChange::Changed: return "~";
    case RowChange::Removed: return "-";
    case RowChange::Added: return "+";
    }
    return "";
}

std::string sideText(const CompareRow& r, bool left)
{
    if ((left ? r.left : r.right) < 0)
        return "";
    const auto& v = left ? r.leftValues : r.rightValues;
    std::string out = v[static_cast<std::size_t>(CompareField::Decision)];
    const std::string& rule = v[static_cast<std::size_t>(CompareField::MatchedRule)];
    if (!rule.empty())
        out += " (" + rule + ")";
    return out;
}

} // namespace

int runCompareCommand(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    std::vector<std::unique_ptr<ReplayModel>> models;
    for (const std::string& path : o.auditFiles) {
        models.push_back(loadAuditForCli(path, o, err));
        if (!models.back())
            return 1;
    }
    const ReplayModel& lm = *models.front();
    const ReplayModel& rm = *models.back();
    const auto lt = lm.findTrace(o.traceId);
    const auto rt = rm.findTrace(o.compareTrace);
    if (!lt || !rt) {
        err << "Error: No audit events found for trace_id '" << terminalText(!lt ? o.traceId : o.compareTrace) << "'\n";
        return 1;
    }
    const TraceComparison c = compareTraces({&lm, *lt, {}}, {&rm, *rt, {}});
    if (o.json) {
        upstream::Json j = upstream::Json::object();
        auto side = [](const ReplayModel& m, const std::string& id, std::size_t plans) {
            upstream::Json s = upstream::Json::object();
            s["file"] = m.path();
            s["sha256"] = m.sha256();
            s["trace_id"] = id;
            s["plans"] = plans;
            return s;
        };
        j["left"] = side(lm, o.traceId, c.leftPlans);
        j["right"] = side(rm, o.compareTrace, c.rightPlans);
        j["counts"] = {{"same", c.same}, {"changed", c.changed}, {"only_left", c.removed}, {"only_right", c.added}};
        upstream::Json rows = upstream::Json::array();
        for (const CompareRow& r : c.rows) {
            upstream::Json row = upstream::Json::object();
            row["change"] = changeName(r.change);
            row["step"] = r.step;
            row["left_plan"] = r.left >= 0 ? upstream::Json(r.leftPlan) : upstream::Json();
            row["right_plan"] = r.right >= 0 ? upstream::Json(r.rightPlan) : upstream::Json();
            row["left_line"] = r.left >= 0 ? upstream::Json(lm.event(static_cast<std::size_t>(r.left)).line) : upstream::Json();
            row["right_line"] = r.right >= 0 ? upstream::Json(rm.event(static_cast<std::size_t>(r.right)).line) : upstream::Json();
            upstream::Json fields = upstream::Json::object();
            for (std::size_t f = 0; f < kCompareFieldCount; ++f)
                if (r.fieldChanged(static_cast<CompareField>(f)))
                    fields[compareFieldName(static_cast<CompareField>(f))] = {r.leftValues[f], r.rightValues[f]};
            row["changed_fields"] = fields;
            rows.push_back(std::move(row));
        }
        j["rows"] = std::move(rows);
        out << upstream::dump(j);
        return 0;
    }
    out << "Left:  " << terminalText(o.traceId) << " (" << terminalText(lm.path()) << ", " << c.leftPlans << " plan(s))\n";
    out << "Right: " << terminalText(o.compareTrace) << " (" << terminalText(rm.path()) << ", " << c.rightPlans << " plan(s))\n";
    out << c.same << " same, " << c.changed << " changed, " << c.removed << " only left, " << c.added << " only right\n\n";
    out << "  PLAN   STEP                        LEFT                          RIGHT                         CHANGED\n";
    for (const CompareRow& r : c.rows) {
        std::string plan = r.left < 0 ? std::to_string(r.rightPlan) : r.right < 0 || r.leftPlan == r.rightPlan ? std::to_string(r.leftPlan)
                                                                                        : std::to_string(r.leftPlan) + ">" + std::to_string(r.rightPlan);
        if (plan == "0")
            plan = "-";
        std::string changed;
        for (std::size_t f = 0; f < kCompareFieldCount; ++f)
            if (r.fieldChanged(static_cast<CompareField>(f)))
                changed += (changed.empty() ? "" : ",") + std::string(compareFieldName(static_cast<CompareField>(f)));
        // the plan column holds numbers: it widens rather than cut one
        out << changeMark(r.change) << ' ' << numberCell(plan, 6) << ' ' << terminalCell(r.step, 27) << ' '
            << terminalCell(sideText(r, true), 29) << ' ' << terminalCell(sideText(r, false), 29) << ' ' << changed << '\n';
    }
    return 0;
}

} // namespace rw
