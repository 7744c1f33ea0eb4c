#pragma once

// The typed values the item models hand out by role, for delegates and
// tests: vocabulary enums (model/vocabulary.h) and small value structs, so no
// view reads a decision or trust word to pick a colour. The words a person
// reads come from Qt::DisplayRole.

#include "model/replaymodel.h"
#include "model/vocabulary.h"
#include "replay/analysis/anomaly.h"

#include <QMetaType>
#include <QString>

#include <vector>

namespace rw {

// The identity badge of a trace (TraceListModel::AgentRole): the exact values;
// whoever shows them escapes hidden characters.
struct AgentIdentity
{
    QString name;
    QString id;
    QString trustWord; // agent_trust_level as written
    Trust trust = Trust::None;
};

// One provenance item of an event, as its badge shows it.
struct ProvenanceBadge
{
    QString sourceType;
    QString sourceName;
    QString trustWord; // trust_level as written
    Trust trust = Trust::None;
};

// EventTableModel::ProvenanceRole: an event's provenance items, in record order.
struct ProvenanceBadges
{
    std::vector<ProvenanceBadge> items;
};

// The identity and the provenance of one event (the drawer's badges, the
// event table's ProvenanceRole).
AgentIdentity eventAgent(const ReplayModel& model, const EventRecord& event);
ProvenanceBadges eventProvenance(const ReplayModel& model, const EventRecord& event);

// Registers the types above and a conversion of each vocabulary enum to its
// wire word, so that QVariant::toString() of a DecisionRole reads "blocked"
// (debug output, and code that only wants the word). Every item model calls
// it on construction; calling it again does nothing.
void registerRoleValueTypes();

} // namespace rw

Q_DECLARE_METATYPE(rw::Decision)
Q_DECLARE_METATYPE(rw::Trust)
Q_DECLARE_METATYPE(rw::Governance)
Q_DECLARE_METATYPE(rw::Risk)
Q_DECLARE_METATYPE(rw::AgentIdentity)
Q_DECLARE_METATYPE(rw::ProvenanceBadges)
Q_DECLARE_METATYPE(rw::analysis::Severity)
Q_DECLARE_METATYPE(rw::analysis::Detector)
