#include "views/models/rolevalues.h"

namespace rw {

namespace {

template <class E> void registerWordConversion(const char* (*name)(E))
{
    qRegisterMetaType<E>();
    QMetaType::registerConverter<E, QString>([name](E value) { return QString::fromLatin1(name(value)); });
}

QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

} // namespace

AgentIdentity eventAgent(const ReplayModel& model, const EventRecord& event)
{
    auto s = [&](Field f) { return event.s(f) == kNoStr ? QString() : qstr(model.str(event, f)); };
    const std::string_view trust = model.str(event, Field::AgentTrustLevel);
    return {s(Field::AgentName), s(Field::AgentId), s(Field::AgentTrustLevel), trustFromText(trust)};
}

ProvenanceBadges eventProvenance(const ReplayModel& model, const EventRecord& event)
{
    ProvenanceBadges badges;
    for (const ProvenanceItem& p : model.provenance(event))
        badges.items.push_back({qstr(model.str(p.sourceType)), qstr(model.str(p.sourceName)),
                                qstr(model.str(p.trustLevel)), trustFromText(model.str(p.trustLevel))});
    return badges;
}

void registerRoleValueTypes()
{
    // a function-local static: once per process, and safe from any thread
    static const bool registered = [] {
        registerWordConversion<Decision>(decisionName);
        registerWordConversion<Trust>(trustName);
        registerWordConversion<Governance>(governanceName);
        registerWordConversion<Risk>(riskName);
        registerWordConversion<analysis::Severity>(analysis::severityName);
        registerWordConversion<analysis::Detector>(analysis::detectorName);
        qRegisterMetaType<AgentIdentity>();
        qRegisterMetaType<ProvenanceBadges>();
        return true;
    }();
    Q_UNUSED(registered);
}

} // namespace rw
