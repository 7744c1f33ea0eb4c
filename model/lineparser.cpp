#include "lineparser.h"


#include "sourcefile.h"
#include "timestamp.h"

#include "simdjsonutil.h"

#include <array>
#include <cstring>
#include <optional>

namespace rw {

namespace od = simdjson::ondemand;
static_assert(SourceFile::kPadding >= simdjson::SIMDJSON_PADDING, "the mapping must carry simdjson's padding");

namespace {

enum class Key : std::uint8_t {
    None,
    Str,             // a plain string field, see m_field
    UniqueStr,       // a string field that is not interned
    Timestamp,
    Allowed,
    Provenance,
    RequestedCaps,
    PlanSteps,
    RuntimeUsage,
    RuntimeBudget,
    RuntimeViolations,
    Context,
    BudgetContext,
    RunId,     // a run document's keys: a line holding both is a run trace,
    RunSteps,  // not an interceptor event (detected by structure, top level only)
};

struct KeyInfo
{
    std::string_view name;
    Key key;
    Field field;
};

constexpr KeyInfo kTopKeys[] = {
    {"timestamp", Key::Timestamp, Field::Timestamp},
    {"run_id", Key::RunId, Field::Count},
    {"steps", Key::RunSteps, Field::Count},
    {"event_type", Key::Str, Field::EventType},
    {"decision", Key::Str, Field::Decision},
    {"schema_version", Key::Str, Field::SchemaVersion},
    {"event_id", Key::UniqueStr, Field::EventId},
    {"trace_id", Key::Str, Field::TraceId},
    {"parent_trace_id", Key::Str, Field::ParentTraceId},
    {"execution_plan_id", Key::Str, Field::ExecutionPlanId},
    {"plan_id", Key::Str, Field::PlanId},
    {"plan_intent", Key::Str, Field::PlanIntent},
    {"plan_risk_level", Key::Str, Field::PlanRiskLevel},
    {"requested_capabilities", Key::RequestedCaps, Field::Count},
    {"plan_steps", Key::PlanSteps, Field::Count},
    {"decision_stage", Key::Str, Field::DecisionStage},
    {"reason", Key::Str, Field::Reason},
    {"context", Key::Context, Field::Count},
    {"agent_name", Key::Str, Field::AgentName},
    {"agent_id", Key::Str, Field::AgentId},
    {"agent_trust_level", Key::Str, Field::AgentTrustLevel},
    {"agent_environment", Key::Str, Field::AgentEnvironment},
    {"tool_name", Key::Str, Field::ToolName},
    {"allowed", Key::Allowed, Field::Count},
    {"framework", Key::Str, Field::Framework},
    {"risk_level", Key::Str, Field::RiskLevel},
    {"matched_rule", Key::Str, Field::MatchedRule},
    {"approval_id", Key::Str, Field::ApprovalId},
    {"provenance", Key::Provenance, Field::Count},
    {"protocol", Key::Str, Field::Protocol},
    {"client_id", Key::Str, Field::ClientId},
    {"server_name", Key::Str, Field::ServerName},
    {"capability", Key::Str, Field::Capability},
    {"budget_status", Key::Str, Field::BudgetStatus},
    {"runtime_budget", Key::RuntimeBudget, Field::Count},
    {"runtime_usage", Key::RuntimeUsage, Field::Count},
    {"runtime_violations", Key::RuntimeViolations, Field::Count},
    {"tenant_id", Key::Str, Field::TenantId},
    {"policy_bundle", Key::Str, Field::PolicyBundle},
    {"runtime_mode", Key::Str, Field::RuntimeMode},
    {"budget_context", Key::BudgetContext, Field::BudgetContext},
    {"arguments", Key::BudgetContext, Field::Arguments},
};

// Keys read from `context`: identity fields the seed documents name, plus the
// request facts the policy engine needs.
constexpr KeyInfo kContextKeys[] = {
    {"tenant_id", Key::Str, Field::TenantId},
    {"policy_bundle", Key::Str, Field::PolicyBundle},
    {"runtime_mode", Key::Str, Field::RuntimeMode},
    {"budget_context", Key::BudgetContext, Field::BudgetContext},
    {"sensitivity_level", Key::Str, Field::SensitivityLevel},
    {"allowed_capabilities", Key::RequestedCaps, Field::Count}, // stored as granted caps
};

// A tiny open-addressing table from key text to KeyInfo, built once.
template <std::size_t N> class KeyTable
{
public:
    explicit KeyTable(const KeyInfo (&keys)[N])
    {
        for (const KeyInfo& k : keys) {
            std::size_t i = slotOf(k.name);
            while (m_slots[i])
                i = (i + 1) & (kSize - 1);
            m_slots[i] = &k;
        }
    }
    const KeyInfo* find(std::string_view name) const
    {
        if (name.empty())
            return nullptr;
        std::size_t i = slotOf(name);
        while (const KeyInfo* k = m_slots[i]) {
            if (k->name == name)
                return k;
            i = (i + 1) & (kSize - 1);
        }
        return nullptr;
    }

private:
    static constexpr std::size_t kSize = 256;
    static std::size_t slotOf(std::string_view s)
    {
        const auto a = static_cast<unsigned char>(s[0]);
        const auto b = static_cast<unsigned char>(s[s.size() - 1]);
        const auto c = static_cast<unsigned char>(s[s.size() / 2]);
        return (s.size() * 37 + a * 5 + b * 11 + c * 3) & (kSize - 1);
    }
    std::array<const KeyInfo*, kSize> m_slots{};
};

const KeyTable<std::size(kTopKeys)> kTopTable(kTopKeys);
const KeyTable<std::size(kContextKeys)> kContextTable(kContextKeys);

// fields `context` may also carry
bool fromContext(Field f)
{
    return f == Field::TenantId || f == Field::PolicyBundle || f == Field::RuntimeMode || f == Field::BudgetContext;
}

std::string_view trimRight(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Short strings dominate; an inline loop beats a call to memchr for them.
bool hasBackslash(std::string_view s)
{
    if (s.size() > 48)
        return std::memchr(s.data(), '\\', s.size()) != nullptr;
    for (const char c : s)
        if (c == '\\')
            return true;
    return false;
}

bool containsIgnoreCase(std::string_view hay, std::string_view needle)
{
    if (needle.size() > hay.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t j = 0;
        while (j < needle.size()) {
            char c = hay[i + j];
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            if (c != needle[j])
                break;
            ++j;
        }
        if (j == needle.size())
            return true;
    }
    return false;
}

} // namespace

struct LineParser::Impl
{
    Impl(ChunkResult& o, const LoadLimits& l) : out(o), limits(l), parser(l.maxLineBytes + 64) {}

    ChunkResult& out;
    const LoadLimits& limits;
    od::parser parser;
    std::uint64_t line = 0;
    std::uint64_t offset = 0;
    std::int64_t record = -1;
    bool sawTimestamp = false;
    bool sawEventType = false;
    bool sawDecision = false;
    bool sawRunId = false;
    bool sawStepList = false;

    void wrongType(std::string_view what, const char* expected)
    {
        std::string detail(what);
        detail += ": expected ";
        detail += expected;
        out.addDiagnostic(line, offset, DiagnosticCode::WrongFieldType, std::move(detail), record);
    }

    // Reads a JSON string (or coerces a scalar, as upstream's str() does) into the pool.
    simdjson::error_code readString(od::value& v, bool unique, StrId& target, std::string_view what)
    {
        od::json_type type;
        if (auto err = v.type().get(type))
            return err;
        switch (type) {
        case od::json_type::string: {
            const std::string_view token = trimRight(v.raw_json_token());
            if (token.size() < 2)
                return simdjson::STRING_ERROR;
            const std::string_view inner = token.substr(1, token.size() - 2);
            if (!hasBackslash(inner)) {
                target = unique ? out.pool.addUnique(inner) : out.pool.intern(inner);
            } else {
                std::string_view s;
                if (auto err = v.get_string().get(s))
                    return err;
                target = unique ? out.pool.addUniqueCopy(s) : out.pool.internCopy(s);
            }
            return simdjson::SUCCESS;
        }
        case od::json_type::null:
            // "nope" starts like null but is not JSON; the token is at hand, compare it
            if (trimRight(v.raw_json_token()) != "null")
                return simdjson::INCORRECT_TYPE;
            target = kNoStr;
            return simdjson::SUCCESS;
        case od::json_type::number:
        case od::json_type::boolean: {
            // On-Demand looks at the first byte only: make sure the atom is valid
            if (type == od::json_type::number) {
                double d = 0;
                if (auto err = v.get_double().get(d))
                    return err;
            } else {
                bool b = false;
                if (auto err = v.get_bool().get(b))
                    return err;
            }
            target = out.pool.intern(trimRight(v.raw_json_token()));
            wrongType(what, "string");
            return simdjson::SUCCESS;
        }
        default:
            wrongType(what, "string");
            target = kNoStr;
            return simdjson::SUCCESS;
        }
    }

    simdjson::error_code readStringList(od::value& v, Span32& span, std::string_view what, bool& isList)
    {
        od::json_type type;
        if (auto err = v.type().get(type))
            return err;
        isList = false;
        if (type == od::json_type::null)
            return simdjson::SUCCESS;
        if (type != od::json_type::array) {
            wrongType(what, "list of strings");
            return simdjson::SUCCESS;
        }
        isList = true;
        od::array arr;
        if (auto err = v.get_array().get(arr))
            return err;
        span.first = static_cast<std::uint32_t>(out.lists.size());
        for (auto element : arr) {
            od::value item;
            if (auto err = element.get(item))
                return err;
            StrId id = kNoStr;
            if (auto err = readString(item, false, id, what))
                return err;
            if (id != kNoStr)
                out.lists.push_back(id);
        }
        span.count = static_cast<std::uint32_t>(out.lists.size() - span.first);
        return simdjson::SUCCESS;
    }

    simdjson::error_code readProvenance(od::value& v, EventRecord& rec)
    {
        od::json_type type;
        if (auto err = v.type().get(type))
            return err;
        if (type == od::json_type::null)
            return simdjson::SUCCESS;
        if (type != od::json_type::array) {
            wrongType("provenance", "list of objects");
            return simdjson::SUCCESS;
        }
        od::array arr;
        if (auto err = v.get_array().get(arr))
            return err;
        rec.provenance.first = static_cast<std::uint32_t>(out.provenance.size());
        for (auto element : arr) {
            od::value item;
            if (auto err = element.get(item))
                return err;
            od::json_type itemType;
            if (auto err = item.type().get(itemType))
                return err;
            if (itemType != od::json_type::object) {
                wrongType("provenance[]", "object");
                continue;
            }
            od::object obj;
            if (auto err = item.get_object().get(obj))
                return err;
            ProvenanceItem p;
            for (auto field : obj) {
                std::string_view key;
                if (auto err = sj::keyOf(field, key))
                    return err;
                StrId* target = key == "source_type"   ? &p.sourceType
                                : key == "trust_level" ? &p.trustLevel
                                : key == "source_name" ? &p.sourceName
                                : key == "source_hash" ? &p.sourceHash
                                : key == "origin_uri"  ? &p.originUri
                                                       : nullptr;
                if (!target)
                    continue;
                od::value value;
                if (auto err = field.value().get(value))
                    return err;
                if (auto err = readString(value, false, *target, "provenance[].field"))
                    return err;
            }
            if (p.sourceType == kNoStr || p.trustLevel == kNoStr)
                wrongType("provenance[] item without source_type or trust_level", "both keys");
            out.provenance.push_back(p);
        }
        rec.provenance.count = static_cast<std::uint32_t>(out.provenance.size() - rec.provenance.first);
        return simdjson::SUCCESS;
    }

    simdjson::error_code readNumbers(od::value& v, std::array<double, 4>& target, const char* const (&keys)[4],
                                     bool& present, std::string_view what)
    {
        od::json_type type;
        if (auto err = v.type().get(type))
            return err;
        present = false;
        if (type == od::json_type::null)
            return simdjson::SUCCESS;
        if (type != od::json_type::object) {
            wrongType(what, "object");
            return simdjson::SUCCESS;
        }
        present = true;
        od::object obj;
        if (auto err = v.get_object().get(obj))
            return err;
        for (auto field : obj) {
            std::string_view key;
            if (auto err = sj::keyOf(field, key))
                return err;
            for (std::size_t i = 0; i < 4; ++i) {
                if (key != keys[i])
                    continue;
                od::value value;
                if (auto err = field.value().get(value))
                    return err;
                od::json_type t;
                if (auto err = value.type().get(t))
                    return err;
                if (t == od::json_type::number) {
                    double d = 0;
                    if (auto err = value.get_double().get(d))
                        return err;
                    target[i] = d;
                } else if (t != od::json_type::null) {
                    wrongType(what, "numbers");
                }
                break;
            }
        }
        return simdjson::SUCCESS;
    }

    simdjson::error_code readRawJson(od::value& v, StrId& target, std::string_view what)
    {
        od::json_type type;
        if (auto err = v.type().get(type))
            return err;
        if (type == od::json_type::object) {
            od::object obj;
            if (auto err = v.get_object().get(obj))
                return err;
            std::string_view raw;
            if (auto err = obj.raw_json().get(raw))
                return err;
            target = out.pool.addUnique(raw);
            return simdjson::SUCCESS;
        }
        return readString(v, false, target, what);
    }

    simdjson::error_code readContext(od::value& v, EventRecord& rec)
    {
        od::json_type type;
        if (auto err = v.type().get(type))
            return err;
        if (type != od::json_type::object) {
            if (type != od::json_type::null)
                wrongType("context", "object");
            return simdjson::SUCCESS;
        }
        od::object obj;
        if (auto err = v.get_object().get(obj))
            return err;
        rec.flags |= EventFlag::HasContext;
        for (auto field : obj) {
            std::string_view key;
            if (auto err = sj::keyOf(field, key))
                return err;
            const KeyInfo* info = kContextTable.find(key);
            if (!info)
                continue;
            od::value value;
            if (auto err = field.value().get(value))
                return err;
            // top-level values win over the context snapshot
            if (info->key == Key::Str) {
                StrId id = kNoStr;
                if (auto err = readString(value, false, id, key))
                    return err;
                if (rec.s(info->field) == kNoStr)
                    rec.s(info->field) = id;
            } else if (info->key == Key::BudgetContext) {
                StrId id = kNoStr;
                if (auto err = readRawJson(value, id, key))
                    return err;
                if (rec.s(Field::BudgetContext) == kNoStr)
                    rec.s(Field::BudgetContext) = id;
            } else if (info->key == Key::RequestedCaps) {
                bool isList = false;
                if (auto err = readStringList(value, rec.grantedCaps, "context.allowed_capabilities", isList))
                    return err;
                if (isList)
                    rec.flags |= EventFlag::HasGrantedCaps;
            }
        }
        return simdjson::SUCCESS;
    }

    simdjson::error_code readField(const KeyInfo& info, od::value& v, EventRecord& rec)
    {
        static constexpr const char* kUsageKeys[4] = {"tool_calls_used", "depth_used", "runtime_seconds",
                                                      "estimated_cost_usd"};
        static constexpr const char* kBudgetKeys[4] = {"max_tool_calls", "max_depth", "max_runtime_seconds",
                                                       "max_cost_usd"};
        switch (info.key) {
        case Key::Str: {
            if (info.field == Field::EventType)
                sawEventType = true;
            if (info.field == Field::Decision)
                sawDecision = true;
            StrId id = kNoStr;
            auto err = readString(v, false, id, info.name);
            // a top-level null does not erase what `context` said, whatever the key order
            if (id != kNoStr || !fromContext(info.field))
                rec.s(info.field) = id;
            return err;
        }
        case Key::UniqueStr:
            return readString(v, true, rec.s(info.field), info.name);
        case Key::Timestamp:
            return readTimestamp(v, rec);
        case Key::Allowed: {
            od::json_type type;
            if (auto err = v.type().get(type))
                return err;
            if (type == od::json_type::boolean) {
                bool b = false;
                if (auto err = v.get_bool().get(b))
                    return err;
                // the last `allowed` wins, as in every JSON reader that keeps one value
                rec.flags &= static_cast<std::uint16_t>(~(EventFlag::AllowedTrue | EventFlag::AllowedFalse));
                rec.flags |= b ? EventFlag::AllowedTrue : EventFlag::AllowedFalse;
            } else if (type != od::json_type::null) {
                wrongType("allowed", "boolean");
            }
            return simdjson::SUCCESS;
        }
        case Key::Provenance:
            return readProvenance(v, rec);
        case Key::RequestedCaps: {
            bool isList = false;
            auto err = readStringList(v, rec.requestedCaps, info.name, isList);
            if (isList)
                rec.flags |= EventFlag::HasRequestedCaps;
            return err;
        }
        case Key::PlanSteps: {
            od::json_type type;
            if (auto err = v.type().get(type))
                return err;
            if (type == od::json_type::array) {
                od::array arr;
                if (auto err = v.get_array().get(arr))
                    return err;
                std::uint32_t n = 0;
                for (auto element : arr) {
                    if (element.error())
                        return element.error();
                    ++n;
                }
                rec.planStepCount = n;
                rec.flags |= EventFlag::HasPlanSteps;
            } else if (type != od::json_type::null) {
                wrongType("plan_steps", "list");
            }
            return simdjson::SUCCESS;
        }
        case Key::RuntimeUsage: {
            bool present = false;
            auto err = readNumbers(v, rec.usage, kUsageKeys, present, info.name);
            if (present)
                rec.flags |= EventFlag::HasRuntimeUsage;
            return err;
        }
        case Key::RuntimeBudget: {
            bool present = false;
            auto err = readNumbers(v, rec.budget, kBudgetKeys, present, info.name);
            if (present)
                rec.flags |= EventFlag::HasRuntimeBudget;
            return err;
        }
        case Key::RuntimeViolations: {
            bool isList = false;
            return readStringList(v, rec.violations, info.name, isList);
        }
        case Key::Context:
            return readContext(v, rec);
        case Key::BudgetContext: { // any value kept as its raw JSON text
            StrId id = kNoStr;
            auto err = readRawJson(v, id, info.name);
            if (id != kNoStr || !fromContext(info.field))
                rec.s(info.field) = id;
            return err;
        }
        case Key::RunId:
            sawRunId = true;
            return simdjson::SUCCESS;
        case Key::RunSteps: {
            od::json_type type;
            if (auto err = v.type().get(type))
                return err;
            sawStepList = type == od::json_type::array;
            return simdjson::SUCCESS;
        }
        case Key::None:
            break;
        }
        return simdjson::SUCCESS;
    }

    simdjson::error_code readTimestamp(od::value& v, EventRecord& rec)
    {
        od::json_type type;
        if (auto err = v.type().get(type))
            return err;
        if (type == od::json_type::null)
            return simdjson::SUCCESS; // reported as missing
        sawTimestamp = true;
        if (auto err = readString(v, true, rec.s(Field::Timestamp), "timestamp"))
            return err;
        if (type != od::json_type::string)
            return simdjson::SUCCESS; // already reported as a wrong type
        const std::string_view text = out.pool.view(rec.s(Field::Timestamp));
        if (auto t = parseTimestamp(text))
            rec.timeUs = *t;
        else
            out.addDiagnostic(line, offset, DiagnosticCode::UnparseableTimestamp, std::string(text.substr(0, 64)),
                              record);
        return simdjson::SUCCESS;
    }
};

LineParser::LineParser(ChunkResult& out, const LoadLimits& limits) : d(std::make_unique<Impl>(out, limits)) {}

LineParser::~LineParser() = default;

LineParser::Status LineParser::parse(std::string_view text, std::uint64_t line, std::uint64_t offset,
                                     EventRecord& rec, std::int64_t recordIndex, std::string& errorDetail)
{
    d->line = line;
    d->offset = offset;
    d->record = recordIndex;
    d->sawTimestamp = d->sawEventType = d->sawDecision = d->sawRunId = d->sawStepList = false;

    const std::size_t diagMark = d->out.diagnostics.size();
    const std::size_t provMark = d->out.provenance.size();
    const std::size_t listMark = d->out.lists.size();
    // past the findings limit warnings are only counted: take those back too
    std::optional<std::array<std::uint64_t, kDiagnosticCodeCount>> unstoredMark;
    if (d->out.diagnosticsFull())
        unstoredMark = d->out.unstoredDiagnostics;
    auto fail = [&](simdjson::error_code err) {
        // drop what the half-read record added: it is kept as raw bytes only
        d->out.diagnostics.resize(diagMark);
        if (unstoredMark)
            d->out.unstoredDiagnostics = *unstoredMark;
        d->out.provenance.resize(provMark);
        d->out.lists.resize(listMark);
        const StrId keep = kNoStr;
        rec.str.fill(keep);
        rec.provenance = rec.requestedCaps = rec.grantedCaps = rec.violations = {};
        rec.flags = EventFlag::Rejected;
        errorDetail = simdjson::error_message(err);
        return err == simdjson::UTF8_ERROR ? Status::InvalidUtf8 : Status::InvalidJson;
    };

    od::document doc;
    if (auto err = d->parser.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING).get(doc))
        return fail(err);
    od::json_type rootType;
    if (auto err = doc.type().get(rootType))
        return fail(err);
    if (rootType != od::json_type::object) {
        // make sure the value itself is valid JSON before calling it "not an object"
        if (auto err = doc.raw_json().error())
            return fail(err);
        rec.flags = EventFlag::Rejected;
        errorDetail = rootType == od::json_type::array    ? "array"
                      : rootType == od::json_type::string ? "string"
                      : rootType == od::json_type::number ? "number"
                      : rootType == od::json_type::boolean ? "boolean"
                                                           : "null";
        return Status::NotAnObject;
    }
    od::object obj;
    if (auto err = doc.get_object().get(obj))
        return fail(err);
    static_assert(std::size(kTopKeys) <= 64, "one bit per known key");
    std::uint64_t seenKeys = 0;
    for (auto field : obj) {
        std::string_view key;
        if (auto err = sj::keyOf(field, key))
            return fail(err);
        const KeyInfo* info = kTopTable.find(key);
        if (!info)
            continue; // unknown keys are ignored, as upstream does
        // Python's json keeps the last of two equal keys, and so do we; a
        // second value that would silently win is worth a finding
        const std::uint64_t bit = std::uint64_t{1} << (info - std::begin(kTopKeys));
        if (seenKeys & bit)
            d->out.addDiagnostic(line, offset, DiagnosticCode::DuplicateKey, std::string(info->name), recordIndex);
        seenKeys |= bit;
        od::value value;
        if (auto err = field.value().get(value))
            return fail(err);
        if (auto err = d->readField(*info, value, rec))
            return fail(err);
    }
    if (!sj::atEnd(doc))
        return fail(simdjson::TRAILING_CONTENT);
    if (d->sawRunId && d->sawStepList && !d->sawEventType) {
        // a run document on one line: the caller imports it as a run trace
        d->out.diagnostics.resize(diagMark);
        if (unstoredMark)
            d->out.unstoredDiagnostics = *unstoredMark;
        d->out.provenance.resize(provMark);
        d->out.lists.resize(listMark);
        rec.str.fill(kNoStr);
        rec.provenance = rec.requestedCaps = rec.grantedCaps = rec.violations = {};
        rec.flags = 0;
        return Status::RunDocument;
    }

    if (!d->sawTimestamp) {
        d->out.addDiagnostic(line, offset, DiagnosticCode::MissingTimestamp, {}, recordIndex);
        rec.flags |= EventFlag::Rejected;
        return Status::Ok;
    }
    if (d->sawEventType && !d->sawDecision)
        d->out.addDiagnostic(line, offset, DiagnosticCode::MissingDecision, {}, recordIndex);
    if (!d->sawEventType || rec.s(Field::EventType) == kNoStr)
        rec.flags |= EventFlag::Legacy;
    applyReadingRules(rec, d->out.pool);
    if (d->out.diagnostics.size() > diagMark)
        rec.flags |= EventFlag::HasWarnings;
    return Status::Ok;
}

void applyReadingRules(EventRecord& rec, StringPool& pool)
{
    if (rec.has(EventFlag::Legacy)) {
        // pre-unified records: infer the type from `allowed`, `approval_id` and the reason
        if (rec.has(EventFlag::AllowedTrue)) {
            rec.s(Field::EventType) = pool.intern("tool_allowed");
            rec.s(Field::Decision) = pool.intern("allowed");
        } else if (rec.s(Field::ApprovalId) != kNoStr && !pool.view(rec.s(Field::ApprovalId)).empty() &&
                   containsIgnoreCase(pool.view(rec.s(Field::Reason)), "approval")) {
            rec.s(Field::EventType) = pool.intern("approval_required");
            rec.s(Field::Decision) = pool.intern("require_approval");
        } else {
            rec.s(Field::EventType) = pool.intern("tool_blocked");
            rec.s(Field::Decision) = pool.intern("blocked");
        }
    }
    if (rec.s(Field::RiskLevel) == kNoStr || pool.view(rec.s(Field::RiskLevel)).empty())
        rec.s(Field::RiskLevel) = pool.intern("low");
}

} // namespace rw
