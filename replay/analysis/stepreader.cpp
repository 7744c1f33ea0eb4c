#include "replay/analysis/stepreader.h"

#include "model/replaymodel.h"
#include "replay/analysis/compiledrules.h"

#include <simdjson.h>

namespace rw::analysis {

std::int64_t resultRowsOf(std::string_view data)
{
    if (data.empty())
        return -1;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(data).get(doc))
        return -1;
    simdjson::dom::element rows;
    if (doc["rows"].get(rows))
        return -1;
    if (rows.is_array())
        return static_cast<std::int64_t>(simdjson::dom::array(rows).size());
    std::int64_t n = 0;
    if (!rows.get_int64().get(n))
        return n;
    return -1;
}

StepReader::StepReader(const AnalysisRules& rules) : m_rules(rules), m_builder(&rules.compiled().classifier) {}

void StepReader::setSource(std::string file, std::string sha256)
{
    m_in.where.file = std::move(file);
    m_in.where.sha256 = std::move(sha256);
}

StepInput& StepReader::runStep(const ReplayModel& model, std::uint32_t event)
{
    m_builder.build(model, event);
    StepInput& in = input(model, event, "/permissions_used");
    if (const RunStep* step = model.runStep(event); step && step->resultData != kNoStr) {
        const std::string_view data = model.str(step->resultData);
        in.resultBytes = static_cast<std::int64_t>(data.size());
        if (m_rules.compiled().largeReadTools.matches(in.facts->tool))
            in.resultRows = resultRowsOf(data);
    }
    return in;
}

StepInput& StepReader::planStep(const ReplayModel& model, std::uint32_t decisive, std::int64_t index,
                                std::string_view approval)
{
    m_builder.build(model, decisive);
    m_builder.facts().step = index;
    m_builder.facts().approvalId = approval;
    return input(model, decisive, "/requested_capabilities");
}

StepInput& StepReader::input(const ReplayModel& model, std::uint32_t event, const char* pointer)
{
    const EventRecord& rec = model.event(event);
    StepInput& in = m_in;
    in.facts = &m_builder.facts();
    in.where.pointer.clear();
    in.where.value.clear();
    in.where.stepIndex = -1;
    in.resultBytes = -1;
    in.resultRows = -1;
    in.where.line = rec.line;
    in.where.offset = rec.offset;
    in.where.length = rec.length;
    in.permissionsPointer = pointer;
    in.time = model.str(rec, Field::Timestamp);
    in.timeUs = rec.timeUs == kNoTime ? 0 : rec.timeUs;
    in.paramsJson = model.str(rec, Field::Arguments);
    return in;
}

} // namespace rw::analysis
