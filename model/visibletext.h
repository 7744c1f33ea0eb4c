#pragma once

#include <QString>

#include <cstdint>
#include <string>
#include <string_view>

namespace rw {

// Text from audit files, run traces, bundles and policy files is shown to a
// person; some characters would let that text rewrite what the person sees:
// terminal controls (C0, DEL, C1, so ESC/CSI/OSC sequences, CR, BS, BEL),
// bidi overrides, embeddings, isolates and marks that reorder a line,
// zero-width and other invisible characters that make two different names
// look the same, Unicode tag characters, and bytes that are not UTF-8.
// Every such character is written as a visible escape:
//   \n \r \t                  line feed, carriage return, tab
//   \xNN                      any other C0 byte, DEL, and each invalid UTF-8 byte
//   \uNNNN  \UNNNNNNNN        a hidden code point (C1, bidi, zero-width, tags…)
//   \\                        a backslash of the value itself
// Doubling the value's backslashes keeps the escaped form unambiguous: every
// `\` of the output starts one of the escapes above, so the original bytes can
// always be told apart (`\u202e` typed as six characters shows as `\\u202e`).
// Everything else (printable ASCII, ordinary Unicode) is copied unchanged.

// True when `cp` (a valid Unicode scalar value) is a control, bidi,
// zero-width, invisible or tag character that is shown escaped.
bool isHiddenCodePoint(std::uint32_t cp);

// Appends `text` to `out` in its visible form. Plain printable ASCII without
// backslashes takes a fast path: list output of 100k traces goes through here.
void appendVisible(std::string& out, std::string_view text);
std::string visibleText(std::string_view text);

// The same rules for the GUI: ids, names, tools and reasons in item models,
// drawers and tooltips, so `invoice-\u202egnp.exe` never renders as
// `invoice-exe.png` and `pay\u200bments` differs from `payments`.
QString visibleText(const QString& text);
QString visibleUtf8(std::string_view utf8);

// For JSON shown as it is (the raw line, the pretty-printed record): hidden
// characters and controls other than LF and TAB become JSON escapes (`\u202e`,
// a surrogate pair beyond the BMP), so the text still reads as the same JSON;
// backslashes are JSON's own and stay single. Bytes that are not UTF-8 show
// as `\xNN`. The exact bytes stay available for copying.
std::string visibleJson(std::string_view json);
QString visibleJsonText(std::string_view json);

// Length of the well-formed UTF-8 sequence at text[i] (no overlongs, no
// surrogates, nothing past U+10FFFF) with its code point in `cp`; 0 when the
// bytes there are not one. For writers of other formats (DOT labels).
std::size_t utf8SequenceAt(std::string_view text, std::size_t i, std::uint32_t& cp);

// True when visibleText(text) would differ from text (something was escaped).
bool needsVisibleEscape(std::string_view text);

} // namespace rw
