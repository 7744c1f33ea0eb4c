#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rw {

// A finding about a bundle file, with the position yaml-cpp's marks give.
struct BundleDiagnostic
{
    enum class Level : std::uint8_t { Error, Warning };
    std::string file;
    int line = 0;   // 1-based, 0 when it concerns the whole file
    int column = 0; // 1-based
    Level level = Level::Error;
    std::string message;
};

struct YamlEntry;

// A YAML document as plain data, built by our own event handler so that
// nothing yaml-cpp does silently (first of duplicate keys wins, aliases
// shared not copied, tags kept, later documents dropped) reaches the policy.
struct YamlNode
{
    enum class Kind : std::uint8_t { Null, Scalar, Sequence, Map };
    Kind kind = Kind::Null;
    std::string value; // scalars
    bool quoted = false;
    int line = 0;
    int column = 0;
    std::vector<YamlNode> items;                            // sequences
    std::vector<YamlEntry> entries;                         // maps, in file order
};

struct YamlEntry
{
    YamlNode key;
    YamlNode value;
};

struct YamlLimits
{
    std::size_t maxBytes = 1u << 20;    // policy and analysis files are small; anything bigger is refused
    std::size_t maxDepth = 32;
    std::size_t maxNodes = 100000;
    std::size_t maxScalarBytes = 64u << 10;
    int timeLimitMs = 2000;             // watchdog: yaml-cpp 0.7 has known scanner loops
};

// Parses one YAML document with the limits above. Refuses: invalid UTF-8,
// NUL bytes, UTF-16, anchors, aliases, merge keys, tags, duplicate keys,
// several documents, too deep, too many nodes, too long scalars, and a parse
// that takes longer than the time limit. Errors go to `diagnostics`; the
// returned root is usable only when no error was added.
YamlNode parseYamlSafely(std::string_view text, const std::string& fileName, const YamlLimits& limits,
                         std::vector<BundleDiagnostic>& diagnostics);

// The bytes of a policy, capability or analysis file: a regular file of at
// most `maxBytes` (checked before a byte is read), else nullopt and an error
// naming the path and why (missing, a FIFO, too large, ...).
std::optional<std::string> readConfigFile(const std::string& path, std::size_t maxBytes,
                                          std::vector<BundleDiagnostic>& diagnostics);

// The candidate nearest to `word` (edit distance), for "did you mean" hints on
// unknown keys and words; empty when none is within two edits, because a
// farther guess misleads more than it helps.
std::string closestWord(std::string_view word, const std::vector<std::string_view>& candidates);
// "; did you mean 'x'?" for that word, or "": the tail of the messages about
// unknown keys and words.
std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

// 1-based line and column (in bytes) of a byte offset, for readers that
// find problems by offset (invalid bytes, JSON members).
std::pair<int, int> textPosition(std::string_view text, std::size_t offset);

} // namespace rw
