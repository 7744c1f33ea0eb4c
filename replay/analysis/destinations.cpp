#include "replay/analysis/destinations.h"

#include "model/globmatcher.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace rw::analysis {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = asciiLower(c);
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '<' || s.front() == '"'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '>' || s.back() == '"'))
        s.remove_suffix(1);
    return s;
}

// scheme://user@host:port/path -> host; buckets keep their whole URI
void fromOne(std::string_view v, std::vector<std::string>& out)
{
    v = trim(v);
    if (v.empty())
        return;
    const std::size_t scheme = v.find("://");
    if (scheme != std::string_view::npos) {
        const std::string s = lower(v.substr(0, scheme));
        if (s == "s3" || s == "gs" || s == "gcs" || s == "az" || s == "abfs" || s == "wasb") {
            out.push_back(lower(v));
            return;
        }
        std::string_view rest = v.substr(scheme + 3);
        rest = rest.substr(0, rest.find_first_of("/?#"));
        if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos)
            rest.remove_prefix(at + 1);
        if (!rest.empty() && rest.front() == '[') // [v6]:port
            rest = rest.substr(1, rest.find(']') - 1);
        else if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos)
            rest = rest.substr(0, colon);
        if (!rest.empty())
            out.push_back(lower(rest));
        return;
    }
    if (const std::size_t at = v.rfind('@'); at != std::string_view::npos) { // e-mail: its domain
        if (at + 1 < v.size())
            out.push_back(lower(v.substr(at + 1)));
        return;
    }
    // host[:port][/path] or #channel: the host part
    std::string_view host = v.substr(0, v.find('/'));
    if (std::count(host.begin(), host.end(), ':') == 1)
        host = host.substr(0, host.find(':'));
    if (!host.empty())
        out.push_back(lower(host));
}

} // namespace

void extractDestinations(std::string_view value, std::vector<std::string>& out)
{
    // "a@x.org, b@y.org" and "a@x.org;b@y.org": one destination each
    std::size_t start = 0;
    while (start <= value.size()) {
        const std::size_t end = value.find_first_of(",;", start);
        fromOne(value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), out);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
}

bool parseIpv4(std::string_view text, std::uint32_t& address)
{
    std::uint32_t result = 0;
    int parts = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end && parts < 4) {
        unsigned octet = 0;
        const auto [next, ec] = std::from_chars(p, end, octet);
        if (ec != std::errc() || next == p || octet > 255 || next - p > 3)
            return false;
        result = (result << 8) | octet;
        ++parts;
        p = next;
        if (parts < 4) {
            if (p >= end || *p != '.')
                return false;
            ++p;
        }
    }
    if (parts != 4 || p != end)
        return false;
    address = result;
    return true;
}

TrustedNetworks::TrustedNetworks(const std::vector<std::string>& entries)
{
    for (const std::string& e : entries) {
        const std::string entry = lower(e);
        if (const std::size_t slash = entry.find('/');
            slash != std::string::npos && entry.find("://") == std::string::npos) {
            std::uint32_t network = 0;
            unsigned bits = 0;
            const std::string_view b = std::string_view(entry).substr(slash + 1);
            const auto [ptr, ec] = std::from_chars(b.data(), b.data() + b.size(), bits);
            if (parseIpv4(std::string_view(entry).substr(0, slash), network) && ec == std::errc() &&
                ptr == b.data() + b.size() && bits <= 32) {
                const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t(0) << (32 - bits);
                m_cidrs.push_back({network & mask, mask});
                continue;
            }
        }
        if (entry.find('*') != std::string::npos)
            m_globs.push_back(entry);
        else
            m_domains.push_back(entry);
    }
}

bool TrustedNetworks::trusts(std::string_view destination) const
{
    const std::string d = lower(destination);
    std::uint32_t ip = 0;
    if (parseIpv4(d, ip))
        for (const Cidr& c : m_cidrs)
            if ((ip & c.mask) == c.network)
                return true;
    for (const std::string& domain : m_domains)
        if (d == domain || (d.size() > domain.size() && d.ends_with(domain) && d[d.size() - domain.size() - 1] == '.'))
            return true;
    for (const std::string& glob : m_globs)
        if (GlobMatcher(glob).matches(d))
            return true;
    return false;
}

} // namespace rw::analysis
