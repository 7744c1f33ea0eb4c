#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rw {

// The one writer of untrusted values into human-readable CLI text (timeline,
// summary, diff, list, stats, policy, compare, verify, warnings, errors).
// Audit lines, run traces, bundle entry names, manifests, file names and
// policy files are controlled by whoever wrote them; printed raw, their bytes
// could clear the screen, move the cursor, write the clipboard (OSC 52),
// overwrite a line with CR or BS, or reorder it with bidi controls. Every such
// character is escaped visibly, as visibletext.h describes (`\x1b`, `\r`,
// `\u202e`, `\xff`, and `\\` for a backslash of the value). JSON output does
// not come through here: the JSON dumper escapes on its own.
std::string terminalText(std::string_view value);
void appendTerminalText(std::string& out, std::string_view value);

// Display columns of already escaped text: one per code point, two for East
// Asian wide characters and emoji, so a cell never grows past its width.
std::size_t terminalColumns(std::string_view escaped);

// `value` escaped and fitted to exactly `width` columns: padded with spaces,
// or cut with a trailing `~` on the boundary of a character or of a whole
// escape (never inside a UTF-8 sequence or halfway through `\u202e`).
std::string terminalCell(std::string_view value, std::size_t width);

// For columns that hold numbers (counts, durations): padded to `width`, never
// cut; a longer number widens its cell, since `31553789~` would be a lie.
std::string numberCell(const std::string& number, std::size_t width);

} // namespace rw
