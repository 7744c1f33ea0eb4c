#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rw {

// Name and version of every library the model was built with, for About
// boxes and `--version`.
std::vector<std::pair<std::string, std::string>> libraryVersions();

} // namespace rw
