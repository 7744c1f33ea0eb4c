#pragma once

#include "model/replaymodel.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <functional>

class QTreeWidgetItem;

namespace rw {

// Adds a field row under `parent` (nullptr: the top level) and returns it; an
// empty value adds nothing and returns nullptr.
using AddField = std::function<QTreeWidgetItem*(QTreeWidgetItem* parent, const QString& key, const QString& value)>;

// A run step in the event drawer: what the agent did and why, as an
// investigator reads it. Action and reasoning; the tool with each parameter;
// the result's status and data; when it started and how long it ran; the
// step it resumed from; the alternatives it weighed (with each one's
// rejection reasoning and score) and why it chose; and each permission it
// used, marked escalated, denied, approved (with the approval) or not granted
// by what the run recorded in its permissions summary.
void addRunStepFields(const AddField& add, const ReplayModel& model, std::size_t eventIndex, const RunStep& step,
                      const nlohmann::ordered_json* stepJson);

} // namespace rw
