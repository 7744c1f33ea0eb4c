#include "model/runtracejson.h"

#include <algorithm>
#include <cmath>

namespace rw::runjson {

namespace {

// raw_json() and raw_json_token() run up to the next token: drop the layout after the value
std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

simdjson::error_code rawValue(od::value v, std::string_view& out)
{
    od::json_type type;
    if (auto err = v.type().get(type))
        return err;
    if (type == od::json_type::object) {
        od::object obj;
        if (auto err = v.get_object().get(obj))
            return err;
        auto err = obj.raw_json().get(out);
        out = trimmed(out);
        return err;
    }
    if (type == od::json_type::array) {
        od::array arr;
        if (auto err = v.get_array().get(arr))
            return err;
        auto err = arr.raw_json().get(out);
        out = trimmed(out);
        return err;
    }
    out = trimmed(v.raw_json_token());
    return simdjson::SUCCESS;
}

bool readInteger(od::value v, std::int64_t& out)
{
    od::number_type type;
    od::json_type jt;
    if (v.type().get(jt) || jt != od::json_type::number || v.get_number_type().get(type))
        return false;
    if (type == od::number_type::signed_integer)
        return !v.get_int64().get(out);
    if (type == od::number_type::floating_point_number) {
        double d = 0;
        // only whole numbers inside the exactly representable range
        if (v.get_double().get(d) || d != std::floor(d) || std::fabs(d) > 9.0e15)
            return false;
        out = static_cast<std::int64_t>(d);
        return true;
    }
    return false; // unsigned beyond int64 or big integers: not a usable index or duration
}

bool readString(od::value v, std::string& out)
{
    std::string_view s;
    if (v.get_string().get(s))
        return false;
    out.assign(s);
    return true;
}

simdjson::error_code readPermissions(od::value v, std::vector<PermissionEntry>& out)
{
    od::array arr;
    if (v.get_array().get(arr))
        return simdjson::SUCCESS; // not a list: ignored
    for (auto element : arr) {
        od::value item;
        if (auto err = element.get(item))
            return err;
        od::json_type type;
        if (auto err = item.type().get(type))
            return err;
        PermissionEntry entry;
        if (type == od::json_type::string) {
            readString(item, entry.permission);
        } else if (type == od::json_type::object) {
            od::object obj;
            if (auto err = item.get_object().get(obj))
                return err;
            if (auto err = obj.raw_json().get(entry.raw))
                return err;
            entry.raw = trimmed(entry.raw);
            // raw_json() consumed the object: rewind to read its fields
            bool hadFields = false;
            if (auto err = obj.reset().get(hadFields))
                return err;
            for (auto field : obj) {
                std::string_view key;
                if (auto err = field.unescaped_key().get(key))
                    return err;
                od::value fv;
                if (auto err = field.value().get(fv))
                    return err;
                if (key == "permission")
                    readString(fv, entry.permission);
                else if (key == "approved_by")
                    readString(fv, entry.approvedBy);
                else if (key == "approval_id")
                    readString(fv, entry.approvalId);
                else if (key == "reason")
                    readString(fv, entry.reason);
            }
            if (entry.permission.empty())
                continue; // an object that names no permission says nothing usable
        } else {
            continue;
        }
        out.push_back(std::move(entry));
    }
    return simdjson::SUCCESS;
}

bool readRunField(std::string_view key, od::value value, RunFields& run, simdjson::error_code& err)
{
    std::string* text = key == "run_id"           ? &run.runId
                        : key == "agent_id"       ? &run.agentId
                        : key == "agent_name"     ? &run.agentName
                        : key == "trigger"        ? &run.trigger
                        : key == "status"         ? &run.status
                        : key == "policy_version" ? &run.policyVersion
                        : key == "started_at"     ? &run.startedAt
                        : key == "completed_at"   ? &run.completedAt
                                                  : nullptr;
    if (text) {
        readString(value, *text);
        return true;
    }
    if (key != "permissions_summary")
        return false;
    od::object ps;
    if (value.get_object().get(ps))
        return true; // not an object: ignored
    run.hasSummary = true;
    for (auto pf : ps) {
        std::string_view pk;
        od::value pv;
        if ((err = pf.unescaped_key().get(pk)) || (err = pf.value().get(pv)))
            return true;
        if (pk == "granted")
            err = readPermissions(pv, run.granted);
        else if (pk == "denied")
            err = readPermissions(pv, run.denied);
        else if (pk == "escalated")
            err = readPermissions(pv, run.escalated);
        if (err)
            return true;
    }
    return true;
}

bool mentionsDenial(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return lower.find("denied") != std::string::npos || lower.find("blocked") != std::string::npos ||
           lower.find("forbidden") != std::string::npos || lower.find("not permitted") != std::string::npos;
}

} // namespace rw::runjson
