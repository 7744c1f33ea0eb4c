#pragma once

// Suppression by fields over a window (Zeek's identifier and interval,
// Splunk's throttle): an anomaly whose values of a rule's fields equal those
// of one sent less than the rule's window earlier is not sent again. Time is
// the anomaly's own (its step's timestamp) when it has one, so that reading a
// month of backlog pages once per window of that month, not once in all; the
// caller's clock otherwise.
#include "replay/alerts/alertconfig.h"
#include "replay/alerts/alertrecord.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace rw::alerts {

class Suppressor
{
public:
    explicit Suppressor(std::vector<SuppressRule> rules);

    // true: send it to `channel` (and it opens the rules' windows there);
    // false: suppressed. Each channel has windows of its own.
    bool admit(const AlertRecord& record, std::int64_t nowMs, const std::string& channel = {});
    std::size_t suppressed() const { return m_suppressed; }

private:
    std::string key(std::size_t rule, const AlertRecord& record, const std::string& channel) const;
    void prune(std::int64_t atMs);

    std::vector<SuppressRule> m_rules;
    std::unordered_map<std::string, std::int64_t> m_opened; // rule + values -> when its window began (ms)
    std::size_t m_suppressed = 0;
};

} // namespace rw::alerts
