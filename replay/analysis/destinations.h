#pragma once

// Where a step sends data, and whether that place is trusted (reference
// §3.7): destinations are URL hosts, e-mail domains, IP addresses and bucket
// URIs; `networks.trusted` lists CIDR blocks, domains (their subdomains too),
// globs and bucket URI globs.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rw::analysis {

// The destinations one parameter value names (a list of addresses gives several).
void extractDestinations(std::string_view value, std::vector<std::string>& out);

class TrustedNetworks
{
public:
    explicit TrustedNetworks(const std::vector<std::string>& entries);
    bool trusts(std::string_view destination) const;
    bool empty() const { return m_cidrs.empty() && m_domains.empty() && m_globs.empty(); }

private:
    struct Cidr
    {
        std::uint32_t network = 0;
        std::uint32_t mask = 0;
    };
    std::vector<Cidr> m_cidrs;
    std::vector<std::string> m_domains; // lower case, exact or parent domain
    std::vector<std::string> m_globs;   // lower case, with `*`
};

// An IPv4 address in dotted form, false when `text` is none.
bool parseIpv4(std::string_view text, std::uint32_t& address);

} // namespace rw::analysis
