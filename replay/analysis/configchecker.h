#pragma once

// What the loaders of the analysis files share: diagnostics at a node's
// position, unknown keys as warnings with a did-you-mean, and readers for each
// kind of value that add an error at the offending node and give nullopt, so
// that a loader walks the whole file and an author sees every problem at once.
#include "replay/analysis/analysisconfig.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rw::analysis {

class ConfigChecker
{
public:
    // Counts only the diagnostics added from here on (the caller's vector may
    // hold other files' already).
    ConfigChecker(std::string file, std::vector<BundleDiagnostic>& out);

    const std::string& file() const { return m_file; }
    void add(BundleDiagnostic::Level level, int line, int column, const std::string& message);
    void error(const YamlNode& at, const std::string& message)
    {
        add(BundleDiagnostic::Level::Error, at.line, at.column, message);
    }
    void warning(const YamlNode& at, const std::string& message)
    {
        add(BundleDiagnostic::Level::Warning, at.line, at.column, message);
    }
    // an error was added since construction (by the YAML reader or a check)
    bool failed() const;

    // `bytes` read by parseYamlSafely; the root when it is a mapping, else
    // nullopt after an error (an empty file included: `what` names the kind
    // of file). A tree with duplicate keys comes back, to be checked in full.
    std::optional<YamlNode> mappingRoot(std::string_view bytes, const std::string& what);
    ConfigSource source(std::string_view bytes) const;

    void unknownKey(const YamlNode& key, const std::vector<std::string_view>& known,
                    const std::string& where);

    // Containers: true when `n` is one (a key without a value counts as an
    // empty one for the optional forms); else an error.
    bool mapping(const YamlNode& n, const std::string& what);
    bool entryMapping(const YamlNode& n, const std::string& list); // an entry of the list named `list`
    bool optionalMapping(const YamlNode& n, const std::string& what);
    bool optionalList(const YamlNode& n, const std::string& what);

    // Values: nullopt after an error at `n`.
    std::optional<std::string> string(const YamlNode& n, const std::string& what);
    std::optional<ConfigText> text(const YamlNode& n, const std::string& what);
    std::optional<std::vector<std::string>> strings(const YamlNode& n, const std::string& what);
    // a whole number written as such (unquoted, no sign, no leading zero)
    // from `min` to INT_MAX
    std::optional<int> integer(const YamlNode& n, const std::string& what, int min);
    std::optional<double> fraction(const YamlNode& n, const std::string& what); // 0 to 1
    // one of the value languages of configvalues.h, e.g. word(n, "severity", severityFromWord)
    template <class T>
    std::optional<T> word(const YamlNode& n, const std::string& what,
                          std::optional<T> (*parse)(std::string_view, std::string&))
    {
        const std::optional<std::string> s = string(n, what);
        if (!s)
            return std::nullopt;
        std::string why;
        std::optional<T> v = parse(*s, why);
        if (!v)
            error(n, "'" + what + "' " + why);
        return v;
    }

    template <class T> static void assign(T& field, std::optional<T> value)
    {
        if (value)
            field = std::move(*value);
    }

private:
    std::string m_file;
    std::vector<BundleDiagnostic>& m_out;
    std::size_t m_mark;
};

// A file through readConfigFile (regular, at most YamlLimits::maxBytes) and
// then `parse`: the shape every load* function of configloader.h has.
template <class Parse>
auto loadConfigFile(const std::string& path, std::vector<BundleDiagnostic>& diagnostics, Parse parse)
    -> decltype(parse(std::string_view(), path, diagnostics))
{
    const std::optional<std::string> bytes = readConfigFile(path, YamlLimits().maxBytes, diagnostics);
    if (!bytes)
        return std::nullopt;
    return parse(*bytes, path, diagnostics);
}

} // namespace rw::analysis
