#pragma once

// The facts of a run that a batch's merge reads (totals, the fleet section,
// compliance, the index), as they are read from a part file and made safe
// there, since a part may come from another machine (the map step makes them
// from the run itself: runFactsOf in runrowwriter.h).
#include <nlohmann/json.hpp>

#include <string>

namespace rw {

// a string member of a facts (or any JSON) object, "" when absent or not a string
std::string factText(const nlohmann::ordered_json& j, const char* key);

// A run's facts from a part file, made safe to read: every key the merge,
// the index and compliance read has its type, or a neutral value.
nlohmann::ordered_json factsChecked(nlohmann::ordered_json in);

} // namespace rw
