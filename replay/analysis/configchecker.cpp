#include "replay/analysis/configchecker.h"

#include "replay/analysis/configvalues.h"

#include "model/sourcefile.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace rw::analysis {

namespace {

// what a node is, for "must be X, got Y"
std::string kindOf(const YamlNode& n)
{
    switch (n.kind) {
    case YamlNode::Kind::Null:
        return "nothing";
    case YamlNode::Kind::Sequence:
        return "a list";
    case YamlNode::Kind::Map:
        return "a mapping";
    case YamlNode::Kind::Scalar:
        break;
    }
    return (n.quoted ? "the string '" : "'") + n.value + "'";
}

} // namespace

ConfigChecker::ConfigChecker(std::string file, std::vector<BundleDiagnostic>& out)
    : m_file(std::move(file)), m_out(out), m_mark(out.size())
{
}

void ConfigChecker::add(BundleDiagnostic::Level level, int line, int column, const std::string& message)
{
    m_out.push_back({m_file, line, column, level, message});
}

bool ConfigChecker::failed() const
{
    return std::any_of(m_out.begin() + static_cast<std::ptrdiff_t>(m_mark), m_out.end(),
                       [](const BundleDiagnostic& d) { return d.level == BundleDiagnostic::Level::Error; });
}

std::optional<YamlNode> ConfigChecker::mappingRoot(std::string_view bytes, const std::string& what)
{
    YamlNode root = parseYamlSafely(bytes, m_file, YamlLimits(), m_out);
    // parseYamlSafely keeps a tree only when its sole errors are duplicate keys
    if (root.kind == YamlNode::Kind::Map)
        return root;
    if (failed())
        return std::nullopt;
    if (root.kind == YamlNode::Kind::Null)
        add(BundleDiagnostic::Level::Error, 0, 0, "the file is empty; " + what + " is a mapping of keys");
    else
        error(root, what + " must be a mapping of keys, got " + kindOf(root));
    return std::nullopt;
}

ConfigSource ConfigChecker::source(std::string_view bytes) const
{
    return {m_file, sha256Hex(bytes), false};
}

void ConfigChecker::unknownKey(const YamlNode& key, const std::vector<std::string_view>& known,
                               const std::string& where)
{
    warning(key, "unknown key '" + key.value + "' in " + where + " (ignored)" + didYouMean(key.value, known));
}

bool ConfigChecker::mapping(const YamlNode& n, const std::string& what)
{
    if (n.kind == YamlNode::Kind::Map)
        return true;
    error(n, "'" + what + "' must be a mapping, got " + kindOf(n));
    return false;
}

bool ConfigChecker::entryMapping(const YamlNode& n, const std::string& list)
{
    if (n.kind == YamlNode::Kind::Map)
        return true;
    error(n, "each entry of '" + list + "' must be a mapping, got " + kindOf(n));
    return false;
}

bool ConfigChecker::optionalMapping(const YamlNode& n, const std::string& what)
{
    return n.kind == YamlNode::Kind::Null || mapping(n, what);
}

bool ConfigChecker::optionalList(const YamlNode& n, const std::string& what)
{
    if (n.kind == YamlNode::Kind::Sequence || n.kind == YamlNode::Kind::Null)
        return true;
    error(n, "'" + what + "' must be a list, got " + kindOf(n));
    return false;
}

std::optional<std::string> ConfigChecker::string(const YamlNode& n, const std::string& what)
{
    if (n.kind != YamlNode::Kind::Scalar) {
        error(n, "'" + what + "' must be a string, got " + kindOf(n));
        return std::nullopt;
    }
    if (n.value.empty()) {
        error(n, "'" + what + "' is empty");
        return std::nullopt;
    }
    return n.value;
}

std::optional<ConfigText> ConfigChecker::text(const YamlNode& n, const std::string& what)
{
    std::optional<std::string> s = string(n, what);
    if (!s)
        return std::nullopt;
    return ConfigText{std::move(*s), n.line, n.column};
}

std::optional<std::vector<std::string>> ConfigChecker::strings(const YamlNode& n, const std::string& what)
{
    if (!optionalList(n, what))
        return std::nullopt;
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < n.items.size(); ++i) {
        std::optional<std::string> s = string(n.items[i], what + "[" + std::to_string(i) + "]");
        ok = ok && s.has_value();
        if (s)
            out.push_back(std::move(*s));
    }
    if (!ok)
        return std::nullopt;
    return out;
}

std::optional<int> ConfigChecker::integer(const YamlNode& n, const std::string& what, int min)
{
    const std::optional<std::int64_t> v =
        n.kind == YamlNode::Kind::Scalar && !n.quoted && (n.value.size() == 1 || n.value.front() != '0')
            ? wholeNumber(n.value)
            : std::nullopt;
    if (!v || *v < min || *v > std::numeric_limits<int>::max()) {
        error(n, "'" + what + "' must be a " + (min > 0 ? "positive" : "non-negative") +
                     " whole number, got " + kindOf(n));
        return std::nullopt;
    }
    return static_cast<int>(*v);
}

std::optional<double> ConfigChecker::fraction(const YamlNode& n, const std::string& what)
{
    double v = -1;
    const std::string& s = n.value;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (n.kind != YamlNode::Kind::Scalar || n.quoted || ec != std::errc() || ptr != s.data() + s.size() ||
        !std::isfinite(v) || v < 0 || v > 1) {
        error(n, "'" + what + "' must be a number from 0 to 1, got " + kindOf(n));
        return std::nullopt;
    }
    return v;
}

} // namespace rw::analysis
