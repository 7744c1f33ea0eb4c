#pragma once

// LineParser's state and its readers for each kind of field. Internal to
// lineparser.cpp, which holds the entry point (parse) and the reading rules.
#include "model/linekeys.h"
#include "model/lineparser.h"
#include "model/timestamp.h"

#include "model/simdjsonutil.h"

#include <array>
#include <cstring>
#include <string>

namespace rw {

namespace od = simdjson::ondemand;
using namespace linekeys;

namespace lineparserdetail {

// fields `context` may also carry
inline bool fromContext(Field f)
{
    return f == Field::TenantId || f == Field::PolicyBundle || f == Field::RuntimeMode || f == Field::BudgetContext;
}

inline std::string_view trimRight(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Short strings dominate; an inline loop beats a call to memchr for them.
inline bool hasBackslash(std::string_view s)
{
    if (s.size() > 48)
        return std::memchr(s.data(), '\\', s.size()) != nullptr;
    for (const char c : s)
        if (c == '\\')
            return true;
    return false;
}

} // namespace lineparserdetail

using namespace lineparserdetail;

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
                double number = 0;
                if (auto err = v.get_double().get(number))
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
                    double number = 0;
                    if (auto err = value.get_double().get(number))
                        return err;
                    target[i] = number;
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

} // namespace rw
