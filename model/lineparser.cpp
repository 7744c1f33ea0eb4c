#include "model/lineparser.h"

#include "model/lineparserimpl.h"
#include "model/sourcefile.h"

#include <array>
#include <cstring>
#include <optional>

namespace rw {

static_assert(SourceFile::kPadding >= simdjson::SIMDJSON_PADDING, "the mapping must carry simdjson's padding");

namespace {

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
            rec.s(Field::Decision) = pool.intern(decisionName(Decision::Allowed));
        } else if (rec.s(Field::ApprovalId) != kNoStr && !pool.view(rec.s(Field::ApprovalId)).empty() &&
                   containsIgnoreCase(pool.view(rec.s(Field::Reason)), "approval")) {
            rec.s(Field::EventType) = pool.intern("approval_required");
            rec.s(Field::Decision) = pool.intern(decisionName(Decision::RequireApproval));
        } else {
            rec.s(Field::EventType) = pool.intern("tool_blocked");
            rec.s(Field::Decision) = pool.intern(decisionName(Decision::Blocked));
        }
    }
    if (rec.s(Field::RiskLevel) == kNoStr || pool.view(rec.s(Field::RiskLevel)).empty())
        rec.s(Field::RiskLevel) = pool.intern(riskName(Risk::Low));
}

} // namespace rw
