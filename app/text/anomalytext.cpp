#include "app/text/anomalytext.h"

#include "app/text/plural.h"
#include "model/visibletext.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

namespace rw {

using analysis::Anomaly;
using analysis::Detector;
using analysis::Severity;
using Json = nlohmann::ordered_json;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("AnalysisText", text);
}

const QString kDash = QStringLiteral(" \u2014 ");
const QString kArrow = QStringLiteral(" \u2192 ");

// The context is written by the engine from trace and configuration values:
// every string goes through the visible form, and a key that is missing or
// of another type reads as empty, so that wording never throws.
QString scalarText(const Json& v)
{
    if (v.is_string())
        return visibleUtf8(v.get_ref<const std::string&>());
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.is_number())
        return QString::fromStdString(v.dump());
    if (v.is_array()) {
        QStringList parts;
        for (const Json& item : v)
            parts << scalarText(item);
        return parts.join(QStringLiteral(", "));
    }
    if (v.is_object())
        return visibleUtf8(v.dump());
    return {};
}

const Json* field(const Json& c, const char* key)
{
    if (!c.is_object())
        return nullptr;
    const auto it = c.find(key);
    return it == c.end() || it->is_null() ? nullptr : &*it;
}

QString text(const Json& c, const char* key)
{
    const Json* v = field(c, key);
    return v ? scalarText(*v) : QString();
}

std::optional<std::int64_t> number(const Json& c, const char* key)
{
    const Json* v = field(c, key);
    if (!v || !v->is_number())
        return std::nullopt;
    if (v->is_number_float())
        return static_cast<std::int64_t>(std::llround(v->get<double>()));
    if (v->is_number_unsigned())
        return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get<std::uint64_t>(), INT64_MAX));
    return v->get<std::int64_t>();
}

QStringList textList(const Json& c, const char* key)
{
    QStringList out;
    if (const Json* v = field(c, key); v && v->is_array())
        for (const Json& item : *v)
            out << scalarText(item);
    return out;
}

QString headline(Detector d)
{
    switch (d) {
    case Detector::PermissionEscalation:
        return tr("Permission escalation");
    case Detector::UnusualToolSequence:
        return tr("Unusual tool sequence");
    case Detector::ExcessiveRetries:
        return tr("Retry detected");
    case Detector::DataExfiltration:
        return tr("Data exfiltration");
    case Detector::BehaviouralDeviation:
        return tr("Behavioural deviation");
    case Detector::TraceIntegrity:
        return tr("Trace integrity");
    case Detector::MissingStep:
        return tr("Missing step");
    }
    return tr("Anomaly");
}

QString steps(std::int64_t n)
{
    return counted(static_cast<std::uint64_t>(std::max<std::int64_t>(n, 0)), "step", "steps");
}

// "2.1 MB": decimal units, as file sizes are shown to people
QString byteSize(std::int64_t bytes)
{
    if (bytes < 1000)
        return counted(static_cast<std::uint64_t>(std::max<std::int64_t>(bytes, 0)), "byte", "bytes");
    static const char* const units[] = {"kB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes) / 1000.0;
    std::size_t unit = 0;
    while (value >= 999.95 && unit + 1 < std::size(units)) {
        value /= 1000.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

// " (after metrics.query → ssh.exec)": the tools that led to a sequence finding
QString after(const Json& c)
{
    const QStringList preceding = textList(c, "preceding");
    return preceding.isEmpty() ? QString() : tr(" (after %1)").arg(preceding.join(kArrow));
}

QString escalationDetail(const std::string& rule, const Json& c)
{
    const QString permission = text(c, "permission");
    if (permission.isEmpty())
        return {};
    if (rule == "escalation.not-in-baseline")
        return tr("%1 not in baseline grant").arg(permission);
    if (rule == "escalation.approved") {
        const QString approval = text(c, "approval_id");
        return approval.isEmpty() ? tr("%1 used with a recorded approval").arg(permission)
                                  : tr("%1 used with approval %2").arg(permission, approval);
    }
    if (rule == "escalation.denied-used")
        return tr("%1 used although the run records it as denied").arg(permission);
    return {};
}

QString sequenceDetail(const std::string& rule, const Json& c)
{
    const QString tool = text(c, "tool");
    if (tool.isEmpty())
        return {};
    if (rule == "sequence.new-tool")
        return tr("%1 never used by this agent").arg(tool) + after(c);
    if (rule == "sequence.new-first-tool")
        return tr("the run starts with %1, never a first tool of this agent").arg(tool);
    if (rule == "sequence.new-destination-class")
        return tr("%1 writes to %2, an %3 destination; this agent never wrote to one")
            .arg(tool, text(c, "destination"), text(c, "class"));
    const QString from = text(c, "from");
    if (from.isEmpty())
        return {};
    if (rule == "sequence.new-transition")
        return tr("%1 never seen for this agent").arg(from + kArrow + tool) + after(c);
    if (rule == "sequence.rare-transition") {
        const Json* p = field(c, "probability");
        if (!p || !p->is_number())
            return tr("%1 is rare for this agent").arg(from + kArrow + tool) + after(c);
        const QString percent = QString::number(p->get<double>() * 100.0, 'g', 2) + QLatin1Char('%');
        return tr("%1 is rare for this agent (%2 of the calls after %3)")
                   .arg(from + kArrow + tool, percent, from) +
               after(c);
    }
    return {};
}

QString retryDetail(const std::string& rule, const Json& c)
{
    const QString tool = text(c, "tool");
    const std::optional<std::int64_t> attempts = number(c, "attempts");
    if (tool.isEmpty() || !attempts)
        return {};
    QString out = tr("%1 called %2x").arg(tool).arg(*attempts);
    const QString mode = text(c, "mode");
    if (mode == QLatin1String("identical"))
        out += tr(" with identical params");
    else if (mode == QLatin1String("mutating"))
        out += tr(" with mutating params");
    if (const QStringList keys = textList(c, "mutated_keys"); !keys.isEmpty())
        out += QStringLiteral(" (") + keys.join(QStringLiteral(", ")) + QLatin1Char(')');
    if (const std::optional<std::int64_t> failures = number(c, "auth_failures"); failures && *failures > 0)
        out += QStringLiteral(", ") + counted(static_cast<std::uint64_t>(*failures), "authentication failure",
                                              "authentication failures");
    if (rule == "retry.failure-loop")
        out += tr(": possible failure loop");
    else if (rule == "retry.probing")
        out += tr(": possible probing");
    else if (rule == "retry.credential-probing")
        out += tr(": possible credential probing");
    else if (rule != "retry.repeated")
        return {};
    return out;
}

// "warehouse.read (step 3, 2.1 MB) then http.post to paste.example.net (untrusted)"
QString exfilDetail(const Json& c)
{
    const QString readTool = text(c, "read_tool");
    const QString writeTool = text(c, "write_tool");
    if (readTool.isEmpty() || writeTool.isEmpty())
        return {};
    QStringList read;
    if (const auto step = number(c, "read_step"))
        read << tr("step %1").arg(*step);
    if (const auto bytes = number(c, "read_bytes"); bytes && *bytes >= 0)
        read << byteSize(*bytes);
    if (const auto rows = number(c, "read_rows"); rows && *rows >= 0)
        read << counted(static_cast<std::uint64_t>(*rows), "row", "rows");
    QString out = readTool;
    if (!read.isEmpty())
        out += QStringLiteral(" (") + read.join(QStringLiteral(", ")) + QLatin1Char(')');
    if (const auto encode = number(c, "encode_step"))
        out += tr(", encoded at step %1,").arg(*encode);
    const QString destination = text(c, "destination");
    if (destination.isEmpty()) {
        out += tr(" then %1 to an unnamed destination").arg(writeTool);
    } else {
        const Json* trusted = field(c, "trusted");
        const bool isTrusted = trusted && trusted->is_boolean() && trusted->get<bool>();
        out += tr(" then %1 to %2").arg(writeTool, destination) +
               (isTrusted ? tr(" (trusted)") : tr(" (untrusted)"));
    }
    if (const QString allow = text(c, "allow_id"); !allow.isEmpty())
        out += kDash + tr("allowed by %1").arg(allow);
    return out;
}

// "SOP-114/prohibited: never delete resources in production"
QString policyDetail(const Json& c)
{
    const QString policy = text(c, "policy");
    const QString check = text(c, "check");
    if (policy.isEmpty() || check.isEmpty())
        return {};
    const QString label = policy + QLatin1Char('/') + check;
    const QString kind = text(c, "kind");
    const QString expected = text(c, "text");
    const std::int64_t within = number(c, "within_steps").value_or(0);
    if (expected.isEmpty()) {
        const QString title = text(c, "title");
        return title.isEmpty() ? label : label + QStringLiteral(": ") + title;
    }
    if (kind == QLatin1String("require"))
        return tr("%1: the step does not match %2").arg(label, expected);
    if (kind == QLatin1String("preceded_by"))
        return within > 0
                   ? tr("%1: no earlier step matching %2 within %3").arg(label, expected, steps(within))
                   : tr("%1: no earlier step matching %2").arg(label, expected);
    if (kind == QLatin1String("followed_by"))
        return within > 0 ? tr("%1: no step matching %2 within %3").arg(label, expected, steps(within))
                          : tr("%1: no later step matching %2").arg(label, expected);
    // a prohibition's own words, or a kind of check this version does not know
    return label + QStringLiteral(": ") + expected;
}

QString integrityDetail(const std::string& rule, const Json& c)
{
    if (rule == "integrity.policy-version") {
        const QString recorded = text(c, "recorded");
        const QString bundle = text(c, "bundle");
        if (recorded.isEmpty() || bundle.isEmpty())
            return {};
        return tr("the run records policy version %1, the bundle in use is %2").arg(recorded, bundle);
    }
    const QString permission = text(c, "permission");
    if (permission.isEmpty())
        return {};
    if (rule == "integrity.unrecorded-escalation")
        return tr("%1 used beyond the baseline but not recorded as escalated").arg(permission);
    if (rule == "integrity.not-granted")
        return tr("%1 used but not among the run's granted permissions").arg(permission);
    if (rule == "integrity.denied-succeeded")
        return tr("%1 recorded as denied, yet the step using it succeeded").arg(permission);
    return {};
}

bool startsWith(const std::string& s, const char* prefix)
{
    return s.rfind(prefix, 0) == 0;
}

QString ruleDetail(const Anomaly& a)
{
    const std::string& rule = a.ruleId;
    const Json& c = a.context;
    if (startsWith(rule, "escalation."))
        return escalationDetail(rule, c);
    if (startsWith(rule, "sequence."))
        return sequenceDetail(rule, c);
    if (startsWith(rule, "retry."))
        return retryDetail(rule, c);
    if (startsWith(rule, "exfil."))
        return exfilDetail(c);
    if (startsWith(rule, "policy."))
        return policyDetail(c);
    if (startsWith(rule, "integrity."))
        return integrityDetail(rule, c);
    return {};
}

// A rule this version does not know, or a known one without the context it
// needs: its id and every context value, so nothing is hidden.
QString genericDetail(const Anomaly& a)
{
    QStringList values;
    if (a.context.is_object())
        for (const auto& [key, value] : a.context.items())
            if (!value.is_null())
                values << visibleUtf8(key) + QStringLiteral(": ") + scalarText(value);
    const QString rule = a.ruleId.empty() ? tr("unnamed rule") : visibleUtf8(a.ruleId);
    return values.isEmpty()
               ? rule
               : rule + QStringLiteral(" (") + values.join(QStringLiteral("; ")) + QLatin1Char(')');
}

} // namespace

QString anomalyCategory(Detector d)
{
    return d == Detector::ExcessiveRetries ? tr("Excessive retries") : headline(d);
}

QString severityLabel(Severity s)
{
    switch (s) {
    case Severity::Info:
        return QStringLiteral("INFO");
    case Severity::Warn:
        return QStringLiteral("WARN");
    case Severity::Critical:
        return QStringLiteral("CRITICAL");
    }
    return QStringLiteral("INFO");
}

QString anomalyMessage(const Anomaly& a)
{
    QString detail = ruleDetail(a);
    if (detail.isEmpty())
        detail = genericDetail(a);
    return headline(a.detector) + kDash + detail;
}

} // namespace rw
