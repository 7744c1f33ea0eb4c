#include "replay/alerts/suppressor.h"

#include "model/timestamp.h"

#include <algorithm>

namespace rw::alerts {

namespace {

// entries beyond this are pruned of expired windows (a long watch keeps no more than its open windows)
constexpr std::size_t kPruneAbove = 4096;

} // namespace

Suppressor::Suppressor(std::vector<SuppressRule> rules) : m_rules(std::move(rules)) {}

std::string Suppressor::key(std::size_t rule, const AlertRecord& record, const std::string& channel) const
{
    std::string k = channel + '\x1d' + std::to_string(rule);
    for (const std::string& field : m_rules[rule].fields) {
        k += '\x1f';
        if (field == "file") {
            k += record.source.file;
            continue;
        }
        const auto it = record.anomaly.find(field);
        if (it == record.anomaly.end())
            k += '\x1e'; // absent, unlike ""
        else
            k += it->is_string() ? it->get<std::string>() : it->dump();
    }
    return k;
}

void Suppressor::prune(std::int64_t atMs)
{
    std::int64_t longest = 0;
    for (const SuppressRule& r : m_rules)
        longest = std::max(longest, r.windowMs);
    for (auto it = m_opened.begin(); it != m_opened.end();)
        it = (atMs - it->second >= longest || it->second - atMs >= longest) ? m_opened.erase(it) : std::next(it);
}

bool Suppressor::admit(const AlertRecord& record, std::int64_t nowMs, const std::string& channel)
{
    if (m_rules.empty())
        return true;
    std::int64_t at = nowMs;
    const auto time = record.anomaly.find("time");
    if (time != record.anomaly.end() && time->is_string())
        if (const auto us = parseTimestamp(time->get<std::string>()))
            at = *us / 1000;
    std::vector<std::string> keys;
    keys.reserve(m_rules.size());
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        keys.push_back(key(i, record, channel));
        const auto it = m_opened.find(keys.back());
        // a window holds on both sides: steps of interleaved runs arrive a little out of order
        if (it != m_opened.end() && at - it->second < m_rules[i].windowMs && it->second - at < m_rules[i].windowMs) {
            ++m_suppressed;
            return false;
        }
    }
    if (m_opened.size() > kPruneAbove)
        prune(at);
    for (std::string& k : keys)
        m_opened[std::move(k)] = at;
    return true;
}

} // namespace rw::alerts
