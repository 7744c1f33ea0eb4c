#pragma once

#include <QString>

#include <cstddef>

namespace rw {

class PolicyEngine;
class Workspace;

// How a trace and a loaded policy are named in titles and messages: the
// trace id (with its file when several are open), the bundle's file name
// with a short hash. Untrusted text is escaped (visibleText).
QString traceTitle(const Workspace& ws, std::size_t row);
QString policyTitle(const PolicyEngine& engine);

} // namespace rw
