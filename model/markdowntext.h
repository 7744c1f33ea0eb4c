#pragma once

#include <string>
#include <string_view>

namespace rw {

// Values quoted in the Markdown we write (evidence.md). Upstream's layout
// puts most values in code spans and a few (reason, summary) in running text;
// for ordinary values both come out unchanged, byte for byte. What is
// escaped: every hidden or control character, as visibletext.h shows it (so a
// value cannot add lines, reorder the text or hide), and what is markup-active
// where the value stands:
// - in a code span only a backtick can end the span early: the span is then
//   fenced with one backtick more than the value's longest run;
// - in running text `<` (raw HTML such as `<img src=x onerror=…>`, autolinks),
//   `&` (entities such as `&#x202e;`), backticks, backslashes, and the `(` or
//   `[` right after a `]` (inline and reference links, images) get a
//   backslash. Emphasis characters stay: `_` is common in tool names, and
//   emphasis cannot run code or hide text.
std::string markdownCode(std::string_view value);
std::string markdownText(std::string_view value);

} // namespace rw
