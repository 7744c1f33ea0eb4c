#include "replay/policy/yamltree.h"

#include "model/regularfile.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <sstream>
#include <thread>

namespace rw {

namespace {

bool validUtf8(std::string_view s, std::size_t& badOffset)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size() || (n == 2 && c < 0xC2)) {
            badOffset = i;
            return false;
        }
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                badOffset = i;
                return false;
            }
        if (n == 3) {
            const unsigned cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                badOffset = i;
                return false;
            }
        }
        if (n == 4) {
            const unsigned cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12);
            if (cp < 0x10000 || cp > 0x10FFFF) {
                badOffset = i;
                return false;
            }
        }
        i += n;
    }
    return true;
}

class TreeBuilder : public YAML::EventHandler
{
public:
    TreeBuilder(const std::string& file, const YamlLimits& limits, std::vector<BundleDiagnostic>& out)
        : m_file(file), m_limits(limits), m_out(out)
    {
    }

    YamlNode root;
    bool failed = false;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override
    {
        checkAnchor(mark, anchor);
        YamlNode n;
        n.kind = YamlNode::Kind::Null;
        place(std::move(n), mark);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override
    {
        error(mark, "aliases (*name) are not allowed: write each value out");
        YamlNode n;
        place(std::move(n), mark);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override
    {
        checkAnchor(mark, anchor);
        checkTag(mark, tag);
        if (value.size() > m_limits.maxScalarBytes)
            error(mark, "scalar longer than " + std::to_string(m_limits.maxScalarBytes) + " bytes");
        YamlNode n;
        n.kind = YamlNode::Kind::Scalar;
        n.value = value;
        n.quoted = tag == "!";
        place(std::move(n), mark);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        open(mark, tag, anchor, YamlNode::Kind::Sequence);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        open(mark, tag, anchor, YamlNode::Kind::Map);
    }
    void OnMapEnd() override { close(); }

    void error(int line, int column, const std::string& message)
    {
        failed = true;
        m_out.push_back({m_file, line, column, BundleDiagnostic::Level::Error, message});
    }

private:
    struct Frame
    {
        YamlNode node;
        bool haveKey = false;
        YamlNode key;
        std::set<std::string> keys;
    };

    void error(const YAML::Mark& mark, const std::string& message) { error(mark.line + 1, mark.column + 1, message); }

    void checkAnchor(const YAML::Mark& mark, YAML::anchor_t anchor)
    {
        if (anchor != YAML::NullAnchor)
            error(mark, "anchors (&name) are not allowed: write each value out");
    }

    void checkTag(const YAML::Mark& mark, const std::string& tag)
    {
        // "?" plain, "!" quoted: the only non-specific tags; anything else was written on purpose
        if (!tag.empty() && tag != "?" && tag != "!")
            error(mark, "tags (" + tag + ") are not allowed");
    }

    void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YamlNode::Kind kind)
    {
        checkAnchor(mark, anchor);
        checkTag(mark, tag);
        if (m_stack.size() >= m_limits.maxDepth)
            error(mark, "nesting deeper than " + std::to_string(m_limits.maxDepth) + " levels");
        Frame f;
        f.node.kind = kind;
        f.node.line = mark.line + 1;
        f.node.column = mark.column + 1;
        m_stack.push_back(std::move(f));
    }

    void close()
    {
        YamlNode n = std::move(m_stack.back().node);
        m_stack.pop_back();
        YAML::Mark mark;
        mark.line = n.line - 1;
        mark.column = n.column - 1;
        place(std::move(n), mark);
    }

    void place(YamlNode n, const YAML::Mark& mark)
    {
        if (++m_nodes > m_limits.maxNodes) {
            if (m_nodes == m_limits.maxNodes + 1)
                error(mark, "more than " + std::to_string(m_limits.maxNodes) + " nodes");
            return;
        }
        if (n.line == 0) {
            n.line = mark.line + 1;
            n.column = mark.column + 1;
        }
        if (m_stack.empty()) {
            root = std::move(n);
            return;
        }
        Frame& top = m_stack.back();
        if (top.node.kind == YamlNode::Kind::Sequence) {
            top.node.items.push_back(std::move(n));
            return;
        }
        if (!top.haveKey) {
            if (n.kind != YamlNode::Kind::Scalar && n.kind != YamlNode::Kind::Null)
                error(n.line, n.column, "mapping keys must be plain scalars");
            if (n.kind == YamlNode::Kind::Scalar && n.value == "<<" && !n.quoted)
                error(n.line, n.column, "merge keys (<<) are not allowed: write each key out");
            // yaml-cpp keeps the first of two equal keys, PyYAML the last: refuse both
            if (!top.keys.insert(n.value).second)
                error(n.line, n.column, "duplicate key '" + n.value + "'");
            top.key = std::move(n);
            top.haveKey = true;
        } else {
            top.node.entries.push_back({std::move(top.key), std::move(n)});
            top.haveKey = false;
        }
    }

    const std::string& m_file;
    const YamlLimits& m_limits;
    std::vector<BundleDiagnostic>& m_out;
    std::vector<Frame> m_stack;
    std::size_t m_nodes = 0;
};

struct ParseOutcome
{
    YamlNode root;
    std::vector<BundleDiagnostic> diagnostics;
};

ParseOutcome parseNow(std::string text, std::string file, YamlLimits limits)
{
    ParseOutcome out;
    std::istringstream in(text);
    TreeBuilder builder(file, limits, out.diagnostics);
    try {
        YAML::Parser parser(in);
        parser.HandleNextDocument(builder);
        // a second document is refused, never looped over (LoadAll hangs on some inputs in 0.7)
        TreeBuilder second(file, limits, out.diagnostics);
        if (parser.HandleNextDocument(second))
            builder.error(0, 0, "several YAML documents in one file (--- separators); one is expected");
    } catch (const YAML::DeepRecursion& e) {
        builder.error(e.mark.line + 1, e.mark.column + 1, "nesting too deep");
    } catch (const YAML::Exception& e) {
        builder.error(e.mark.line + 1, e.mark.column + 1, "YAML syntax error: " + e.msg);
    }
    out.root = std::move(builder.root);
    const bool onlyDuplicates = std::all_of(out.diagnostics.begin(), out.diagnostics.end(), [](const BundleDiagnostic& d) {
        return d.message.rfind("duplicate key", 0) == 0;
    });
    if (!onlyDuplicates)
        out.root = YamlNode{}; // a half-read tree must not be validated as if it were the file
    return out;
}

std::string tooLarge(std::uint64_t size, std::uint64_t limit)
{
    return "file is " + std::to_string(size) + " bytes; policy and analysis files are limited to " +
           std::to_string(limit);
}

} // namespace

std::pair<int, int> textPosition(std::string_view text, std::size_t offset)
{
    int line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return {line, col};
}

std::string closestWord(std::string_view word, const std::vector<std::string_view>& candidates)
{
    std::string_view best;
    std::size_t bestDistance = 3;
    std::vector<std::size_t> prev, cur;
    for (const std::string_view c : candidates) {
        // Levenshtein distance, two rows
        prev.resize(c.size() + 1);
        cur.resize(c.size() + 1);
        for (std::size_t j = 0; j <= c.size(); ++j)
            prev[j] = j;
        for (std::size_t i = 1; i <= word.size(); ++i) {
            cur[0] = i;
            for (std::size_t j = 1; j <= c.size(); ++j)
                cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (word[i - 1] == c[j - 1] ? 0 : 1)});
            std::swap(prev, cur);
        }
        if (prev[c.size()] < bestDistance) {
            bestDistance = prev[c.size()];
            best = c;
        }
    }
    return std::string(best);
}

std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates)
{
    const std::string guess = closestWord(word, candidates);
    return guess.empty() ? std::string() : "; did you mean '" + guess + "'?";
}

std::optional<std::string> readConfigFile(const std::string& path, std::size_t maxBytes,
                                          std::vector<BundleDiagnostic>& diagnostics)
{
    // regular files only, the size checked before reading
    ReadFailure failure;
    std::optional<std::string> bytes = readRegularFile(path, maxBytes, &failure);
    if (!bytes)
        diagnostics.push_back({path, 0, 0, BundleDiagnostic::Level::Error,
                               failure.error == ReadError::TooLarge ? tooLarge(failure.size, maxBytes)
                                                                    : readFailureReason(failure)});
    return bytes;
}

YamlNode parseYamlSafely(std::string_view text, const std::string& fileName, const YamlLimits& limits,
                         std::vector<BundleDiagnostic>& diagnostics)
{
    auto fail = [&](int line, int column, const std::string& message) {
        diagnostics.push_back({fileName, line, column, BundleDiagnostic::Level::Error, message});
        return YamlNode{};
    };
    if (text.size() > limits.maxBytes)
        return fail(0, 0, tooLarge(text.size(), limits.maxBytes));
    if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
        return fail(1, 1, "file is UTF-16; save it as UTF-8");
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
        const auto [l, c] = textPosition(text, nul);
        return fail(l, c, "NUL byte in the file");
    }
    std::size_t bad = 0;
    if (!validUtf8(text, bad)) {
        const auto [l, c] = textPosition(text, bad);
        return fail(l, c, "invalid UTF-8");
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);

    // The parse runs on a worker with a deadline. yaml-cpp 0.7 has scanner
    // loops nobody can interrupt; on a timeout the worker is abandoned (it
    // owns copies of its inputs) and the bundle refused.
    auto task = std::make_shared<std::packaged_task<ParseOutcome()>>(
        [t = std::string(text), f = fileName, l = limits] { return parseNow(t, f, l); });
    std::future<ParseOutcome> result = task->get_future();
    std::thread([task] { (*task)(); }).detach();
    if (result.wait_for(std::chrono::milliseconds(limits.timeLimitMs)) != std::future_status::ready)
        return fail(0, 0, "parsing took longer than " + std::to_string(limits.timeLimitMs) + " ms; refused");
    ParseOutcome outcome = result.get();
    diagnostics.insert(diagnostics.end(), outcome.diagnostics.begin(), outcome.diagnostics.end());
    return std::move(outcome.root);
}

} // namespace rw
