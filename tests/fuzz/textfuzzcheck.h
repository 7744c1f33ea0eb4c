#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rwfuzz {

// Writes `bytes` with the CLI text writer and fits them into cells of many
// widths. Invariants: the output is valid UTF-8 with no C0 byte, no DEL, no C1,
// no bidi, zero-width or tag code point; it decodes back to exactly `bytes`
// (the escaping is unambiguous); a cell is exactly its width, and a cut keeps
// whole characters and whole escapes. Returns "" when every invariant holds.
// Shared by fuzz_text, tst_fuzzcorpus and tst_terminaltext.
std::string checkTextInput(std::string_view bytes);

// The problem with `text` as terminal output ("" when none): invalid UTF-8, a
// control byte, or a hidden code point. Checked against a list of its own,
// not the writer's classifier.
std::string terminalSafetyProblem(std::string_view text);

// Reverses the escapes; nothing when `escaped` holds a broken escape.
std::optional<std::string> unescapeVisible(std::string_view escaped);

} // namespace rwfuzz
