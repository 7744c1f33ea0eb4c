#pragma once

#include <cstdint>
#include <string_view>

namespace rw {

// What the first bytes of a file say it is, before any line is read. Looks at
// magic numbers and byte patterns only, never at substrings of the content,
// so an audit line cannot make the loader skip the file.
enum class FileKind : std::uint8_t {
    Text,       // UTF-8 (or ASCII) text: read as JSONL or run-trace documents
    Utf16,      // UTF-16, with or without a byte order mark
    Utf32,      // UTF-32, with or without a byte order mark
    Gzip,
    Zstd,
    Zip,        // ZIP archive (an evidence bundle, an office document, ...)
    Bzip2,
    Xz,
    SevenZip,
    Png,
    Jpeg,
    Pdf,
    Elf,
    Sqlite,
    Binary,     // no known magic, but mostly control bytes: not text
};

struct FileSniff
{
    FileKind kind = FileKind::Text;
    bool bigEndian = false;     // UTF-16/32
    bool byteOrderMark = false; // UTF-16/32
};

FileSniff sniffFile(std::string_view bytes);

// A short lowercase name for findings and messages ("gzip", "ZIP archive", "UTF-32BE").
const char* fileKindName(const FileSniff& sniff);

// True when the file has carriage returns but no line feed at all (classic
// Mac line ends): its lines cannot be told apart.
bool hasOnlyCrLineEnds(std::string_view bytes);

} // namespace rw
