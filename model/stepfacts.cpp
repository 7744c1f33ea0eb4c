#include "model/stepfacts.h"

#include "model/replaymodel.h"
#include "model/runtracejson.h"

#include <simdjson.h>

namespace rw {

namespace od = simdjson::ondemand;

namespace {

// A JSON text padded for simdjson: the model's strings are views into the
// mapped file, whose end may be the last byte of a page.
class PaddedCopy
{
public:
    simdjson::padded_string_view of(std::string_view json)
    {
        m_buffer.assign(json);
        m_buffer.resize(json.size() + simdjson::SIMDJSON_PADDING, ' ');
        return simdjson::padded_string_view(m_buffer.data(), json.size(), m_buffer.size());
    }

private:
    std::string m_buffer;
};

thread_local PaddedCopy t_padded;
thread_local od::parser t_parser;

// the result status an interceptor event stands for
std::string_view interceptorStatus(const ReplayModel& model, const EventRecord& rec)
{
    const std::string_view type = model.str(rec, Field::EventType);
    if (type == "tool_executed" || type == "final_output")
        return "success";
    switch (rec.decision) {
    case Decision::Blocked: return "blocked";
    case Decision::RequireApproval: return "approval_required";
    default: return {};
    }
}

} // namespace

const StepFacts& StepFactsBuilder::build(const ReplayModel& model, std::size_t event)
{
    const EventRecord& rec = model.event(event);
    m_facts = StepFacts{};
    m_facts.tool = model.str(rec, Field::ToolName);
    m_facts.action = model.str(rec, Field::PlanIntent);
    m_facts.agentName = model.str(rec, Field::AgentName);
    m_facts.agent = rec.s(Field::AgentId) != kNoStr ? model.str(rec, Field::AgentId) : m_facts.agentName;
    m_facts.run = model.str(rec, Field::TraceId);
    m_facts.decision = model.str(rec, Field::Decision);
    m_facts.reason = model.str(rec, Field::Reason);
    m_facts.approvalId = model.str(rec, Field::ApprovalId);
    m_facts.escalated = rec.has(EventFlag::Escalated);
    if (const RunStep* step = model.runStep(event)) {
        m_facts.step = step->stepIndex;
        m_facts.reasoning = m_facts.reason; // a run step's reasoning is its reason
        m_facts.resultStatus = model.str(step->resultStatus);
        if (step->approval != kNoStr && m_facts.approvalId.empty()) {
            m_approvalId.clear();
            od::document doc;
            std::string_view id;
            if (!t_parser.iterate(t_padded.of(model.str(step->approval))).get(doc) &&
                !doc["id"].get_string().get(id))
                m_approvalId.assign(id);
            m_facts.approvalId = m_approvalId;
        }
    } else {
        m_facts.resultStatus = interceptorStatus(model, rec);
    }
    m_permissions.clear();
    for (const StrId id : model.list(rec.requestedCaps))
        m_permissions.push_back(model.str(id));
    m_facts.permissions = m_permissions;
    setParams(model.str(rec, Field::Arguments));
    classify();
    return m_facts;
}

void StepFactsBuilder::setPermissions(std::span<const std::string_view> permissions)
{
    if (permissions.data() != m_permissions.data())
        m_permissions.assign(permissions.begin(), permissions.end());
    m_facts.permissions = m_permissions;
}

void StepFactsBuilder::setParams(std::string_view objectJson)
{
    // the strings of the previous step are overwritten, not freed: a step's
    // parameters are parsed for every step of a gigabyte of runs
    std::size_t used = 0;
    const auto keep = [&](std::string_view text) {
        if (used == m_paramText.size())
            m_paramText.emplace_back();
        m_paramText[used++].assign(text);
    };
    m_params.clear();
    m_facts.params = {};
    if (objectJson.empty())
        return;
    od::document doc;
    od::object obj;
    if (t_parser.iterate(t_padded.of(objectJson)).get(doc) || doc.get_object().get(obj))
        return;
    for (auto field : obj) {
        std::string_view key;
        od::value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            break;
        // a string unescaped; anything else as written (objects and lists whole), trimmed
        std::string_view s;
        od::json_type type;
        if (value.type().get(type))
            break;
        if (type == od::json_type::string ? value.get_string().get(s) != simdjson::SUCCESS
                                          : runjson::rawValue(value, s) != simdjson::SUCCESS)
            break;
        keep(key);
        keep(s);
    }
    // views once every string is in place (the vector may have grown)
    for (std::size_t i = 0; i + 1 < used; i += 2)
        m_params.push_back({m_paramText[i], m_paramText[i + 1]});
    m_facts.params = m_params;
}

void StepFactsBuilder::classify()
{
    m_actionTypes.clear();
    m_environments.clear();
    m_destinationText.clear();
    m_destinations.clear();
    m_facts.untrustedDestination = false;
    m_facts.trustedDestination = false;
    if (m_classifier) {
        m_classifier->classify(m_facts, {m_actionTypes, m_environments, m_destinationText,
                                         m_facts.untrustedDestination, m_facts.trustedDestination});
        for (const std::string& d : m_destinationText)
            m_destinations.push_back(d);
    }
    m_facts.actionTypes = m_actionTypes;
    m_facts.environments = m_environments;
    m_facts.destinations = m_destinations;
}

} // namespace rw
