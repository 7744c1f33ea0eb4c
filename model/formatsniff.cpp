#include "model/formatsniff.h"

#include <cstring>

namespace rw {

namespace {

bool startsWith(std::string_view b, std::string_view magic)
{
    return b.size() >= magic.size() && std::memcmp(b.data(), magic.data(), magic.size()) == 0;
}

unsigned char at(std::string_view b, std::size_t i) { return static_cast<unsigned char>(b[i]); }

// UTF-16/32 without a byte order mark: JSON text starts with ASCII, so the
// zero bytes of the wide encodings sit in a fixed pattern within the first
// code units. Checked over up to 16 units so that one odd byte does not decide.
bool wideWithoutBom(std::string_view b, std::size_t unit, std::size_t asciiAt)
{
    const std::size_t units = std::min<std::size_t>(b.size() / unit, 16);
    if (units < 2)
        return false;
    for (std::size_t u = 0; u < units; ++u)
        for (std::size_t k = 0; k < unit; ++k) {
            const unsigned char c = at(b, u * unit + k);
            if ((k == asciiAt) != (c != 0))
                return false;
        }
    return true;
}

} // namespace

FileSniff sniffFile(std::string_view b)
{
    FileSniff s;
    auto kind = [&](FileKind k, bool be = false, bool bom = false) {
        s.kind = k;
        s.bigEndian = be;
        s.byteOrderMark = bom;
        return s;
    };
    using namespace std::string_view_literals;
    // UTF-32 before UTF-16: FF FE 00 00 starts with the UTF-16LE mark
    if (startsWith(b, "\xFF\xFE\x00\x00"sv))
        return kind(FileKind::Utf32, false, true);
    if (startsWith(b, "\x00\x00\xFE\xFF"sv))
        return kind(FileKind::Utf32, true, true);
    if (startsWith(b, "\xFF\xFE"sv))
        return kind(FileKind::Utf16, false, true);
    if (startsWith(b, "\xFE\xFF"sv))
        return kind(FileKind::Utf16, true, true);
    if (startsWith(b, "\x1F\x8B"sv))
        return kind(FileKind::Gzip);
    if (startsWith(b, "\x28\xB5\x2F\xFD"sv))
        return kind(FileKind::Zstd);
    if (startsWith(b, "PK\x03\x04"sv) || startsWith(b, "PK\x05\x06"sv) || startsWith(b, "PK\x07\x08"sv))
        return kind(FileKind::Zip);
    if (startsWith(b, "BZh"sv) && b.size() >= 4 && at(b, 3) >= '1' && at(b, 3) <= '9')
        return kind(FileKind::Bzip2);
    if (startsWith(b, "\xFD" "7zXZ\x00"sv))
        return kind(FileKind::Xz);
    if (startsWith(b, "7z\xBC\xAF\x27\x1C"sv))
        return kind(FileKind::SevenZip);
    if (startsWith(b, "\x89PNG\r\n\x1A\n"sv))
        return kind(FileKind::Png);
    if (startsWith(b, "\xFF\xD8\xFF"sv))
        return kind(FileKind::Jpeg);
    if (startsWith(b, "%PDF-"sv))
        return kind(FileKind::Pdf);
    if (startsWith(b, "\x7F" "ELF"sv))
        return kind(FileKind::Elf);
    if (startsWith(b, "SQLite format 3\x00"sv))
        return kind(FileKind::Sqlite);
    if (wideWithoutBom(b, 4, 0))
        return kind(FileKind::Utf32, false);
    if (wideWithoutBom(b, 4, 3))
        return kind(FileKind::Utf32, true);
    if (wideWithoutBom(b, 2, 0))
        return kind(FileKind::Utf16, false);
    if (wideWithoutBom(b, 2, 1))
        return kind(FileKind::Utf16, true);

    // No magic: text unless the head is mostly control bytes. NUL bytes do
    // not count (a preallocated log's tail stays text, for the line reader to
    // name its NUL padding).
    const std::string_view head = b.substr(0, 4096);
    std::size_t control = 0, nul = 0;
    for (const char ch : head) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0)
            ++nul;
        else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F)
            ++control;
    }
    if (!head.empty() && control * 10 > (head.size() - nul) * 3)
        return kind(FileKind::Binary);
    return s;
}

const char* fileKindName(const FileSniff& s)
{
    switch (s.kind) {
    case FileKind::Text: return "text";
    case FileKind::Utf16: return s.bigEndian ? "UTF-16BE" : "UTF-16LE";
    case FileKind::Utf32: return s.bigEndian ? "UTF-32BE" : "UTF-32LE";
    case FileKind::Gzip: return "gzip-compressed data";
    case FileKind::Zstd: return "zstd-compressed data";
    case FileKind::Zip: return "ZIP archive";
    case FileKind::Bzip2: return "bzip2-compressed data";
    case FileKind::Xz: return "xz-compressed data";
    case FileKind::SevenZip: return "7-Zip archive";
    case FileKind::Png: return "PNG image";
    case FileKind::Jpeg: return "JPEG image";
    case FileKind::Pdf: return "PDF document";
    case FileKind::Elf: return "ELF executable";
    case FileKind::Sqlite: return "SQLite database";
    case FileKind::Binary: return "binary data";
    }
    return "binary data";
}

bool hasOnlyCrLineEnds(std::string_view b)
{
    // the line feed first: a normal file answers at its first line
    return std::memchr(b.data(), '\n', b.size()) == nullptr && std::memchr(b.data(), '\r', b.size()) != nullptr;
}

} // namespace rw
