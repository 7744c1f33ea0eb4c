#pragma once

// Bytes as they are read (in blocks, from a growing file or a pipe) cut into
// lines: complete lines are passed on as soon as their line break is read,
// the unterminated rest is held until the next block (or flushed as an
// incomplete line when the source will not grow any more). A line longer
// than the limit is never held whole: it is reported and skipped up to its
// line break.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rw {

class LineSplitter
{
public:
    // text without its line break (nor a CR before it), its first byte's offset, its 1-based number
    using LineFn = std::function<void(std::string_view text, std::uint64_t offset, std::uint64_t line)>;
    using TooLongFn = std::function<void(std::uint64_t offset, std::uint64_t line)>;

    explicit LineSplitter(std::size_t maxLineBytes = 64u << 20) : m_max(maxLineBytes) {}

    // `bytes` read at `offset` (each block right after the previous one)
    void feed(std::string_view bytes, std::uint64_t offset, const LineFn& onLine, const TooLongFn& onTooLong);
    // the held tail as an incomplete line (when there is one), then forgotten
    bool flush(const LineFn& onLine);
    // a new source: line numbers from 1, nothing held
    void reset();
    // reading resumes after line `line` (its numbers go on from there)
    void startAfter(std::uint64_t line) { m_line = line; }

    bool holding() const { return !m_tail.empty(); }
    std::uint64_t tailOffset() const { return m_tailOffset; }
    std::uint64_t lines() const { return m_line; }

private:
    std::size_t m_max;
    std::string m_tail;
    std::uint64_t m_tailOffset = 0;
    std::uint64_t m_line = 0;
    bool m_skipping = false; // inside a line over the limit
};

} // namespace rw
